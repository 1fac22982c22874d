/* db_modem — what the modem threads keep: the SIM PIN refused. */
#include "db/db_internal.h"

#include <stdio.h>
#include <string.h>

int
db_sim_pin_refused(struct db *db, const char *modem, char file_id[DB_FILE_ID_MAX])
{
	sqlite3_stmt *st = db_stmt(db, "SELECT file_id FROM sim_pin_refused WHERE modem = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, modem);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(file_id, DB_FILE_ID_MAX, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "refused SIM PIN");
}

int
db_sim_pin_refused_set(struct db *db, const char *modem, const char *file_id, int64_t now)
{
	sqlite3_stmt *st = file_id ?
	    db_stmt(db, "INSERT INTO sim_pin_refused(modem, file_id, at) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT(modem) DO UPDATE SET file_id = ?2, at = ?3") :
	    db_stmt(db, "DELETE FROM sim_pin_refused WHERE modem = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, modem);
	if (file_id) {
		db_bind_text(st, 2, file_id);
		sqlite3_bind_int64(st, 3, now);
	}
	return db_step_done(db, st, "refused SIM PIN");
}
