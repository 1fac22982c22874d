/* bot_update — one Zalo Bot Platform update as POSTed to /zalo/bot, bare or
 * wrapped in {"ok":true,"result":{...}} (docs/zalo.md B4). Pure, any
 * thread; strings are malloc'd and freed by bot_update_clear(). */
#ifndef TINBAO_BOT_UPDATE_H
#define TINBAO_BOT_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#define BOT_ID_MAX 96

enum bot_kind {
	BOT_NO_MESSAGE,   /* the URL check or an update without a message: 200, nothing admitted */
	BOT_PRIVATE,      /* a private chat with the bot (chat_type exactly "PRIVATE"): like
	                     an SMS */
	BOT_GROUP,        /* anything else: a group message that mentions or quotes the bot,
	                     or a chat whose type is missing or unknown (fail closed) */
	BOT_FROM_BOT,     /* sent by a bot (our own echo): ignored */
	BOT_REFUSED,      /* {"ok": false, ...}: stored nowhere, dropped */
};

struct bot_update {
	enum bot_kind kind;
	char event_name[64];
	char message_id[BOT_ID_MAX];
	char from_id[BOT_ID_MAX];     /* secret: the user's id */
	char chat_id[BOT_ID_MAX];     /* = from_id in a private chat; the group id in a group */
	char chat_type[32];           /* as sent (cut to fit), "" when missing or not a string */
	int chat_type_known;          /* "PRIVATE" or "GROUP" exactly */
	int64_t date;                 /* unix seconds (ms and s both accepted) */
	char *text;                   /* text, photo and sticker notes, or NULL */
	int unsupported;              /* message.unsupported.received: content withheld by Zalo */
	char *photo_url;              /* an image to fetch, or NULL */
};

/* 0, or -1 with a reason in err. A message without message_id or chat.id is
 * an error (400). */
int bot_update_parse(const char *body, size_t len, struct bot_update *u, char *err,
    size_t errlen);
void bot_update_clear(struct bot_update *u);

#endif
