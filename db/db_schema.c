/* db_schema — the schema as its migrations, in order (see db_internal.h).
 * db.c runs them; nothing else is here. */
#include "db/db_internal.h"

/* The counts /metrics and the desk page show are kept by triggers in the
 * counters table (name "metric.<what>[.<label>]"), in the transaction that
 * changes them: reading them costs the same with 100 tips or 100,000. */
#define BUMP(name, delta) "INSERT INTO counters(name, value) VALUES (" name ", " delta ") " \
	"ON CONFLICT(name) DO UPDATE SET value = value + excluded.value;"
#define TIP_UNSTAFFED(r) "(" r ".status = 'new' AND " r ".waiting = 1)"
/* A tip's acknowledgement time (seconds) and its bucket of the
 * tinbao_ack_seconds histogram: the smallest bound it is within, or "inf".
 * db_metrics.c (ACK_BOUNDS) knows the same bounds. */
#define ACK_D(r) "max(" r ".acked_at - " r ".created_at, 0)"
#define ACK_BUCKET(r) "('metric.ack_le.' || CASE WHEN " ACK_D(r) " <= 60 THEN '60' " \
	"WHEN " ACK_D(r) " <= 120 THEN '120' WHEN " ACK_D(r) " <= 300 THEN '300' " \
	"WHEN " ACK_D(r) " <= 600 THEN '600' WHEN " ACK_D(r) " <= 900 THEN '900' " \
	"WHEN " ACK_D(r) " <= 1800 THEN '1800' WHEN " ACK_D(r) " <= 3600 THEN '3600' " \
	"WHEN " ACK_D(r) " <= 7200 THEN '7200' WHEN " ACK_D(r) " <= 21600 THEN '21600' " \
	"WHEN " ACK_D(r) " <= 86400 THEN '86400' ELSE 'inf' END)"
#define ACK_MOVED "(old.acked_at IS NOT new.acked_at OR old.created_at IS NOT new.created_at)"
#define OB_Q(r) "(" r ".state IN ('queued','sending'))"
#define OB_F(r) "(" r ".state = 'failed')"
#define OB_E(r) "(" r ".attempts - (" r ".state IN ('sent','sending')))"

/* Each entry migrates from version i to i+1. Append; never edit a shipped one. */
static const char *const migrations[] = {
	/* 0 -> 1: the whole first schema */
	"CREATE TABLE inbound ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  channel_msg_id TEXT NOT NULL,"
	"  via TEXT,"
	"  sender_sealed BLOB,"
	"  pseudonym TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  source_time INTEGER,"
	"  partial INTEGER NOT NULL DEFAULT 0,"
	"  processed_at INTEGER,"
	"  tip_id INTEGER REFERENCES tips(id),"
	"  UNIQUE (channel, channel_msg_id));"
	"CREATE INDEX inbound_todo ON inbound(id) WHERE processed_at IS NULL;"
	"CREATE TABLE sms_parts ("
	"  id INTEGER PRIMARY KEY,"
	"  grp TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  source_time INTEGER NOT NULL,"
	"  via TEXT,"
	"  sender_sealed BLOB,"
	"  pseudonym TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  done INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (grp, seq, source_time));"
	"CREATE INDEX sms_parts_open ON sms_parts(grp) WHERE done = 0;"
	"CREATE TABLE officers ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  phone TEXT NOT NULL UNIQUE,"
	"  zalo_oa TEXT,"
	"  zalo_bot TEXT,"
	"  channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms','zalo_oa','zalo_bot')),"
	"  role TEXT NOT NULL DEFAULT 'officer' CHECK (role IN ('officer','leader','chief')),"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE shifts ("
	"  id INTEGER PRIMARY KEY,"
	"  officer_id INTEGER NOT NULL REFERENCES officers(id),"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
	"  always INTEGER NOT NULL DEFAULT 0,"
	"  starts_at INTEGER,"
	"  ends_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK (always = 1 OR (starts_at IS NOT NULL AND ends_at > starts_at)));"
	"CREATE INDEX shifts_level ON shifts(level, starts_at);"
	"CREATE TABLE tips ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','acknowledged','closed')),"
	"  channel TEXT NOT NULL,"
	"  pseudonym TEXT NOT NULL,"
	"  sender_sealed BLOB,"
	"  category TEXT NOT NULL DEFAULT 'khac',"
	"  urgent INTEGER NOT NULL DEFAULT 0,"
	"  text TEXT NOT NULL,"
	"  ref_code TEXT,"
	"  partial INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  last_citizen_at INTEGER NOT NULL,"
	"  acked_at INTEGER,"
	"  acked_by INTEGER REFERENCES officers(id),"
	"  closed_at INTEGER,"
	"  closed_by INTEGER REFERENCES officers(id),"
	"  close_note TEXT,"
	"  level INTEGER NOT NULL DEFAULT 1,"
	"  next_deadline INTEGER,"
	"  deadline_set_at INTEGER,"
	"  waiting INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX tips_deadline ON tips(next_deadline) WHERE status = 'new';"
	"CREATE INDEX tips_sender ON tips(pseudonym, last_citizen_at);"
	"CREATE INDEX tips_waiting ON tips(id) WHERE status = 'new' AND waiting = 1;"
	"CREATE TABLE tip_messages ("
	"  id INTEGER PRIMARY KEY,"
	"  tip_id INTEGER NOT NULL REFERENCES tips(id),"
	"  direction TEXT NOT NULL CHECK (direction IN ('in','out','note')),"
	"  inbound_id INTEGER REFERENCES inbound(id),"
	"  officer_id INTEGER REFERENCES officers(id),"
	"  text TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX tip_messages_tip ON tip_messages(tip_id);"
	"CREATE TABLE tip_notified ("
	"  tip_id INTEGER NOT NULL REFERENCES tips(id),"
	"  officer_id INTEGER NOT NULL REFERENCES officers(id),"
	"  level INTEGER NOT NULL,"
	"  first_at INTEGER NOT NULL,"
	"  last_at INTEGER NOT NULL,"
	"  PRIMARY KEY (tip_id, officer_id));"
	"CREATE INDEX tip_notified_officer ON tip_notified(officer_id);"
	"CREATE TABLE escalations ("
	"  id INTEGER PRIMARY KEY,"
	"  tip_id INTEGER NOT NULL REFERENCES tips(id),"
	"  from_level INTEGER NOT NULL,"
	"  to_level INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX escalations_tip ON escalations(tip_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  dest TEXT,"
	"  dest_sealed BLOB,"
	"  officer_id INTEGER REFERENCES officers(id),"
	"  tip_id INTEGER REFERENCES tips(id),"
	"  kind TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sending','sent','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL,"
	"  claimed_by TEXT,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  via TEXT,"
	"  CHECK ((dest IS NULL) <> (dest_sealed IS NULL)));"
	"CREATE INDEX outbox_ready ON outbox(channel, next_attempt) WHERE state IN ('queued','sending');"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  tip_id INTEGER REFERENCES tips(id),"
	"  detail TEXT);"
	"CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
	/* 1 -> 2: the Zalo OA token pair, sealed with the key file */
	"CREATE TABLE oa_token ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  access_sealed BLOB,"
	"  refresh_sealed BLOB NOT NULL,"
	"  expires_at INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL);",
	/* 2 -> 3: attachments (Zalo links expire: the files are fetched and kept) */
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  channel_msg_id TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  url TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','fetched','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL,"
	"  content BLOB,"
	"  size INTEGER,"
	"  content_type TEXT,"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (channel, channel_msg_id, url));"
	"CREATE INDEX attachments_todo ON attachments(next_attempt) WHERE state = 'pending';",
	/* 3 -> 4: relay and handover, abuse control, retention, the audit chain,
	 * the legal clocks' holidays */
	"ALTER TABLE audit ADD COLUMN hash TEXT;"          /* chain: see gateway/audit.c */
	"ALTER TABLE tips ADD COLUMN assigned_to INTEGER REFERENCES officers(id);"
	"ALTER TABLE tips ADD COLUMN address_destroyed_at INTEGER;"
	"ALTER TABLE tips ADD COLUMN notice_at INTEGER;"   /* receipt notice recorded */
	"ALTER TABLE officers ADD COLUMN short_code TEXT;" /* CHUYEN <id> <short code> */
	"CREATE UNIQUE INDEX officers_short_code ON officers(short_code) "
	"  WHERE short_code IS NOT NULL;"
	"CREATE INDEX tips_sender_created ON tips(pseudonym, created_at);"
	"CREATE INDEX tips_closed_sealed ON tips(closed_at) "
	"  WHERE status = 'closed' AND sender_sealed IS NOT NULL;"
	"CREATE TABLE senders ("
	"  pseudonym TEXT PRIMARY KEY,"
	"  muted_at INTEGER,"
	"  muted_by TEXT,"
	"  muted_tip INTEGER REFERENCES tips(id),"
	"  replies_day TEXT,"                              /* local YYYY-MM-DD */
	"  replies INTEGER NOT NULL DEFAULT 0,"
	"  refused_day TEXT,"
	"  refusals INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE holidays ("
	"  day TEXT PRIMARY KEY,"                          /* YYYY-MM-DD */
	"  name TEXT NOT NULL);",
	/* 4 -> 5: what the router needs of an admitted message besides its
	 * text: a group message (chat: the group, where an answer goes) or a
	 * channel event (text: its name), see enum inbound_kind */
	"ALTER TABLE inbound ADD COLUMN kind TEXT NOT NULL DEFAULT 'message' "
	"  CHECK (kind IN ('message','group','event'));"
	"ALTER TABLE inbound ADD COLUMN chat TEXT;",
	/* 5 -> 6: an audit trail people can read: the officer a desk action was
	 * for, identical reads collapsed into one row (reads, last_at) whose
	 * count a later row seals into the chain (seals); see gateway/audit.h */
	"ALTER TABLE audit ADD COLUMN officer TEXT;"
	"ALTER TABLE audit ADD COLUMN seals TEXT;"
	"ALTER TABLE audit ADD COLUMN reads INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE audit ADD COLUMN last_at INTEGER;"
	"ALTER TABLE audit ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX audit_reads_recent ON audit(action, at);"
	"CREATE INDEX audit_unsealed ON audit(id) WHERE reads > 1 AND sealed = 0;",
	/* 6 -> 7: rosters as wards keep them: a shift is once (from..to),
	 * always, weekly (days of the week, a daily time that may run past
	 * midnight, between two dates) or an officer's day off; see
	 * gateway/roster.h. The table is rebuilt (its CHECK changes). */
	"CREATE TABLE shifts_new ("
	"  id INTEGER PRIMARY KEY,"
	"  officer_id INTEGER NOT NULL REFERENCES officers(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('once','always','weekly','off')),"
	"  level INTEGER CHECK (level BETWEEN 1 AND 4),"
	"  starts_at INTEGER,"
	"  ends_at INTEGER,"
	"  weekdays INTEGER,"                              /* bit 0 Monday .. bit 6 Sunday */
	"  time_from INTEGER,"                             /* minutes after local midnight */
	"  time_to INTEGER,"                               /* <= time_from: the next day */
	"  first_day TEXT,"                                /* YYYY-MM-DD, local */
	"  last_day TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK ((kind = 'off') = (level IS NULL)),"
	"  CHECK (kind <> 'once' OR (starts_at IS NOT NULL AND ends_at > starts_at)),"
	"  CHECK (kind <> 'weekly' OR (weekdays BETWEEN 1 AND 127 AND "
	"    time_from BETWEEN 0 AND 1439 AND time_to BETWEEN 1 AND 1440)),"
	"  CHECK (kind <> 'off' OR (first_day IS NOT NULL AND last_day IS NOT NULL)),"
	"  CHECK (first_day IS NULL OR last_day IS NULL OR last_day >= first_day));"
	"INSERT INTO shifts_new(id, officer_id, kind, level, starts_at, ends_at, created_at) "
	"  SELECT id, officer_id, CASE always WHEN 1 THEN 'always' ELSE 'once' END, level, "
	"  CASE always WHEN 1 THEN NULL ELSE starts_at END, "
	"  CASE always WHEN 1 THEN NULL ELSE ends_at END, created_at FROM shifts;"
	"DROP TABLE shifts;"
	"ALTER TABLE shifts_new RENAME TO shifts;"
	"CREATE INDEX shifts_once ON shifts(starts_at) WHERE kind = 'once';"
	"CREATE INDEX shifts_officer ON shifts(officer_id);",
	/* 7 -> 8: a SIM PIN the SIM refused is not entered again until its
	 * pin_file changes (file_id: device, inode, size, modification time;
	 * nothing of the PIN), across restarts */
	"CREATE TABLE sim_pin_refused ("
	"  modem TEXT PRIMARY KEY,"
	"  file_id TEXT NOT NULL,"
	"  at INTEGER NOT NULL);",
	/* 8 -> 9: passing a tip on to the investigation agency is a recorded
	 * act (the 24-hour legal clock, docs/domain.md §2): when, to whom, and
	 * the officer who recorded it */
	"ALTER TABLE tips ADD COLUMN passed_at INTEGER;"
	"ALTER TABLE tips ADD COLUMN passed_to TEXT;"
	"ALTER TABLE tips ADD COLUMN passed_by INTEGER REFERENCES officers(id);",
	/* 9 -> 10: ack deadlines in milliseconds (an escalation fires within
	 * milliseconds of its deadline, not up to a second early) */
	"DROP INDEX tips_deadline;"
	"ALTER TABLE tips ADD COLUMN deadline_ms INTEGER;"
	"UPDATE tips SET deadline_ms = next_deadline * 1000 WHERE next_deadline IS NOT NULL;"
	"ALTER TABLE tips DROP COLUMN next_deadline;"
	"CREATE INDEX tips_deadline_ms ON tips(deadline_ms) WHERE status = 'new';"
	/* and indexes so that the periodic and per-command look-ups cost what
	 * they find, not the size of the tables: new tips and open (not
	 * closed) tips in order, an officer's acknowledged tips, officers'
	 * queued messages (the flood guard), messages a killed daemon left
	 * being sent (start-up), the copies of a reply address the daily
	 * retention destroys (a scan of inbound and outbox per closed tip) */
	"CREATE INDEX tips_new ON tips(id) WHERE status = 'new';"
	"CREATE INDEX tips_open ON tips(created_at, id) WHERE status <> 'closed';"
	"CREATE INDEX tips_acked_by ON tips(acked_by, acked_at) WHERE status = 'acknowledged';"
	"CREATE INDEX outbox_officer_queued ON outbox(officer_id, created_at) "
	"  WHERE state = 'queued' AND officer_id IS NOT NULL;"
	"CREATE INDEX outbox_sending ON outbox(channel) WHERE state = 'sending';"
	"CREATE INDEX inbound_sealed_tip ON inbound(tip_id) WHERE sender_sealed IS NOT NULL;"
	"CREATE INDEX inbound_sealed_loose ON inbound(processed_at) "
	"  WHERE tip_id IS NULL AND sender_sealed IS NOT NULL;"
	"CREATE INDEX outbox_sealed_tip ON outbox(tip_id) WHERE length(dest_sealed) > 0;"
	"CREATE INDEX sms_parts_sealed ON sms_parts(received_at) "
	"  WHERE done = 1 AND sender_sealed IS NOT NULL;"
	/* the counts for /metrics, kept by triggers (see BUMP above) */
	"INSERT INTO counters(name, value) SELECT 'metric.tips.' || channel, count(*) FROM tips "
	"  GROUP BY channel;"
	"INSERT INTO counters(name, value) SELECT 'metric.acks', count(*) FROM tips "
	"  WHERE acked_at IS NOT NULL;"
	"INSERT INTO counters(name, value) SELECT 'metric.open', count(*) FROM tips "
	"  WHERE status <> 'closed';"
	"INSERT INTO counters(name, value) SELECT 'metric.unstaffed', count(*) FROM tips "
	"  WHERE " TIP_UNSTAFFED("tips") ";"
	"INSERT INTO counters(name, value) SELECT " ACK_BUCKET("tips") ", count(*) FROM tips "
	"  WHERE acked_at IS NOT NULL GROUP BY 1;"
	"INSERT INTO counters(name, value) SELECT 'metric.ack_sum', coalesce(sum(" ACK_D("tips")
	"), 0) FROM tips WHERE acked_at IS NOT NULL;"
	"INSERT INTO counters(name, value) SELECT 'metric.escalations.' || to_level, count(*) "
	"  FROM escalations GROUP BY to_level;"
	"INSERT INTO counters(name, value) SELECT 'metric.queued.' || channel, count(*) FROM outbox "
	"  WHERE state IN ('queued','sending') GROUP BY channel;"
	"INSERT INTO counters(name, value) SELECT 'metric.failed.' || channel, count(*) FROM outbox "
	"  WHERE state = 'failed' GROUP BY channel;"
	"INSERT INTO counters(name, value) SELECT 'metric.send_errors.' || channel, "
	"  sum(attempts - (state IN ('sent','sending'))) FROM outbox GROUP BY channel;"
	"INSERT INTO counters(name, value) SELECT 'metric.inbound_todo', count(*) FROM inbound "
	"  WHERE processed_at IS NULL;"
	"CREATE TRIGGER metric_tips_ins AFTER INSERT ON tips BEGIN "
	BUMP("'metric.tips.' || new.channel", "1")
	BUMP("'metric.open'", "new.status <> 'closed'")
	BUMP("'metric.unstaffed'", TIP_UNSTAFFED("new")) " END;"
	"CREATE TRIGGER metric_tips_ins_acked AFTER INSERT ON tips WHEN new.acked_at IS NOT NULL "
	"  BEGIN " BUMP("'metric.acks'", "1") " END;"
	"CREATE TRIGGER metric_tips_upd AFTER UPDATE OF status, acked_at ON tips "
	"  WHEN (old.status <> 'closed') <> (new.status <> 'closed') OR "
	"  (old.acked_at IS NULL) <> (new.acked_at IS NULL) BEGIN "
	BUMP("'metric.open'", "(new.status <> 'closed') - (old.status <> 'closed')")
	BUMP("'metric.acks'", "(new.acked_at IS NOT NULL) - (old.acked_at IS NOT NULL)") " END;"
	"CREATE TRIGGER metric_tips_unstaffed AFTER UPDATE OF status, waiting ON tips "
	"  WHEN " TIP_UNSTAFFED("old") " <> " TIP_UNSTAFFED("new") " BEGIN "
	BUMP("'metric.unstaffed'", TIP_UNSTAFFED("new") " - " TIP_UNSTAFFED("old")) " END;"
	"CREATE TRIGGER metric_tips_del AFTER DELETE ON tips BEGIN "
	BUMP("'metric.tips.' || old.channel", "-1")
	BUMP("'metric.open'", "-(old.status <> 'closed')")
	BUMP("'metric.unstaffed'", "-" TIP_UNSTAFFED("old"))
	BUMP("'metric.acks'", "-(old.acked_at IS NOT NULL)") " END;"
	/* the acknowledgement times' histogram: its buckets and sum (the
	 * count is metric.acks) */
	"CREATE TRIGGER metric_ack_ins AFTER INSERT ON tips WHEN new.acked_at IS NOT NULL BEGIN "
	BUMP(ACK_BUCKET("new"), "1") BUMP("'metric.ack_sum'", ACK_D("new")) " END;"
	"CREATE TRIGGER metric_ack_upd_old AFTER UPDATE OF acked_at, created_at ON tips "
	"  WHEN old.acked_at IS NOT NULL AND " ACK_MOVED " BEGIN "
	BUMP(ACK_BUCKET("old"), "-1") BUMP("'metric.ack_sum'", "-" ACK_D("old")) " END;"
	"CREATE TRIGGER metric_ack_upd_new AFTER UPDATE OF acked_at, created_at ON tips "
	"  WHEN new.acked_at IS NOT NULL AND " ACK_MOVED " BEGIN "
	BUMP(ACK_BUCKET("new"), "1") BUMP("'metric.ack_sum'", ACK_D("new")) " END;"
	"CREATE TRIGGER metric_ack_del AFTER DELETE ON tips WHEN old.acked_at IS NOT NULL BEGIN "
	BUMP(ACK_BUCKET("old"), "-1") BUMP("'metric.ack_sum'", "-" ACK_D("old")) " END;"
	"CREATE TRIGGER metric_escalations_ins AFTER INSERT ON escalations BEGIN "
	BUMP("'metric.escalations.' || new.to_level", "1") " END;"
	"CREATE TRIGGER metric_escalations_del AFTER DELETE ON escalations BEGIN "
	BUMP("'metric.escalations.' || old.to_level", "-1") " END;"
	"CREATE TRIGGER metric_outbox_ins AFTER INSERT ON outbox WHEN " OB_Q("new") " BEGIN "
	BUMP("'metric.queued.' || new.channel", "1") " END;"
	"CREATE TRIGGER metric_outbox_ins_other AFTER INSERT ON outbox "
	"  WHEN " OB_F("new") " OR " OB_E("new") " <> 0 BEGIN "
	BUMP("'metric.failed.' || new.channel", OB_F("new"))
	BUMP("'metric.send_errors.' || new.channel", OB_E("new")) " END;"
	/* a state change on the same channel: only the counts that move */
	"CREATE TRIGGER metric_outbox_queued AFTER UPDATE OF state ON outbox "
	"  WHEN old.channel = new.channel AND " OB_Q("old") " <> " OB_Q("new") " BEGIN "
	BUMP("'metric.queued.' || new.channel", OB_Q("new") " - " OB_Q("old")) " END;"
	"CREATE TRIGGER metric_outbox_failed AFTER UPDATE OF state ON outbox "
	"  WHEN old.channel = new.channel AND " OB_F("old") " <> " OB_F("new") " BEGIN "
	BUMP("'metric.failed.' || new.channel", OB_F("new") " - " OB_F("old")) " END;"
	"CREATE TRIGGER metric_outbox_errors AFTER UPDATE OF state, attempts ON outbox "
	"  WHEN old.channel = new.channel AND " OB_E("old") " <> " OB_E("new") " BEGIN "
	BUMP("'metric.send_errors.' || new.channel", OB_E("new") " - " OB_E("old")) " END;"
	/* a message moved to another channel (the SMS fallback) */
	"CREATE TRIGGER metric_outbox_moved AFTER UPDATE OF channel ON outbox "
	"  WHEN old.channel <> new.channel BEGIN "
	BUMP("'metric.queued.' || old.channel", "-" OB_Q("old"))
	BUMP("'metric.failed.' || old.channel", "-" OB_F("old"))
	BUMP("'metric.send_errors.' || old.channel", "-" OB_E("old"))
	BUMP("'metric.queued.' || new.channel", OB_Q("new"))
	BUMP("'metric.failed.' || new.channel", OB_F("new"))
	BUMP("'metric.send_errors.' || new.channel", OB_E("new")) " END;"
	"CREATE TRIGGER metric_outbox_del AFTER DELETE ON outbox BEGIN "
	BUMP("'metric.queued.' || old.channel", "-" OB_Q("old"))
	BUMP("'metric.failed.' || old.channel", "-" OB_F("old"))
	BUMP("'metric.send_errors.' || old.channel", "-" OB_E("old")) " END;"
	"CREATE TRIGGER metric_inbound_ins AFTER INSERT ON inbound WHEN new.processed_at IS NULL "
	"  BEGIN " BUMP("'metric.inbound_todo'", "1") " END;"
	"CREATE TRIGGER metric_inbound_upd AFTER UPDATE OF processed_at ON inbound "
	"  WHEN (old.processed_at IS NULL) <> (new.processed_at IS NULL) BEGIN "
	BUMP("'metric.inbound_todo'", "(new.processed_at IS NULL) - (old.processed_at IS NULL)")
	" END;"
	"CREATE TRIGGER metric_inbound_del AFTER DELETE ON inbound WHEN old.processed_at IS NULL "
	"  BEGIN " BUMP("'metric.inbound_todo'", "-1") " END;",
	/* 10 -> 11: the period report reads tips by receipt, the desk page the
	 * ones acknowledged or closed today */
	"CREATE INDEX tips_created ON tips(created_at);"
	"CREATE INDEX tips_acked ON tips(acked_at) WHERE acked_at IS NOT NULL;"
	"CREATE INDEX tips_closed ON tips(closed_at) WHERE closed_at IS NOT NULL;",
	/* 11 -> 12: what the health snapshot asks at every GET /healthz and
	 * desk page, answered from the head of an index, whatever the backlog:
	 * the oldest message waiting to be sent, and each modem's or Zalo
	 * API's last message in and out */
	"CREATE INDEX outbox_waiting_age ON outbox(created_at, id) "
	"  WHERE state IN ('queued','sending');"
	"CREATE INDEX inbound_via ON inbound(via, id);"
	"CREATE INDEX outbox_sent_via ON outbox(via, id) WHERE state = 'sent';",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION,
    "db.h's DB_SCHEMA_VERSION is the number of migrations");

const char *
db_migration(size_t i)
{
	return migrations[i];
}
