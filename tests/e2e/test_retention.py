"""Retention: the sealed reply address of a tip closed for [gateway]
retention is destroyed everywhere it exists (the content stays), the daemon
does it once a day, and the raw database file keeps no copy."""
import os
import sqlite3
import subprocess
import time

from harness import BUILD, OFFICERS, Tinbao, check, citizen, wait_for

DUTY = OFFICERS["duty"][1]
DAY = 86400


def rw(h, sql, *args):
    con = sqlite3.connect(h.db, timeout=10)
    try:
        con.execute(sql, args)
        con.commit()
    finally:
        con.close()


def sealed_copies(h, tip_id):
    """Every sealed blob that holds the address of tip `tip_id`."""
    out = [r["s"] for r in h.query("SELECT sender_sealed AS s FROM tips WHERE code = ?", tip_id)]
    out += [r["s"] for r in h.query("SELECT i.sender_sealed AS s FROM inbound i JOIN tips t "
                                    "ON t.id = i.tip_id WHERE t.code = ?", tip_id)]
    out += [r["s"] for r in h.query("SELECT o.dest_sealed AS s FROM outbox o JOIN tips t "
                                    "ON t.id = o.tip_id WHERE t.code = ?", tip_id)]
    return [bytes(s) for s in out if s]


def raw(h):
    data = b""
    for suffix in ("", "-wal"):
        try:
            with open(h.db + suffix, "rb") as f:
                data += f.read()
        except FileNotFoundError:
            pass
    return data


def local(t):
    """--now takes local time in [gateway] timezone."""
    import datetime
    import zoneinfo
    return datetime.datetime.fromtimestamp(t, zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).strftime(
        "%Y-%m-%d %H:%M")


def new_tip(h, who, text, n):
    h.sms_in(who, text)
    tips = h.wait_tips(n)
    wait_for(lambda: len(h.to_citizens("receipt")) >= n, what="receipt %d" % n)
    return tips[-1]["id"]


def test_retention_destroys_exactly_the_old_addresses():
    h = Tinbao("retention")
    h.full_roster()
    h.start()
    try:
        a, b, c = citizen(), citizen(), citizen()
        ta = new_tip(h, a, "Có người tàng trữ pháo ở nhà số 5", 1)
        tb = new_tip(h, b, "Xe lạ đỗ trước trường mỗi tối", 2)
        tc = new_tip(h, c, "Nhóm thanh niên đua xe đêm qua", 3)
        ca, cb, cc = (t[3:] for t in (ta, tb, tc))
        h.stop()
        # closed with the daemon down: the citizens' closing notices wait in the outbox
        h.cli("close", ta, "--officer", DUTY, "--note", "đã xử lý")
        h.cli("close", tc, "--officer", DUTY)
        now = int(time.time())
        rw(h, "UPDATE tips SET closed_at = closed_at - 100 * 86400 WHERE code = ?", ca)
        old_a = sealed_copies(h, ca)
        check(len(old_a) >= 3, "tip A's address is on tip, message and outbox: %d" % len(old_a))
        keep = sealed_copies(h, cb) + sealed_copies(h, cc)
        before = h.query("SELECT * FROM tips ORDER BY id")
        audit_before = h.query("SELECT count(*) AS n FROM audit")[0]["n"]

        # 90 days on: A was closed 190 days ago, C 90 days ago, B is open
        at = local(now + 90 * DAY)
        dry = h.cli_json("retention", "run", "--dry-run", "--now", at)
        check(dry["dry_run"] and dry["tips"] == [ta], repr(dry))
        check(dry["inbound"] >= 1 and dry["outbox"] >= 2, repr(dry))
        check(h.query("SELECT * FROM tips ORDER BY id") == before, "--dry-run changed tips")
        check(h.query("SELECT count(*) AS n FROM audit")[0]["n"] == audit_before,
              "--dry-run wrote the audit trail")
        check(sealed_copies(h, ca) == old_a, "--dry-run destroyed something")

        text = h.cli("retention", "run", "--now", at).stdout
        check(ta in text and tb not in text and tc not in text, text)
        for who in (a, b, c):
            check(who not in text, "an address in the output")
        check(sealed_copies(h, ca) == [], "tip A still has a sealed copy")
        check(sorted(sealed_copies(h, cb) + sealed_copies(h, cc)) == sorted(keep),
              "another tip's address changed")
        row = h.query("SELECT * FROM tips WHERE code = ?", ca)[0]
        check(row["address_destroyed_at"] and row["text"] == "Có người tàng trữ pháo ở nhà số 5",
              repr(row))
        check(h.query("SELECT address_destroyed_at AS d FROM tips WHERE code = ?", cc)[0]["d"]
              is None, "C marked destroyed")
        notice = h.query("SELECT o.* FROM outbox o JOIN tips t ON t.id = o.tip_id "
                         "WHERE t.code = ? AND o.kind = 'closed_notice'", ca)
        check(len(notice) == 1 and notice[0]["state"] == "failed" and
              "destroyed" in notice[0]["last_error"] and notice[0]["dest_sealed"] == b"",
              repr(notice))
        audit = h.query("SELECT a.* FROM audit a JOIN tips t ON t.id = a.tip_id "
                        "WHERE a.action = 'address_destroyed' AND t.code = ?", ca)
        check(len(audit) == 1, repr(audit))
        # the raw file keeps no copy of the destroyed blobs (secure_delete, checkpoint)
        data = raw(h)
        for blob in old_a:
            check(blob not in data, "a destroyed sealed address is still in the database file")
        for blob in keep:
            check(blob in data, "the raw check cannot see a kept address")
        again = h.cli_json("retention", "run", "--now", at)
        check(again["tips"] == [], "second run found %r" % again["tips"])

        # the daemon comes back: C's notice goes, A's stays failed, nothing breaks
        h.start()
        wait_for(lambda: [r for r in h.to_citizens("closed_notice") if r["state"] == "sent"],
                 what="C's closing notice sent")
        check(len([r for r in h.outbox("o.kind = 'closed_notice' AND o.state = 'sent'")]) == 1,
              "A's closing notice was sent")
        # anything that would answer tip A now fails cleanly
        out = h.cli("ack", ta, "--officer", DUTY).stdout
        check("already closed" in out, out)
        out = h.cli("ack", ta, "--officer", DUTY, lang="vi_VN.UTF-8").stdout
        check("đã được đóng" in out, out)
        h.sms_in(DUTY, "OK " + ca)
        wait_for(lambda: [r for r in h.to_officer("duty", "reply") if ta in r["text"]],
                 what="the officer told A is closed")
        # the citizen may still ask about it from their (new) address
        h.sms_in(a, "TT " + ca)
        wait_for(lambda: h.to_citizens("status"), what="status answer to a new message")
        check(h.proc.poll() is None, "tinbaod died")
    finally:
        h.stop()


def test_daemon_runs_retention_once_a_day_across_restarts():
    h = Tinbao("retention-daily")
    h.full_roster()
    h.start()
    try:
        t1 = new_tip(h, citizen(), "Trộm xe máy ở chợ", 1)
        t2 = new_tip(h, citizen(), "Tụ tập đánh bạc ở bờ kè", 2)
        # the first start does today's run (a busy database defers it 60 s)
        wait_for(lambda: h.query("SELECT value FROM counters WHERE name = 'retention_day'"),
                 timeout=90, what="today's retention run")
        h.stop()
        for t in (t1, t2):
            h.cli("close", t, "--officer", DUTY)
        rw(h, "UPDATE tips SET closed_at = closed_at - 200 * 86400 WHERE code = ?", t1[3:])
        # the first start already did today's run: make it a new day
        check(h.query("SELECT value FROM counters WHERE name = 'retention_day'"), "no day kept")
        rw(h, "DELETE FROM counters WHERE name = 'retention_day'")
        h.start()
        wait_for(lambda: h.query("SELECT address_destroyed_at AS d FROM tips WHERE code = ?",
                                 t1[3:])[0]["d"], timeout=90, what="the daemon's retention run")
        # the day is written just after the run's last transaction
        wait_for(lambda: h.query("SELECT value FROM counters WHERE name = 'retention_day'"),
                 what="the day kept")
        h.stop()
        # today's run is done: a restart does not run it again
        rw(h, "UPDATE tips SET closed_at = closed_at - 200 * 86400 WHERE code = ?", t2[3:])
        h.start()
        # the router looks at retention before it sleeps: once it has routed a
        # later tip, its first look is over
        new_tip(h, citizen(), "Cháy nhỏ ở kho sau chợ", 3)
        check(h.query("SELECT sender_sealed AS s FROM tips WHERE code = ?", t2[3:])[0]["s"],
              "retention ran twice in one day")
        h.stop()
        rw(h, "DELETE FROM counters WHERE name = 'retention_day'")
        h.start()
        wait_for(lambda: h.query("SELECT address_destroyed_at AS d FROM tips WHERE code = ?",
                                 t2[3:])[0]["d"], timeout=90, what="the next day's run")
    finally:
        h.stop()


def test_retention_below_the_legal_floor_is_refused():
    h = Tinbao("retention-floor", gateway={"retention": "120d"})
    ok = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                        capture_output=True, text=True)
    check(ok.returncode == 0, ok.stderr)
    with open(h.conf) as f:
        conf = f.read()
    with open(h.conf, "w") as f:
        f.write(conf.replace("retention = 120d", "retention = 119d"))
    p = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                       capture_output=True, text=True)
    check(p.returncode != 0, "a retention below 120d was accepted")
    check("%s:" % h.conf in p.stderr and "retention" in p.stderr and "120d" in p.stderr,
          p.stderr)
