/* bot_update — see bot_update.h. */
#include "webhook/bot_update.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webhook/jsonfield.h"


int
bot_update_parse(const char *body, size_t len, struct bot_update *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof *u);
	json_error_t je;
	json_t *root = json_loadb(body, len, JSONFIELD_LOAD_FLAGS, &je);
	if (!root) {
		jsonfield_error(&je, err, errlen);    /* never je.text: it quotes the body */
		return -1;
	}
	int rc = -1;
	json_t *top = root;
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		goto out;
	}
	json_t *ok = json_object_get(root, "ok");
	if (json_is_false(ok)) {
		u->kind = BOT_REFUSED;
		rc = 0;
		goto out;
	}
	if (json_is_true(ok) && json_is_object(json_object_get(root, "result")))
		top = json_object_get(root, "result");
	json_t *msg = json_object_get(top, "message");
	if (jsonfield_id(top, "event_name", u->event_name, sizeof u->event_name) < 0) {
		snprintf(err, errlen, "event_name is not a string");
		goto out;
	}
	if (!json_is_object(msg)) {
		u->kind = BOT_NO_MESSAGE;
		rc = 0;
		goto out;
	}
	json_t *from = json_object_get(msg, "from"), *chat = json_object_get(msg, "chat");
	if (jsonfield_id(msg, "message_id", u->message_id, sizeof u->message_id) < 0 ||
	    jsonfield_id(from, "id", u->from_id, sizeof u->from_id) < 0 ||
	    jsonfield_id(chat, "id", u->chat_id, sizeof u->chat_id) < 0) {
		snprintf(err, errlen, "a field has the wrong type or is too long");
		goto out;
	}
	if (!u->message_id[0] || !u->chat_id[0]) {
		snprintf(err, errlen, "message without message_id or chat.id");
		goto out;
	}
	/* any chat_type is read (an unknown one is a group, never an error that
	 * loses the message) */
	const char *ct = json_string_value(json_object_get(chat, "chat_type"));
	if (ct)
		snprintf(u->chat_type, sizeof u->chat_type, "%s", ct);
	u->chat_type_known = ct && (strcmp(ct, "PRIVATE") == 0 || strcmp(ct, "GROUP") == 0);
	json_t *date = json_object_get(msg, "date");
	if (json_is_integer(date)) {
		long long d = json_integer_value(date);
		u->date = d >= 1000000000000LL ? d / 1000 : d;      /* ms, or seconds */
	}
	u->unsupported = strcmp(u->event_name, "message.unsupported.received") == 0;
	json_t *text = json_object_get(msg, "text");
	if (text && !json_is_string(text) && !json_is_null(text)) {
		snprintf(err, errlen, "message.text is not a string");
		goto out;
	}
	if (!u->unsupported) {
		char *t = json_is_string(text) && json_string_length(text) ? jsonfield_text(text) :
		    NULL;
		json_t *jc = json_object_get(msg, "caption");
		char *caption = json_is_string(jc) && json_string_length(jc) ? jsonfield_text(jc) :
		    NULL;
		int bad = (json_is_string(text) && json_string_length(text) && !t) ||
		    (json_is_string(jc) && json_string_length(jc) && !caption) ||
		    (t && jsonfield_add_line(&u->text, t) < 0) ||
		    (caption && jsonfield_add_line(&u->text, caption) < 0);
		free(t);
		free(caption);
		if (bad)
			goto out;
		const char *photo = json_string_value(json_object_get(msg, "photo_url"));
		if (!photo)
			photo = json_string_value(json_object_get(msg, "photo"));
		char line[400];
		if (photo && *photo && strlen(photo) < 2048 && !(u->photo_url = strdup(photo)))
			goto out;
		if (photo) {
			snprintf(line, sizeof line, "[ảnh đính kèm: %.300s]", photo);
			if (jsonfield_add_line(&u->text, line) < 0)
				goto out;
		}
		if (json_object_get(msg, "sticker") &&
		    jsonfield_add_line(&u->text, "[nhãn dán]") < 0)
			goto out;
	}
	if (json_is_true(json_object_get(from, "is_bot")))
		u->kind = BOT_FROM_BOT;
	else if (ct && strcmp(ct, "PRIVATE") == 0)
		u->kind = BOT_PRIVATE;
	else
		u->kind = BOT_GROUP;             /* GROUP, missing, or unknown: fail closed */
	rc = 0;
out:
	if (rc < 0)
		bot_update_clear(u);
	json_decref(root);
	return rc;
}

void
bot_update_clear(struct bot_update *u)
{
	free(u->photo_url);
	free(u->text);
	memset(u, 0, sizeof *u);
}
