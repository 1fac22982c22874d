/* oa_event — one Zalo Official Account webhook event: parsed from the body
 * Zalo POSTs to /zalo/oa, and its X-ZEvent-Signature checked over the exact
 * bytes received (docs/zalo.md A3-A5).
 *
 * Pure functions, any thread. Strings in struct oa_event are malloc'd and
 * freed by oa_event_clear(); the body is borrowed and never changed.
 */
#ifndef TINBAO_OA_EVENT_H
#define TINBAO_OA_EVENT_H

#include <stddef.h>

#define OA_ID_MAX 64
#define OA_ATTACH_MAX 10

enum oa_kind {
	OA_PROBE,        /* no event_name: the URL-save probe; answer 200, admit nothing */
	OA_TIP,          /* user_send_* / anonymous_send_*: a citizen's message */
	OA_ECHO,         /* oa_send_* or sent by the OA itself: ignored */
	OA_FOLLOW,       /* follow / unfollow: recorded, no tip */
	OA_GROUP,        /* user_send_group_*: officers' group traffic */
	OA_OTHER,        /* anything else: 200, not a tip */
};

struct oa_event {
	enum oa_kind kind;
	char event_name[64];
	char app_id[OA_ID_MAX];
	char oa_id[OA_ID_MAX];        /* top-level oa_id, when present */
	char timestamp[24];           /* decimal text, as in the body */
	char sender_id[OA_ID_MAX];    /* the user's OA-scoped id: secret */
	char recipient_id[OA_ID_MAX];
	char msg_id[OA_ID_MAX];
	char *text;                   /* the message text and attachment notes, or NULL */
	/* files to fetch (images, files, voice...): malloc'd */
	char *attachment_kind[OA_ATTACH_MAX];
	char *attachment_url[OA_ATTACH_MAX];
	size_t n_attachments;
};

/* 0, or -1 with a reason in err (not JSON, not an object, a field of the
 * wrong type or too long). */
int oa_event_parse(const char *body, size_t len, struct oa_event *ev, char *err, size_t errlen);
void oa_event_clear(struct oa_event *ev);

/* Check "mac=<hex>" = SHA-256(id || body || timestamp || secret) for id =
 * the event's app_id (Zalo's documented form) or, failing that, the OA id
 * (seen in community code). Returns 1 (app_id) or 2 (OA id) when it
 * matches, 0 when it does not or the header is malformed. Constant time
 * in the comparison. */
int oa_verify(const struct oa_event *ev, const char *body, size_t len, const char *header,
    const char *secret, const char *oa_id);

/* The event's time in unix seconds (0 if absent or not a number). */
long long oa_event_time(const struct oa_event *ev);

#endif
