/* zalo_out_internal — what the Zalo dispatcher's files share, like
 * db/db_internal.h: the dispatcher's state, one transfer slot, and the calls
 * between
 *   zalo_out.c    the dispatcher thread: slots, the curl multi loop, start,
 *                 stop, health;
 *   zalo_send.c   bot and OA sends: the request, the answer's class, the
 *                 report to the outbox (gateway/outbox.h decides what follows);
 *   zalo_token.c  the OA access token: load, refresh (single-flight), commit
 *                 the new pair sealed before it is used;
 *   zalo_fetch.c  attachments a message links to: fetched and kept.
 * Everything here runs on the dispatcher thread, which owns the multi
 * handle, every easy handle and z->db; only the fields marked "under lock"
 * are read elsewhere (by zalo_out_health()). Not for use outside these files.
 */
#ifndef TINBAO_ZALO_OUT_INTERNAL_H
#define TINBAO_ZALO_OUT_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "db/db.h"
#include "gateway/buf.h"
#include "gateway/identity.h"
#include "webhook/zalo_out.h"

#define ZO_INFLIGHT 8                 /* transfers at once */
#define ZO_RESPONSE_MAX 65536         /* bytes of an answer we read */
#define ZO_TOKEN_MAX 256

enum transfer_kind { SEND_BOT, SEND_OA, REFRESH_OA, FETCH };

struct transfer {
	enum transfer_kind kind;
	CURL *easy;                       /* NULL: the slot is free */
	struct outbox_item it;            /* SEND_*: the claimed row */
	struct buf answer;                /* the answer's body, bounded */
	struct curl_slist *headers;
	unsigned token_gen;               /* SEND_OA: which access token it used */
	int64_t attachment_id;            /* FETCH: the attachment row */
	int attempts;                     /* FETCH: tries so far */
	int loopback_ok;                  /* FETCH: the test origin ([attachments]) */
	const char *refused;              /* FETCH: why a redirect or address was refused */
	const struct config *cfg;         /* FETCH: for the callbacks */
};

/* The Official Account's token pair lives sealed in the database; this is
 * the dispatcher's copy of the access token and the refresh's state. */
struct zalo_oa_token {
	char app_secret[ZO_TOKEN_MAX];    /* [zalo_oa] app_secret_key_file */
	char access[IDENTITY_SECRET_MAX + 1];
	int64_t expires;
	int refreshing;                   /* a refresh is in flight: single-flight */
	unsigned gen;                     /* bumped with each new access token */
	int reauth;                       /* the refresh token was refused */
	int64_t seen;                     /* updated_at of the pair in memory */
	time_t next_check;                /* for a re-seeded token after a refusal */
	time_t paused_until;              /* after a refresh that did not complete */
};

struct zalo_out {
	const struct config *cfg;
	const struct identity *id;
	struct db *db;
	CURLM *multi;
	pthread_t thread;
	pthread_mutex_t lock;
	int stop;                         /* under lock */
	int heartbeat;
	struct transfer slots[ZO_INFLIGHT];
	char bot_token[ZO_TOKEN_MAX];     /* empty: no bot channel */
	time_t bot_paused_until;          /* the bot channel rests after a 401 */
	int oa;                           /* the OA channel is configured */
	struct zalo_oa_token tok;
	time_t next_attach_check;
	char last_error[160];             /* under lock */
	struct zalo_health published;     /* under lock: what /healthz reads */
};

/* zalo_out.c */
struct transfer *zalo_slot_free(struct zalo_out *z);
/* Remove and free the transfer; the slot is free again. */
void zalo_slot_clear(struct zalo_out *z, struct transfer *t);
/* A token or secret from its *_file key (URL-safe, at least one
 * character). 0 / -1 with err. */
int zalo_read_secret(const char *what, const char *path, char *out, size_t outsz, char *err,
    size_t errlen);
/* Add t->easy, made by the caller, to the multi handle with the options
 * every call shares (no signals, TLS verified, the answer into t->answer,
 * bounded by limit). 0 / -1. */
int zalo_transfer_add(struct zalo_out *z, struct transfer *t, size_t limit);
/* A POST to url (which may hold the bot token: the caller wipes it) with
 * [zalo_bot]/[zalo_oa] connect and total timeouts. 0 / -1. */
int zalo_post(struct zalo_out *z, struct transfer *t, const char *url, const char *body,
    const char *content_type, const char *extra_header);
/* What /healthz shows as the last Zalo trouble. */
void zalo_note_error(struct zalo_out *z, const char *what, const char *why);

/* zalo_send.c */
/* Start sending the claimed row in t. 0 started; -1 not (reported). */
int zalo_send_start(struct zalo_out *z, struct transfer *t);
/* The transfer ended: read the answer, report the row. */
void zalo_send_finish(struct zalo_out *z, struct transfer *t, CURLcode cc);
/* The daemon stops with t under way: report the row. */
void zalo_send_abandon(struct zalo_out *z, struct transfer *t);
/* Seconds one call of this kind may take, from [zalo_bot]/[zalo_oa] timeout. */
int64_t zalo_call_timeout(const struct zalo_out *z, enum transfer_kind kind);

/* zalo_token.c */
/* The first refresh token from [zalo_oa] refresh_token_file, unless the
 * database has a pair already. 0 / -1 with err. */
int zalo_token_seed(struct zalo_out *z, char *err, size_t errlen);
/* Load the access token, refresh it ahead of its end, notice a re-seeded
 * refresh token after a refusal. */
void zalo_token_tend(struct zalo_out *z, time_t now);
/* 1 when OA sends may start now. */
int zalo_token_usable(const struct zalo_out *z, time_t now);
/* A send with token generation gen was refused for its token: drop it
 * (once: sends with an older token say nothing new). */
void zalo_token_refused(struct zalo_out *z, unsigned gen);
void zalo_token_finish(struct zalo_out *z, struct transfer *t, CURLcode cc);

/* zalo_fetch.c */
void zalo_fetch_due(struct zalo_out *z, time_t now);
void zalo_fetch_finish(struct zalo_out *z, struct transfer *t, CURLcode cc);

#endif
