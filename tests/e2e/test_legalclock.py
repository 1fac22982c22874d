"""One legal clock, everywhere (issue 11 §2): the five views of a tip's legal
clocks — the command line (`tinbao tip show`, `tinbao due`), the admin API
(GET /api/tips/ID), the duty-desk page (GET /), the daily summary to the shift
leader and the receipt book (`tinbao book --csv`) — print the same deadlines
and the same states, for tips received on every day of a week at 00:01 and
23:59 local, across a holiday and a weekend, acknowledged (which is not
passing on), passed on in time or late, noticed in time or late.

The week is chosen from the real date (a week that ended at least two days
ago, so every receipt is in the past), and so that no deadline falls within
20 minutes of the run: the test holds on any day, at any hour. The expected
dates are counted here, independently of tinbao."""
import base64
import csv
import datetime
import http.client
import io
import os
import re
import sqlite3
import subprocess
import time

from harness import (ARTIFACTS, BUILD, OFFICERS, Tinbao, _lock, check, citizen, unaccent,
                     wait_for)

TOKEN = "legal-clock-token-0123456789"
DUTY = OFFICERS["duty"][1]
AGENCY = "Cơ quan CSĐT Công an TP"
TZ = datetime.timezone(datetime.timedelta(hours=7))      # Asia/Ho_Chi_Minh, no DST
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
VIEWS = ["cli", "api", "desk", "summary", "book"]


def local(dt):
    return dt.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def notice_day(received, holidays):
    """The 3rd working day after the day of receipt (Mon-Fri minus holidays)."""
    left, d = 3, received
    while left:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5 and d not in holidays:
            left -= 1
    return d


def midnight_after(day):
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 0),
                                     TZ)


def plan(now):
    """(seven receipt days, the holiday): the latest week ending at least two
    days ago whose deadlines all keep 20 minutes away from now, with a notice
    still running and one overdue, and a holiday between a receipt and its
    notice day."""
    today = now.astimezone(TZ).date()
    margin = datetime.timedelta(minutes=20)
    for k in range(2, 60):
        days = [today - datetime.timedelta(days=k + 6 - i) for i in range(7)]
        hol = next(d for d in (days[0] + datetime.timedelta(days=j) for j in range(1, 8))
                   if d.weekday() < 5)
        dues = []
        for d in days:
            for hm in ((0, 1), (23, 59)):
                r = datetime.datetime.combine(d, datetime.time(*hm), TZ)
                dues += [r + datetime.timedelta(hours=24), r + datetime.timedelta(hours=30),
                         midnight_after(notice_day(d, {hol}))]
        if any(abs(x - now) < margin for x in dues):
            continue
        notices = [midnight_after(notice_day(d, {hol})) for d in days]
        if any(x > now for x in notices) and any(x < now for x in notices):
            return days, hol
    raise AssertionError("no week fits")


# ------------------------------------------------------------ the views

def state_of(text, done_words):
    t = unaccent(text).lower()
    if "tre han" in t or "done late" in t or "qua han, han" in t:
        return "done_late"
    if any(w in t for w in done_words):
        return "done"
    if "qua han" in t or "overdue" in t:
        return "overdue"
    return "running"


def cli_view(h, tid):
    out = h.cli("tip", "show", tid).stdout
    got = {}
    for name, key in (("pass on", "pass_on"), ("notice", "notice")):
        m = re.search(r"^  %s\s+(\d{4}-\d\d-\d\d(?: \d\d:\d\d)?)(?: \(end of day\))?\s+(.*)$"
                      % name, out, re.M)
        check(m, "tip show %s: no %s line:\n%s" % (tid, name, out))
        due, rest = m.group(1), m.group(2)
        st = state_of(rest, ["done"])
        done = re.search(r"done (?:LATE )?(\d{4}-\d\d-\d\d \d\d:\d\d)", rest)
        got[key] = {"due": due, "state": st, "done": done.group(1) if done else None}
        if key == "pass_on" and st.startswith("done"):
            got[key]["to"] = AGENCY if AGENCY in rest else rest
    return got


def due_view(h):
    """`tinbao due --within 366d`: the pending clocks, by ID."""
    out = h.cli("due", "--within", "366d").stdout
    got = {}
    for line in out.splitlines()[1:]:
        m = re.match(r"^(TB-\w+) +(pass on|notice) +(\d{4}-\d\d-\d\d(?: \d\d:\d\d)?)"
                     r"(?: \(end of day\))? +(in |OVERDUE)", line)
        if m:
            got.setdefault(m.group(1), {})["pass_on" if m.group(2) == "pass on" else
                                          "notice"] = {
                "due": m.group(3), "state": "running" if m.group(4) == "in " else "overdue"}
    return got


def api_view(h, tid):
    status, doc = h.http("GET", "/api/tips/" + tid, headers={"Authorization": "Bearer " + TOKEN})
    check(status == 200, "GET /api/tips/%s: %s %r" % (tid, status, doc))
    with _lock:
        ARTIFACTS.append(("GET /api/tips/%s" % tid, repr(doc)))
    got = {}
    for key in ("pass_on", "notice"):
        c = doc["legal"][key]
        due = c["due"] if key == "notice" else local(datetime.datetime.fromisoformat(c["due"]))
        got[key] = {"due": due, "state": c["state"],
                    "done": local(datetime.datetime.fromisoformat(c["done_at"]))
                    if c["done_at"] else None}
        if key == "pass_on" and c["to"]:
            got[key]["to"] = c["to"]
    return got


def desk_page(h):
    auth = "Basic " + base64.b64encode(("trucban:" + TOKEN).encode()).decode()
    con = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    try:
        con.request("GET", "/", headers={"Authorization": auth})
        r = con.getresponse()
        page = r.read().decode("utf-8")
    finally:
        con.close()
    check(r.status == 200, "GET /: %d" % r.status)
    with _lock:
        ARTIFACTS.append(("GET / (legal clocks)", page))
    return page


def page_dmy(s):
    """'14:05 06/12/2026' -> '2026-12-06 14:05'; 'hết ngày 09/12/2026' -> '2026-12-09'."""
    m = re.search(r"(?:(\d\d):(\d\d) )?(\d\d)/(\d\d)/(\d{4})", s)
    if not m:
        return None
    day = "%s-%s-%s" % (m.group(5), m.group(4), m.group(3))
    return day + (" %s:%s" % (m.group(1), m.group(2)) if m.group(1) else "")


def desk_view(page, tid):
    row = re.search(r'<tr class="tip" id="tip-%s">.*?</tr>' % re.escape(tid), page, re.S)
    check(row, "%s not on the desk page" % tid)
    got = {}
    for key, done_word in (("pass_on", "đã chuyển"), ("notice", "đã báo")):
        cell = re.search(r'<td data-clock="%s" data-state="(\w+)"[^>]*>(.*?)</td>' % key,
                         row.group(0), re.S)
        check(cell, "%s: no %s cell: %s" % (tid, key, row.group(0)))
        text = re.sub(r"<[^>]+>", " ", cell.group(2))
        st = state_of(text, [unaccent(done_word).lower()])
        check(st == cell.group(1), "%s %s: the page says %r but is marked %s" % (
            tid, key, text, cell.group(1)))
        if st.startswith("done"):
            done = page_dmy(text.split(done_word, 1)[1])
            late = re.search(r"trễ hạn (.*?)\)", text)
            got[key] = {"state": st, "done": done, "due": page_dmy(late.group(1)) if late
                        else None}
            if key == "pass_on":
                got[key]["to"] = AGENCY if AGENCY in text else text
        else:
            got[key] = {"state": st, "due": page_dmy(text), "done": None}
    return got


def summary_view(text, tid):
    """The daily summary's lines for tid (the leader's SMS: không dấu)."""
    got = {}
    for line in unaccent(text).splitlines():
        if not line.startswith(tid + ":"):
            continue
        m = re.search(r"\((\d\d:\d\d) (\d\d/\d\d)\)\.$", line)
        if "24 gio chuyen" in line and m:
            got["pass_on"] = {"due": "%s %s" % (m.group(2), m.group(1)),
                              "state": "overdue" if "da qua han" in line else "running"}
            continue
        m = re.search(r"(\d\d/\d\d)\)?\.$", line)
        check(m and "thong bao ket qua tiep nhan" in line, "summary line %r" % line)
        got["notice"] = {"due": m.group(1),
                         "state": "overdue" if "da qua han" in line else "running"}
    return got


def book_view(rows, tid):
    row = [r for r in rows if r["Mã tin báo"] == tid]
    check(len(row) == 1, "%s in the book: %r" % (tid, row))
    got = {}
    for key, col in (("pass_on", "Chuyển cho, lúc"), ("notice",
                                                      "Ngày thông báo kết quả tiếp nhận")):
        v = row[0][col]
        m = re.match(r"^(?:(.*), )?(\d\d/\d\d/\d{4}(?: \d\d:\d\d)?)"
                     r"(?: \(quá hạn, hạn (.*)\))?$", v)
        if v.startswith("chưa"):
            due = re.search(r"hạn (\d\d/\d\d/\d{4}(?: \d\d:\d\d)?)\)$", v)
            got[key] = {"state": "overdue" if "QUÁ HẠN" in v else "running",
                        "due": book_dmy(due.group(1)) if due else None, "done": None}
        elif m:
            got[key] = {"state": "done_late" if m.group(3) else "done",
                        "done": book_dmy(m.group(2)) if key == "pass_on" else
                        book_dmy(m.group(2)),
                        "due": book_dmy(m.group(3)) if m.group(3) else None}
            if key == "pass_on":
                got[key]["to"] = m.group(1)
        else:
            got[key] = {"state": "?" + v}
    return got


def book_dmy(s):
    m = re.match(r"(\d\d)/(\d\d)/(\d{4})(?: (\d\d:\d\d))?", s)
    return "%s-%s-%s%s" % (m.group(3), m.group(2), m.group(1),
                          " " + m.group(4) if m.group(4) else "")


# ----------------------------------------------------------- comparing

def expected(tip, hol, now):
    r = tip["received"]
    exp = {}
    pdue = r + datetime.timedelta(hours=24)
    p = tip.get("passed")
    exp["pass_on"] = {"due": local(pdue), "done": local(p) if p else None,
                      "state": ("done" if p < pdue else "done_late") if p else
                      ("running" if now < pdue else "overdue")}
    nday = notice_day(r.astimezone(TZ).date(), {hol})
    ndue = midnight_after(nday)
    n = tip.get("noticed")
    exp["notice"] = {"due": nday.isoformat(), "done": local(n)[:10] if n else None,
                     "state": ("done" if n < ndue else "done_late") if n else
                     ("running" if now < ndue else "overdue"),
                     "due_at": ndue}
    exp["pass_on"]["due_at"] = pdue
    return exp


def agree(view, key, got, exp, window_end):
    """'' when the view shows what is expected, else why not."""
    e = exp[key]
    g = got.get(key)
    pending = e["state"] in ("running", "overdue")
    if view == "summary":
        listed = pending and e["due_at"] <= window_end
        if not listed:
            return "" if g is None else "listed %r" % g
        if g is None:
            return "missing"
        want = e["due"][8:10] + "/" + e["due"][5:7] + (e["due"][10:] if key == "pass_on" else "")
        if key == "pass_on":
            want = "%s/%s %s" % (e["due"][8:10], e["due"][5:7], e["due"][11:])
        return "" if (g["due"], g["state"]) == (want, e["state"]) else "%r" % g
    if view == "due":
        if not pending:
            return "" if g is None else "listed %r" % g
        return "" if g and (g["due"], g["state"]) == (e["due"], e["state"]) else "%r" % g
    if g is None or g.get("state") != e["state"]:
        return "%r" % g
    if pending and g.get("due") != e["due"]:
        return "due %r" % g.get("due")
    if not pending:
        done = g.get("done")
        want_done = e["done"]
        if key == "notice" and done:
            done = done[:10]
        if done != want_done and not (key == "pass_on" and done and done[:10] == want_done):
            return "done %r, want %r" % (done, want_done)
        if e["state"] == "done_late" and view in ("desk", "book") and g.get("due") != e["due"]:
            return "late, due %r" % g.get("due")
        if key == "pass_on" and g.get("to") != AGENCY:
            return "to %r" % g.get("to")
    return ""


def sqlite_exec(h, sql, *args):
    con = sqlite3.connect(h.db, timeout=30)
    try:
        con.execute(sql, args)
        con.commit()
    finally:
        con.close()


def test_five_views_agree_on_every_weekday_across_a_holiday_and_a_weekend():
    h = Tinbao("legalclock", http=True, admin_token=TOKEN,
               gateway={"daily_summary": "00:00"})
    h.full_roster()
    h.start()
    table = []
    failures = []
    try:
        now0 = datetime.datetime.now(TZ)
        days, hol = plan(now0)
        h.cli("holiday", "add", hol.isoformat(), "Nghỉ lễ (thử)")
        fresh_from = citizen()
        h.sms_in(fresh_from, "Có người lạ đột nhập kho hàng tổ 4 (tin hôm nay)")
        fresh = wait_for(lambda: [t for t in h.tips() if "hôm nay" in t["text"]],
                         what="today's tip")[0]
        h.cli("ack", fresh["id"], "--officer", DUTY)
        fresh_tip = {"id": fresh["id"], "received":
                     datetime.datetime.fromisoformat(fresh["created_at"]), "label": "today"}
        for n, day in enumerate(days):
            round_tips = []
            for hm in ((0, 1), (23, 59)):
                text = "Tin thử ngày %s lúc %02d:%02d: có người cạy khóa xe ở hẻm %d" % (
                    day.isoformat(), hm[0], hm[1], n * 2 + hm[1] % 2 + 1)
                h.sms_in(citizen(), text)
                t = wait_for(lambda: [x for x in h.tips() if x["text"] == text],
                             what="tip " + text)[0]
                received = datetime.datetime.combine(day, datetime.time(*hm), TZ)
                code = t["id"].split("-", 1)[1]
                sqlite_exec(h, "UPDATE tips SET created_at = ?, last_citizen_at = ? "
                               "WHERE code = ?", int(received.timestamp()),
                            int(received.timestamp()), code)
                h.cli("ack", t["id"], "--officer", DUTY)    # acknowledging is not passing on
                round_tips.append({"id": t["id"], "received": received,
                                   "label": "%s %s %02d:%02d" % (WEEKDAYS[day.weekday()],
                                                                 day.strftime("%d/%m"), *hm)})
            early, late = round_tips
            # 23:59: passed on 2 h later; the notice given on its last day
            late["passed"] = late["received"] + datetime.timedelta(hours=2)
            # 00:01 on odd rounds: passed on late (30 h); noticed a day late
            if n % 2:
                early["passed"] = early["received"] + datetime.timedelta(hours=30)
            nowish = datetime.datetime.now(TZ) - datetime.timedelta(minutes=1)
            for t in round_tips:
                if "passed" in t:
                    h.cli("pass", t["id"], "--to", AGENCY, "--officer", DUTY, "--at",
                          local(t["passed"]))
            nday = notice_day(day, {hol})
            noon = datetime.datetime.combine(nday, datetime.time(12, 0), TZ)
            if noon < nowish:
                late["noticed"] = noon
            if n % 2 and noon + datetime.timedelta(days=1) < nowish:
                early["noticed"] = noon + datetime.timedelta(days=1)
            for t in round_tips:
                if "noticed" in t:
                    h.cli("notice", t["id"], "--officer", DUTY, "--at", local(t["noticed"]))
            # the daily summary again, for this round's tips
            before = len(h.to_officer("leader", "daily_summary"))
            sqlite_exec(h, "DELETE FROM counters WHERE name = 'daily_summary_day'")
            summary = wait_for(lambda: h.to_officer("leader", "daily_summary")[before:],
                               what="the daily summary")[-1]["text"]
            now = datetime.datetime.now(TZ)
            page = desk_page(h)
            frm = (days[0] - datetime.timedelta(days=1)).isoformat()
            to = (now.date() + datetime.timedelta(days=1)).isoformat()
            book = subprocess.run([os.path.join(BUILD, "tinbao"), "-c", h.conf, "book",
                                   "--from", frm, "--to", to, "--csv"], capture_output=True,
                                  timeout=60)
            check(book.returncode == 0, book.stderr.decode())
            rows = list(csv.DictReader(io.StringIO(book.stdout.decode("utf-8"), newline="")))
            due = due_view(h)
            window_end = now + datetime.timedelta(hours=24)
            for t in round_tips + ([fresh_tip] if n == len(days) - 1 else []):
                exp = expected(t, hol, now)
                got = {"cli": cli_view(h, t["id"]), "due": due.get(t["id"], {}),
                       "api": api_view(h, t["id"]), "desk": desk_view(page, t["id"]),
                       "summary": summary_view(summary, t["id"]),
                       "book": book_view(rows, t["id"])}
                cells = []
                for key in ("pass_on", "notice"):
                    for view in ["cli", "due", "api", "desk", "summary", "book"]:
                        why = agree(view, key, got[view], exp, window_end)
                        cells.append("ok" if not why else "DIFF")
                        if why:
                            failures.append("%s %s %s %s: %s (expected %r)" % (
                                t["label"], t["id"], key, view, why, exp[key]))
                table.append((t["label"], exp, cells))
            for t in round_tips:
                h.cli("close", t["id"], "--officer", DUTY)
    finally:
        h.stop()
    lines = ["legal clocks: five views (cli = tip show and due), holiday %s" % hol.isoformat(),
             "%-16s %-17s %-9s %-10s %-9s | %s" % (
                 "received", "pass on due", "state", "notice day", "state",
                 "pass on: cli due api desk summary book | notice: the same")]
    for label, exp, cells in table:
        lines.append("%-16s %-17s %-9s %-10s %-9s | %s | %s" % (
            label, exp["pass_on"]["due"], exp["pass_on"]["state"], exp["notice"]["due"],
            exp["notice"]["state"], " ".join(cells[:6]), " ".join(cells[6:])))
    report = "\n".join(lines)
    print(report, flush=True)
    with open(os.path.join(h.dir, "agreement.txt"), "w") as f:
        f.write(report + "\n")
    check(not failures, "the views disagree:\n" + "\n".join(failures))
    states = {(e["pass_on"]["state"], e["notice"]["state"]) for _, e, _ in table}
    for s in ("running", "overdue", "done", "done_late"):
        check(any(s in pair for pair in states), "no clock %s in the plan: %r" % (s, states))


def test_pass_is_a_recorded_act_audited_and_told_to_the_tipster():
    h = Tinbao("pass", http=True, admin_token=TOKEN)
    h.full_roster()
    h.start()
    try:
        who = citizen()
        h.sms_in(who, "Có người bán ma túy ở hẻm 12, tối nào cũng có")
        t = h.wait_tips(1)[0]
        tid, code = t["id"], t["id"][3:]
        h.cli("ack", tid, "--officer", DUTY)
        legal = h.cli_json("tip", "show", tid)["legal"]
        check(legal["pass_on"]["state"] == "running" and legal["pass_on"]["to"] is None,
              "acknowledged is not passed on: %r" % legal)
        page = desk_page(h)
        check("đã chuyển" not in page, "the desk page says passed on after an ack")
        # refused: no --to, a time in the future, before the tip came, unknown officer
        h.cli("pass", tid, "--officer", DUTY, expect=2)
        future = local(datetime.datetime.now(TZ) + datetime.timedelta(hours=2))
        h.cli("pass", tid, "--to", AGENCY, "--officer", DUTY, "--at", future, expect=2)
        h.cli("pass", tid, "--to", AGENCY, "--officer", DUTY, "--at", "2020-01-01 08:00",
              expect=2)
        h.cli("pass", tid, "--to", AGENCY, "--officer", "+84900000099", expect=1)
        h.cli("pass", tid, "--to", "a\nb", "--officer", DUTY, expect=2)
        out = h.cli("pass", tid, "--to", AGENCY, "--officer", DUTY).stdout
        check("passed on to " + AGENCY in out and OFFICERS["duty"][0] in out, out)
        again = h.cli("pass", tid, "--to", "UBND phường", "--officer", DUTY).stdout
        check("already recorded" in again and AGENCY in again, again)
        legal = h.cli_json("tip", "show", tid)["legal"]["pass_on"]
        check(legal["state"] == "done" and legal["to"] == AGENCY and
              legal["by"] == OFFICERS["duty"][0] and legal["done_at"], repr(legal))
        check(tid not in [e["id"] for e in h.cli_json("due", "--within", "3d")
                          if e["clock"] == "pass_on"], "still counted down by due")
        acts = [e for e in h.cli_json("audit", "list", "--tip", tid) if e["action"] == "tip.pass"]
        check(len(acts) == 1 and AGENCY in acts[0]["detail"], repr(acts))
        # the tipster asking for the status hears it was passed on
        h.sms_in(who, "TT " + code)
        ans = wait_for(lambda: h.to_citizens("status"), what="status answer")
        check("đã chuyển cơ quan có thẩm quyền giải quyết" in ans[-1]["text"], ans[-1]["text"])
        check(AGENCY in desk_page(h), "the page does not say to whom")
        h.cli("audit", "verify")
    finally:
        h.stop()
