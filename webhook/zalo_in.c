/* zalo_in — see zalo_in.h. */
#include "webhook/zalo_in.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/secretfile.h"
#include "gateway/text.h"
#include "gateway/writer.h"
#include "webhook/bot_update.h"
#include "webhook/oa_event.h"

#define TAG "zalo"
#define SECRET_MAX 512
#define ZALO_CHAT_TYPES_MAX 8   /* distinct unknown chat types logged, at most */
#define BOT_SECRET_MIN 8       /* Zalo: setWebhook secret_token is 8-256 characters */
#define NO_CONTENT "[tin nhắn không có nội dung đọc được]"
#define UNSUPPORTED "[Zalo không cho xem nội dung tin nhắn này]"

struct zalo_in {
	const struct config *cfg;
	struct writer *writer;
	const struct identity *id;
	char oa_secret[SECRET_MAX];
	char bot_secret[SECRET_MAX];
	struct log_limit refusals;    /* an attacker must not flood the log */
	pthread_mutex_t lock;         /* guards the chat types below */
	char chat_types[ZALO_CHAT_TYPES_MAX][32];   /* unknown chat_type values logged */
	size_t n_chat_types;
};

#define REFUSAL_LOG_EVERY_S 10
/* A refused webhook: warned about once per REFUSAL_LOG_EVERY_S, with how
 * many more were refused in between (each is counted in /metrics too). */
#define log_refusal(z, ...) do { \
		unsigned long held_ = 0; \
		if (log_limit_pass(&(z)->refusals, REFUSAL_LOG_EVERY_S, &held_)) { \
			if (held_) \
				log_warn(TAG, "%lu more webhooks refused in the meantime", held_); \
			log_warn(TAG, __VA_ARGS__); \
		} \
	} while (0)

/* An event name as a log may show it: Zalo's names are lower-case words
 * joined by '_' or '.'; anything else (digits, an id, text) is not shown. */
static const char *
loggable(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz_.");
	return n > 0 && n <= 48 && name[n] == '\0' ? name : "(unrecognised name)";
}

/* A secret from its *_file key; an unset key leaves out empty. */
static int
read_secret(const char *what, const char *path, size_t min, char *out, size_t outsz, char *err,
    size_t errlen)
{
	out[0] = '\0';
	if (!path)
		return 0;
	return secretfile_read(what, path, 0, min, out, outsz, NULL, NULL, err, errlen);
}

struct zalo_in *
zalo_in_new(const struct config *cfg, struct writer *w, const struct identity *id, char *err,
    size_t errlen)
{
	struct zalo_in *z = calloc(1, sizeof *z);
	if (!z) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	z->cfg = cfg;
	z->writer = w;
	z->id = id;
	pthread_mutex_init(&z->lock, NULL);
	if (read_secret("[zalo_oa] oa_secret_key_file", cfg->oa_secret_key_file, 1, z->oa_secret,
	    sizeof z->oa_secret, err, errlen) < 0 ||
	    read_secret("[zalo_bot] webhook_secret_file", cfg->bot_webhook_secret_file,
	    BOT_SECRET_MIN, z->bot_secret, sizeof z->bot_secret, err, errlen) < 0) {
		zalo_in_free(z);
		return NULL;
	}
	return z;
}

int
zalo_in_check(const struct config *cfg, char *err, size_t errlen)
{
	char secret[SECRET_MAX];
	int rc = read_secret("[zalo_oa] oa_secret_key_file", cfg->oa_secret_key_file, 1, secret,
	    sizeof secret, err, errlen) < 0 ||
	    read_secret("[zalo_bot] webhook_secret_file", cfg->bot_webhook_secret_file,
	    BOT_SECRET_MIN, secret, sizeof secret, err, errlen) < 0 ? -1 : 0;
	identity_wipe(secret, sizeof secret);
	return rc;
}

void
zalo_in_free(struct zalo_in *z)
{
	if (!z)
		return;
	pthread_mutex_destroy(&z->lock);
	identity_wipe(z, sizeof *z);
	free(z);
}

static int
answer(char *resp, size_t respsz, int status, const char *what)
{
	snprintf(resp, respsz, "{\"ok\":%s,\"message\":\"%s\"}", status == 200 ? "true" : "false",
	    what);
	return status;
}

/* What one admission carries besides the text. */
struct facts {
	const char *channel;
	const char *msg_id;           /* the channel's id of it: a retry is admitted once */
	const char *address;          /* the reply address, sealed; NULL: none kept */
	const char *pseudonym_of;     /* whose pseudonym it is filed under */
	enum inbound_kind kind;
	const char *chat;             /* INBOUND_GROUP: the group */
	long long when;               /* the source's time, 0 if none */
	const char *const *kinds;     /* files it links to */
	const char *const *urls;
	size_t n_files;
};

/* Seal the address, admit, wait for the commit. */
static int
admit(struct zalo_in *z, const struct facts *f, const char *text, char *resp, size_t respsz)
{
	unsigned char sealed[IDENTITY_SEALED_MAX];
	size_t sealed_len = 0;
	char pseudonym[IDENTITY_PSEUDONYM_HEX + 1], key[160];
	if (f->address && identity_seal(z->id, f->address, sealed, &sealed_len) < 0)
		return answer(resp, respsz, 400, "sender id unusable");
	snprintf(key, sizeof key, "%s:%s", f->channel, f->pseudonym_of);
	identity_pseudonym(z->id, key, pseudonym);
	identity_wipe(key, sizeof key);
	char *clean = text_clean(text, strlen(text));
	if (!clean)
		return answer(resp, respsz, 503, "out of memory");
	struct admission a = { .channel = f->channel, .channel_msg_id = f->msg_id,
	    .via = f->channel, .sender_sealed = f->address ? sealed : NULL,
	    .sender_sealed_len = sealed_len, .pseudonym = pseudonym, .text = clean,
	    .received_at = (int64_t)time(NULL), .source_time = f->when, .kind = f->kind,
	    .chat = f->chat, .attachment_kinds = f->kinds, .attachment_urls = f->urls,
	    .n_attachments = f->n_files };
	int rc = writer_admit(z->writer, &a);
	free(clean);
	if (rc < 0) {
		/* the writer logs the database's failure once, and its recovery */
		log_debug(TAG, "%s message from sender %.8s not admitted (database); answered 503 "
		    "so Zalo sends it again", f->channel, pseudonym);
		return answer(resp, respsz, 503, "not stored, try again");
	}
	if (f->kind == INBOUND_EVENT) {
		log_debug(TAG, "%s event %s admitted for sender %.8s", f->channel, loggable(text),
		    pseudonym);
		return answer(resp, respsz, 200, "recorded");
	}
	log_info(TAG, "%s %smessage admitted from sender %.8s", f->channel,
	    f->kind == INBOUND_GROUP ? "group " : "", pseudonym);
	return answer(resp, respsz, 200, "admitted");
}

/* An event without msg_id: its name, sender and time identify it (as a
 * keyed digest, so the sender's id is not stored). */
static void
event_id(struct zalo_in *z, const struct oa_event *ev, char out[OA_ID_MAX * 2])
{
	char key[256];
	int n = snprintf(key, sizeof key, "%s|%s|%s", ev->event_name, ev->sender_id, ev->timestamp);
	identity_digest(z->id, key, (size_t)n, out, 16);
	identity_wipe(key, sizeof key);
}

int
zalo_in_oa(struct zalo_in *z, const char *body, size_t len, const char *signature, char *resp,
    size_t respsz)
{
	if (!z->oa_secret[0])
		return answer(resp, respsz, 404, "the Official Account is not configured");
	struct oa_event ev;
	char err[160];
	if (oa_event_parse(body, len, &ev, err, sizeof err) < 0) {
		log_refusal(z, "OA webhook refused: %s", err);
		return answer(resp, respsz, 400, "malformed event");
	}
	int status;
	if (ev.kind == OA_PROBE) {
		status = answer(resp, respsz, 200, "ok");          /* the URL-save probe */
		goto out;
	}
	int variant = oa_verify(&ev, body, len, signature, z->oa_secret, z->cfg->oa_id);
	if (!variant) {
		log_refusal(z, "OA webhook with a %s signature refused (%s)",
		    signature ? "wrong" : "missing", loggable(ev.event_name));
		status = answer(resp, respsz, 401, "bad signature");
		goto out;
	}
	long long when = oa_event_time(&ev), now = (long long)time(NULL);
	if (!when) {
		/* without a time the replay window cannot be checked: a signed
		 * event could be sent again for ever */
		log_refusal(z, "OA event %s refused: no usable timestamp", loggable(ev.event_name));
		status = answer(resp, respsz, 401, "no timestamp");
		goto out;
	}
	if (when < now - z->cfg->oa_replay_window || when > now + z->cfg->oa_replay_window) {
		log_refusal(z, "OA event %s refused: its timestamp is %llds from now (replay?)",
		    loggable(ev.event_name), when - now);
		status = answer(resp, respsz, 401, "stale timestamp");
		goto out;
	}
	if (z->cfg->oa_app_id && ev.app_id[0] && strcmp(ev.app_id, z->cfg->oa_app_id) != 0) {
		status = answer(resp, respsz, 401, "another app");
		goto out;
	}
	if (ev.kind == OA_FOLLOW && ev.sender_id[0]) {
		/* recorded by the router by pseudonym, never as a tip; no address kept */
		char msgid[OA_ID_MAX * 2];
		event_id(z, &ev, msgid);
		struct facts f = { .channel = "zalo_oa", .msg_id = msgid,
		    .pseudonym_of = ev.sender_id, .kind = INBOUND_EVENT, .when = when };
		status = admit(z, &f, ev.event_name, resp, respsz);
		goto out;
	}
	if (ev.kind != OA_TIP || (z->cfg->oa_id && strcmp(ev.sender_id, z->cfg->oa_id) == 0)) {
		log_debug(TAG, "OA event %s: nothing to admit", loggable(ev.event_name));
		status = answer(resp, respsz, 200, "ignored");
		goto out;
	}
	if (!ev.sender_id[0]) {
		status = answer(resp, respsz, 400, "no sender");
		goto out;
	}
	char msgid[OA_ID_MAX * 2];
	if (ev.msg_id[0])
		snprintf(msgid, sizeof msgid, "%s", ev.msg_id);
	else
		event_id(z, &ev, msgid);
	struct facts f = { .channel = "zalo_oa", .msg_id = msgid, .address = ev.sender_id,
	    .pseudonym_of = ev.sender_id, .kind = INBOUND_MESSAGE, .when = when,
	    .kinds = (const char *const *)ev.attachment_kind,
	    .urls = (const char *const *)ev.attachment_url, .n_files = ev.n_attachments };
	status = admit(z, &f, ev.text ? ev.text : NO_CONTENT, resp, respsz);
out:
	oa_event_clear(&ev);
	return status;
}

/* A chat_type other than PRIVATE or GROUP: the message is treated as a
 * group's; each such type is logged once (the first ZALO_CHAT_TYPES_MAX). */
static void
unknown_chat_type(struct zalo_in *z, const char *type)
{
	int seen = 0;
	pthread_mutex_lock(&z->lock);
	for (size_t i = 0; i < z->n_chat_types && !seen; i++)
		seen = strcmp(z->chat_types[i], type) == 0;
	if (!seen && z->n_chat_types < ZALO_CHAT_TYPES_MAX)
		snprintf(z->chat_types[z->n_chat_types++], sizeof z->chat_types[0], "%s", type);
	else
		seen = 1;
	pthread_mutex_unlock(&z->lock);
	if (seen)
		return;
	size_t n = strspn(type, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_ ");
	log_warn(TAG, "bot update with an unknown chat_type %s%s%s: treated as a group message "
	    "(only \"PRIVATE\" is a private chat; logged once per type)", *type ? "\"" : "",
	    !*type ? "(none)" : type[n] == '\0' ? type : "(not shown: not a word)",
	    *type ? "\"" : "");
}

int
zalo_in_bot(struct zalo_in *z, const char *body, size_t len, const char *secret, char *resp,
    size_t respsz)
{
	if (!z->bot_secret[0])
		return answer(resp, respsz, 404, "the bot is not configured");
	/* The secret first: nothing from an unauthenticated peer is parsed. */
	size_t want = strlen(z->bot_secret);
	if (!secret || strlen(secret) != want || !identity_equal(secret, z->bot_secret, want)) {
		log_refusal(z, "bot webhook with a %s secret refused", secret ? "wrong" : "missing");
		return answer(resp, respsz, 401, "bad secret");
	}
	struct bot_update u;
	char err[160];
	if (bot_update_parse(body, len, &u, err, sizeof err) < 0) {
		log_refusal(z, "bot webhook refused: %s", err);
		return answer(resp, respsz, 400, "malformed update");
	}
	int status;
	if (u.kind != BOT_NO_MESSAGE && u.kind != BOT_REFUSED && !u.chat_type_known)
		unknown_chat_type(z, u.chat_type);
	if (u.kind == BOT_NO_MESSAGE || u.kind == BOT_REFUSED) {
		status = answer(resp, respsz, 200, "ok");
		goto out;
	}
	if (u.kind == BOT_GROUP) {
		/* the router decides: an officer's command, or a short answer in
		 * the group (never a tip: the whole group can read it) */
		struct facts f = { .channel = "zalo_bot", .msg_id = u.message_id,
		    .address = u.from_id[0] ? u.from_id : NULL,
		    .pseudonym_of = u.from_id[0] ? u.from_id : u.chat_id, .kind = INBOUND_GROUP,
		    .chat = u.chat_id, .when = u.date };
		status = admit(z, &f, u.text ? u.text : "", resp, respsz);
		goto out;
	}
	if (u.kind != BOT_PRIVATE) {
		log_debug(TAG, "bot update %s from a bot: dropped", loggable(u.event_name));
		status = answer(resp, respsz, 200, "ignored");
		goto out;
	}
	const char *photo_kind = "image";
	struct facts f = { .channel = "zalo_bot", .msg_id = u.message_id, .address = u.chat_id,
	    .pseudonym_of = u.from_id[0] ? u.from_id : u.chat_id, .kind = INBOUND_MESSAGE,
	    .when = u.date, .kinds = &photo_kind, .urls = (const char *const *)&u.photo_url,
	    .n_files = u.photo_url ? 1 : 0 };
	status = admit(z, &f, u.unsupported ? UNSUPPORTED : u.text ? u.text : NO_CONTENT, resp,
	    respsz);
out:
	bot_update_clear(&u);
	return status;
}
