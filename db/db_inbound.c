/* db_inbound — admitted messages, the parts of multipart SMS (kept, returned
 * and deleted here; joined by the SMS side) and attachments. */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
inbound_clear(struct inbound *m)
{
	free(m->channel);
	free(m->channel_msg_id);
	free(m->via);
	free(m->sender_sealed);
	free(m->pseudonym);
	free(m->text);
	free(m->chat);
	memset(m, 0, sizeof *m);
}

static const char *const kind_names[] = { "message", "group", "event" };

static enum inbound_kind
kind_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return (enum inbound_kind)i;
	return INBOUND_MESSAGE;
}

static int
insert(struct db *db, enum inbound_kind kind, const char *chat, const char *channel,
    const char *channel_msg_id, const char *via, const unsigned char *sealed,
    size_t sealed_len, const char *pseudonym, const char *text, int64_t received_at,
    int64_t source_time, int partial)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO inbound(channel, channel_msg_id, via, "
	    "sender_sealed, pseudonym, text, received_at, source_time, partial, kind, chat) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
	    "ON CONFLICT(channel, channel_msg_id) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, channel_msg_id);
	db_bind_text(st, 3, via);
	if (sealed && sealed_len)
		sqlite3_bind_blob(st, 4, sealed, (int)sealed_len, SQLITE_TRANSIENT);
	db_bind_text(st, 5, pseudonym);
	db_bind_text(st, 6, text);
	sqlite3_bind_int64(st, 7, received_at);
	db_bind_i64_or_null(st, 8, source_time);
	sqlite3_bind_int(st, 9, partial ? 1 : 0);
	db_bind_text(st, 10, kind_names[kind]);
	db_bind_text(st, 11, chat);
	if (db_step_done(db, st, "admit") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0 ? 1 : 0;
}

int
db_inbound_insert(struct db *db, const char *channel, const char *channel_msg_id,
    const char *via, const unsigned char *sealed, size_t sealed_len, const char *pseudonym,
    const char *text, int64_t received_at, int64_t source_time, int partial)
{
	return insert(db, INBOUND_MESSAGE, NULL, channel, channel_msg_id, via, sealed, sealed_len,
	    pseudonym, text, received_at, source_time, partial);
}

int
db_inbound_insert_kind(struct db *db, enum inbound_kind kind, const char *chat,
    const char *channel, const char *channel_msg_id, const char *via,
    const unsigned char *sealed, size_t sealed_len, const char *pseudonym, const char *text,
    int64_t received_at, int64_t source_time)
{
	if ((unsigned)kind >= sizeof kind_names / sizeof kind_names[0]) {
		snprintf(db->err, sizeof db->err, "admit: unknown kind %d", (int)kind);
		return -1;
	}
	return insert(db, kind, chat, channel, channel_msg_id, via, sealed, sealed_len, pseudonym,
	    text, received_at, source_time, 0);
}

int
db_part_insert(struct db *db, const char *via, const char *group, int seq, int total,
    const unsigned char *sealed, size_t sealed_len, const char *pseudonym, const char *text,
    int64_t received_at, int64_t source_time)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO sms_parts(grp, seq, total, source_time, via, "
	    "sender_sealed, pseudonym, text, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
	    "ON CONFLICT(grp, seq, source_time) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, group);
	sqlite3_bind_int(st, 2, seq);
	sqlite3_bind_int(st, 3, total);
	sqlite3_bind_int64(st, 4, source_time);
	db_bind_text(st, 5, via);
	if (sealed && sealed_len)
		sqlite3_bind_blob(st, 6, sealed, (int)sealed_len, SQLITE_TRANSIENT);
	db_bind_text(st, 7, pseudonym);
	db_bind_text(st, 8, text);
	sqlite3_bind_int64(st, 9, received_at);
	if (db_step_done(db, st, "store part") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0 ? 1 : 0;
}

static void
read_part(sqlite3_stmt *st, void *elem)
{
	struct sms_part *p = elem;
	p->seq = sqlite3_column_int(st, 0);
	p->total = sqlite3_column_int(st, 1);
	p->text = db_col_text(st, 2);
	p->via = db_col_text(st, 3);
	p->sender_sealed = db_col_blob(st, 4, &p->sender_sealed_len);
	p->pseudonym = db_col_text(st, 5);
	p->received_at = sqlite3_column_int64(st, 6);
	p->source_time = sqlite3_column_int64(st, 7);
	p->id = sqlite3_column_int64(st, 8);
}

int
db_part_group(struct db *db, const char *group, struct sms_part **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT seq, total, text, via, sender_sealed, pseudonym, "
	    "received_at, source_time, id FROM sms_parts WHERE grp = ?1 AND done = 0 "
	    "ORDER BY seq, id LIMIT ?2");
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, group);
	sqlite3_bind_int(st, 2, DB_PART_GROUP_MAX);
	if (db_collect(db, st, sizeof **out, read_part, (void **)out, n, "read parts") < 0) {
		sms_parts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
sms_parts_free(struct sms_part *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].text);
		free(v[i].via);
		free(v[i].sender_sealed);
		free(v[i].pseudonym);
	}
	free(v);
}

int
db_part_group_done(struct db *db, const char *group)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE sms_parts SET done = 1 WHERE grp = ?1 AND done = 0");
	if (!st)
		return -1;
	db_bind_text(st, 1, group);
	return db_step_done(db, st, "mark parts");
}

static void
read_group(sqlite3_stmt *st, void *elem)
{
	*(char **)elem = db_col_text(st, 0);
}

int
db_parts_stale(struct db *db, int64_t before, size_t max, char ***out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT grp FROM sms_parts WHERE done = 0 GROUP BY grp "
	    "HAVING MIN(received_at) < ?1 LIMIT ?2");
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	if (db_collect(db, st, sizeof **out, read_group, (void **)out, n, "expire parts") < 0) {
		for (size_t i = 0; i < *n; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_parts_prune(struct db *db, int64_t before)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM sms_parts WHERE done = 1 AND received_at < ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	return db_step_done(db, st, "prune parts");
}

static void
read_inbound(sqlite3_stmt *st, void *elem)
{
	struct inbound *out = elem;
	out->id = sqlite3_column_int64(st, 0);
	out->channel = db_col_text(st, 1);
	out->channel_msg_id = db_col_text(st, 2);
	out->via = db_col_text(st, 3);
	out->sender_sealed = db_col_blob(st, 4, &out->sender_sealed_len);
	out->pseudonym = db_col_text(st, 5);
	out->text = db_col_text(st, 6);
	out->received_at = sqlite3_column_int64(st, 7);
	out->partial = sqlite3_column_int(st, 8);
	out->kind = kind_of((const char *)sqlite3_column_text(st, 9));
	out->chat = db_col_text(st, 10);
}

int
db_inbound_next(struct db *db, struct inbound *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, channel, channel_msg_id, via, sender_sealed, "
	    "pseudonym, text, received_at, partial, kind, chat FROM inbound "
	    "WHERE processed_at IS NULL ORDER BY id LIMIT 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		read_inbound(st, out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "next inbound");
}

int
db_inbound_batch(struct db *db, size_t max, struct inbound **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, channel, channel_msg_id, via, sender_sealed, "
	    "pseudonym, text, received_at, partial, kind, chat FROM inbound "
	    "WHERE processed_at IS NULL ORDER BY id LIMIT ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)max);
	if (db_collect(db, st, sizeof **out, read_inbound, (void **)out, n, "inbound") < 0) {
		inbounds_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
inbounds_free(struct inbound *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		inbound_clear(&v[i]);
	free(v);
}

int
db_inbound_mark(struct db *db, int64_t id, int64_t tip_id, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE inbound SET processed_at = ?2, tip_id = ?3 "
	    "WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	db_bind_i64_or_null(st, 3, tip_id);
	return db_step_done(db, st, "mark inbound");
}

int
db_inbound_drop(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM inbound WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, "drop inbound");
}

int
db_attachment_add(struct db *db, const char *channel, const char *channel_msg_id,
    const char *kind, const char *url, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO attachments(channel, channel_msg_id, kind, url, "
	    "next_attempt, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) "
	    "ON CONFLICT(channel, channel_msg_id, url) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, channel_msg_id);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, url);
	sqlite3_bind_int64(st, 5, now);
	return db_step_done(db, st, "attachment");
}

int
db_attachment_claim(struct db *db, int64_t now, int64_t lease_s, int64_t *id, char **url,
    int *attempts)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE attachments SET attempts = attempts + 1, "
	    "next_attempt = ?1 + ?2 WHERE id = (SELECT a.id FROM attachments a JOIN inbound i "
	    "ON i.channel = a.channel AND i.channel_msg_id = a.channel_msg_id "
	    "WHERE a.state = 'pending' AND a.next_attempt <= ?1 AND i.tip_id IS NOT NULL "
	    "ORDER BY a.next_attempt, a.id LIMIT 1) RETURNING id, url, attempts");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, lease_s);
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW;
	if (found) {
		*id = sqlite3_column_int64(st, 0);
		*url = db_col_text(st, 1);
		*attempts = sqlite3_column_int(st, 2);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		if (found)
			free(*url);
		return db_fail(db, "claim attachment");
	}
	return found;
}

int
db_attachments_drop(struct db *db, const char *channel, const char *channel_msg_id,
    const char *why)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE attachments SET state = 'failed', error = ?3 "
	    "WHERE channel = ?1 AND channel_msg_id = ?2 AND state = 'pending'");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, channel_msg_id);
	db_bind_text(st, 3, why);
	return db_step_done(db, st, "drop attachments");
}

int
db_attachment_fetched(struct db *db, int64_t id, const void *data, size_t len,
    const char *content_type, int64_t now)
{
	(void)now;
	sqlite3_stmt *st = db_stmt(db, "UPDATE attachments SET state = 'fetched', content = ?2, "
	    "size = ?3, content_type = ?4, error = NULL WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob64(st, 2, data, len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (int64_t)len);
	db_bind_text(st, 4, content_type);
	return db_step_done(db, st, "attachment fetched");
}

int
db_attachment_retry(struct db *db, int64_t id, const char *error, int64_t next_attempt)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE attachments SET state = CASE WHEN ?3 = 0 THEN "
	    "'failed' ELSE 'pending' END, next_attempt = CASE WHEN ?3 = 0 THEN next_attempt "
	    "ELSE ?3 END, error = ?2 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, error);
	sqlite3_bind_int64(st, 3, next_attempt);
	return db_step_done(db, st, "attachment retry");
}

static void
read_attachment(sqlite3_stmt *st, void *elem)
{
	struct attachment *a = elem;
	a->kind = db_col_text(st, 0);
	a->state = db_col_text(st, 1);
	a->content_type = db_col_text(st, 2);
	a->size = sqlite3_column_int64(st, 3);
	a->error = db_col_text(st, 4);
}

int
db_tip_attachments(struct db *db, int64_t tip_id, struct attachment **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT a.kind, a.state, a.content_type, a.size, a.error "
	    "FROM attachments a JOIN inbound i ON i.channel = a.channel AND "
	    "i.channel_msg_id = a.channel_msg_id WHERE i.tip_id = ?1 ORDER BY a.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	if (db_collect(db, st, sizeof **out, read_attachment, (void **)out, n, "attachments") < 0) {
		attachments_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
attachments_free(struct attachment *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].kind);
		free(v[i].state);
		free(v[i].content_type);
		free(v[i].error);
	}
	free(v);
}
