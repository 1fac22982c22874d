/* oa_event — see oa_event.h. */
#include "webhook/oa_event.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webhook/jsonfield.h"

#include "gateway/identity.h"

#define OA_ATTACH_NOTES 20        /* attachments described in the text, at most */

/* Copy a string or integer member into out. 0 ok (or absent), -1 bad. */
/* One line per attachment: what it is, never who sent it. */
static int
describe_attachments(json_t *list, char **text, struct oa_event *ev)
{
	size_t i;
	json_t *a;
	if (!json_is_array(list))
		return 0;
	json_array_foreach(list, i, a) {
		if (i >= OA_ATTACH_NOTES)
			break;
		const char *type = json_string_value(json_object_get(a, "type"));
		json_t *payload = json_object_get(a, "payload");
		char line[512];
		if (type && strcmp(type, "location") == 0) {
			json_t *c = json_object_get(payload, "coordinates");
			char lat[32], lon[32];
			if (jsonfield_id(c, "latitude", lat, sizeof lat) < 0 ||
			    jsonfield_id(c, "longitude", lon, sizeof lon) < 0)
				return -1;
			snprintf(line, sizeof line, "[vị trí: %s, %s]", lat, lon);
		} else if (type && strcmp(type, "link") == 0) {
			/* a link the citizen chose: kept as their text, never fetched */
			const char *url = json_string_value(json_object_get(payload, "url"));
			snprintf(line, sizeof line, "[liên kết người báo gửi (không mở tự động): %.300s]",
			    url ? url : "?");
		} else {
			const char *url = json_string_value(json_object_get(payload, "url"));
			snprintf(line, sizeof line, "[tệp đính kèm: %.32s%s%.300s]", type ? type : "?",
			    url ? " " : "", url ? url : "");
			if (url && *url && strlen(url) < 2048 && ev->n_attachments < OA_ATTACH_MAX) {
				ev->attachment_kind[ev->n_attachments] = strndup(type ? type : "file", 32);
				ev->attachment_url[ev->n_attachments] = strdup(url);
				if (!ev->attachment_kind[ev->n_attachments] ||
				    !ev->attachment_url[ev->n_attachments++])
					return -1;
			}
		}
		if (jsonfield_add_line(text, line) < 0)
			return -1;
	}
	return 0;
}

static enum oa_kind
classify(const struct oa_event *ev)
{
	const char *e = ev->event_name;
	if (!*e)
		return OA_PROBE;
	if (strncmp(e, "oa_send_", 8) == 0)
		return OA_ECHO;
	if (strncmp(e, "user_send_group_", 16) == 0)
		return OA_GROUP;
	if (strncmp(e, "user_send_", 10) == 0 || strncmp(e, "anonymous_send_", 15) == 0)
		return OA_TIP;
	if (strcmp(e, "follow") == 0 || strcmp(e, "unfollow") == 0)
		return OA_FOLLOW;
	return OA_OTHER;
}

int
oa_event_parse(const char *body, size_t len, struct oa_event *ev, char *err, size_t errlen)
{
	memset(ev, 0, sizeof *ev);
	json_error_t je;
	json_t *root = json_loadb(body, len, JSONFIELD_LOAD_FLAGS, &je);
	if (!root) {
		jsonfield_error(&je, err, errlen);    /* never je.text: it quotes the body */
		return -1;
	}
	int rc = -1;
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		goto out;
	}
	json_t *sender = json_object_get(root, "sender");
	json_t *recipient = json_object_get(root, "recipient");
	json_t *message = json_object_get(root, "message");
	json_t *follower = json_object_get(root, "follower");
	if (jsonfield_id(root, "event_name", ev->event_name, sizeof ev->event_name) < 0 ||
	    jsonfield_id(root, "app_id", ev->app_id, sizeof ev->app_id) < 0 ||
	    jsonfield_id(root, "oa_id", ev->oa_id, sizeof ev->oa_id) < 0 ||
	    jsonfield_id(root, "timestamp", ev->timestamp, sizeof ev->timestamp) < 0 ||
	    jsonfield_id(sender, "id", ev->sender_id, sizeof ev->sender_id) < 0 ||
	    jsonfield_id(recipient, "id", ev->recipient_id, sizeof ev->recipient_id) < 0 ||
	    jsonfield_id(message, "msg_id", ev->msg_id, sizeof ev->msg_id) < 0) {
		snprintf(err, errlen, "a field has the wrong type or is too long");
		goto out;
	}
	if (!ev->sender_id[0] && jsonfield_id(follower, "id", ev->sender_id, sizeof ev->sender_id) < 0) {
		snprintf(err, errlen, "follower.id has the wrong type");
		goto out;
	}
	json_t *text = json_object_get(message, "text");
	if (text && !json_is_string(text) && !json_is_null(text)) {
		snprintf(err, errlen, "message.text is not a string");
		goto out;
	}
	if (json_is_string(text) && json_string_length(text) > 0) {
		ev->text = jsonfield_text(text);     /* whole: the body limit bounds it */
		if (!ev->text)
			goto out;
	}
	if (describe_attachments(json_object_get(message, "attachments"), &ev->text, ev) < 0) {
		snprintf(err, errlen, "an attachment is malformed");
		goto out;
	}
	ev->kind = classify(ev);
	rc = 0;
out:
	if (rc < 0)
		oa_event_clear(ev);
	json_decref(root);
	return rc;
}

void
oa_event_clear(struct oa_event *ev)
{
	for (size_t i = 0; i < ev->n_attachments; i++) {
		free(ev->attachment_kind[i]);
		free(ev->attachment_url[i]);
	}
	free(ev->text);
	memset(ev, 0, sizeof *ev);
}

static int
mac_of(const char *id, const char *body, size_t len, const char *timestamp, const char *secret,
    char out[65])
{
	if (!id || !*id)
		return -1;
	const void *parts[] = { id, body, timestamp, secret };
	const size_t lens[] = { strlen(id), len, strlen(timestamp), strlen(secret) };
	identity_sha256_hex(parts, lens, 4, out);
	return 0;
}

int
oa_verify(const struct oa_event *ev, const char *body, size_t len, const char *header,
    const char *secret, const char *oa_id)
{
	if (!header || !secret || !*secret)
		return 0;
	if (strncmp(header, "mac=", 4) == 0)
		header += 4;
	char given[65];
	if (strlen(header) != 64)
		return 0;
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)header[i]))
			return 0;
		given[i] = (char)tolower((unsigned char)header[i]);
	}
	given[64] = '\0';
	char want[65];
	int ok_a = mac_of(ev->app_id, body, len, ev->timestamp, secret, want) == 0 &&
	    identity_equal(want, given, 64);
	if (ok_a)
		return 1;
	const char *alt = oa_id && *oa_id ? oa_id : ev->oa_id[0] ? ev->oa_id : ev->recipient_id;
	int ok_b = mac_of(alt, body, len, ev->timestamp, secret, want) == 0 &&
	    identity_equal(want, given, 64);
	return ok_b ? 2 : 0;
}

long long
oa_event_time(const struct oa_event *ev)
{
	char *end;
	long long ms = strtoll(ev->timestamp, &end, 10);
	if (end == ev->timestamp || *end || ms <= 0)
		return 0;
	return ms >= 100000000000LL ? ms / 1000 : ms;    /* ms; seconds if short */
}
