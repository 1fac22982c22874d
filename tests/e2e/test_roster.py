"""Rosters as wards keep them: repeating weekly duty with days off, overnight
shifts, `tinbao oncall`, and the roster and officers through a spreadsheet
in both CSV dialects (commas; semicolons with a byte-order mark, as Excel
and LibreOffice save in Vietnam). The router follows the same rule."""
import csv
import datetime
import io
import os

from harness import OFFICERS, Tinbao, check, citizen, wait_for

ZONE = datetime.timezone(datetime.timedelta(hours=7))      # Hà Nội: +07:00, no DST
DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def add_officers(h):
    for key in OFFICERS:
        name, phone, _ = OFFICERS[key]
        h.cli("officer", "add", "--name", name, "--phone", phone)


def on_duty(h, when):
    """{level: [phones]} from `oncall --json` at a local time."""
    doc = h.cli_json("oncall", "--at", when)
    return {lv["level"]: [o["officer_phone"] for o in lv["officers"]] for lv in doc["levels"]}


def test_weekly_roster_overnight_days_off_and_oncall():
    h = Tinbao("weekly")
    add_officers(h)
    an, binh, cuong, dung = (OFFICERS[k][1] for k in ("duty", "backup", "leader", "chief"))
    # a month in five lines: days Mon/Wed/Fri, nights Tue/Thu/Sat (in Vietnamese
    # day names), Sunday 24 hours, the leader on weekdays, the chief always
    h.cli("shift", "add", "--officer", an, "--level", "1", "--weekly", "MON,WED,FRI",
          "--time", "07:00-19:00", "--from", "2026-11-01", "--until", "30/11/2026")
    h.cli("shift", "add", "--officer", binh, "--level", "1", "--weekly", "T3,T5,T7",
          "--time", "19:00-07:00", "--from", "2026-11-01", "--until", "2026-11-30")
    h.cli("shift", "add", "--officer", binh, "--level", "1", "--weekly", "CN",
          "--time", "07:00-07:00")
    h.cli("shift", "add", "--officer", cuong, "--level", "3", "--weekly", "MON-FRI",
          "--time", "07:30-17:00")
    h.cli("shift", "add", "--officer", dung, "--level", "4", "--always")
    out = h.cli("shift", "add", "--officer", an, "--level", "1", "--weekly", "MON",
                "--time", "07:00", expect=2).stderr
    check("HH:MM-HH:MM" in out, out)
    h.cli("shift", "add", "--officer", an, "--level", "1", "--weekly", "FUNDAY",
          "--time", "07:00-19:00", expect=2)
    h.cli("shift", "add", "--officer", an, "--level", "1", "--weekly", "MON",
          "--time", "07:00-19:00", "--to", "2026-11-30 19:00", expect=2)
    # every day of a week (2026-11-23 is a Monday), morning and night
    for d in range(7):
        day = datetime.date(2026, 11, 23) + datetime.timedelta(days=d)
        dstr = day.isoformat()
        morning, night = on_duty(h, dstr + " 10:00"), on_duty(h, dstr + " 23:00")
        wd = DAYS[d]
        want_day = [an] if wd in ("MON", "WED", "FRI") else [binh] if wd == "SUN" else []
        want_night = [binh] if wd in ("TUE", "THU", "SAT", "SUN") else []
        check(morning[1] == want_day, "%s 10:00: %r" % (wd, morning))
        check(night[1] == want_night, "%s 23:00: %r" % (wd, night))
        check(morning[3] == ([cuong] if d < 5 else []), "%s leader: %r" % (wd, morning))
        check(morning[4] == [dung] and night[4] == [dung], "chief always: %r" % morning)
        # shift list --at says the same as oncall (one rule)
        listed = h.cli_json("shift", "list", "--at", dstr + " 23:00")
        check(sorted(s["officer_phone"] for s in listed if s["level"] == 1) == want_night,
              "shift list --at %s: %r" % (wd, listed))
    # overnight: Tuesday's night runs into Wednesday morning, then ends at 07:00
    check(on_duty(h, "2026-11-25 06:59")[1] == [binh], "overnight into Wednesday")
    check(on_duty(h, "2026-11-25 07:00")[1] == [an], "handover at 07:00")
    # the dates bound it: none of the November nights in December
    check(on_duty(h, "2026-12-01 23:00")[1] == [], "December night")
    # a day off: An is sick on Wednesday 25 November; Bình's night before still ends
    p = h.cli("shift", "off", "--officer", an, "--on", "25/11/2026")
    check("day off 2026-11-25" in p.stdout, p.stdout)
    check(on_duty(h, "2026-11-25 06:59")[1] == [binh], "the night before is not touched")
    doc = h.cli_json("oncall", "--at", "2026-11-25 10:00")
    check(doc["levels"][0]["officers"] == [] and 1 in doc["empty"] and 2 in doc["empty"],
          repr(doc))
    check(doc["first_level"] == 3, repr(doc))
    text = h.cli("oncall", "--at", "2026-11-25 10:00").stdout
    check("(nobody)" in text and "straight to level 3" in text, text)
    check(on_duty(h, "2026-11-27 10:00")[1] == [an], "back on Friday")
    # a replacement for the day, then the day off taken back
    h.cli("shift", "add", "--officer", OFFICERS["backup"][1], "--level", "1",
          "--from", "25/11/2026 07:00", "--to", "2026-11-25 19:00")
    check(on_duty(h, "2026-11-25 10:00")[1] == [binh], "replacement on duty")
    h.cli("shift", "off", "--officer", an, "--on", "2026-11-25", "--undo")
    check(sorted(on_duty(h, "2026-11-25 10:00")[1]) == sorted([an, binh]), "undo")
    # the listing shows the repeating rules in words
    listing = h.cli("shift", "list").stdout
    check("Mon, Wed, Fri 07:00-19:00, 2026-11-01 to 2026-11-30" in listing, listing)
    check("Tue, Thu, Sat 19:00-07:00 (overnight)" in listing, listing)
    shifts = h.cli_json("shift", "list")
    weekly = [s for s in shifts if s["kind"] == "weekly"]
    check(len(weekly) == 4 and weekly[0]["weekly"] and weekly[0]["time"], repr(weekly))
    # nobody at all: the next start is named
    empty = Tinbao("weekly-empty")
    add_officers(empty)
    empty.cli("shift", "add", "--officer", an, "--level", "2", "--weekly", "FRI",
              "--time", "19:00-07:00")
    doc = empty.cli_json("oncall", "--at", "2026-11-25 10:00")
    check(doc["first_level"] is None and doc["empty"] == [1, 2, 3, 4], repr(doc))
    check(doc["next_start"] == "2026-11-27T19:00:00+07:00", repr(doc))
    check("NOBODY" in empty.cli("oncall", "--at", "2026-11-25 10:00").stdout, "no alarm")
    # now works (the answer depends on the clock; that it answers does not)
    h.cli("shift", "list", "--at", "now")
    h.cli("oncall")
    h.cli("oncall", "--at", "yesterday", expect=2)


def test_router_follows_the_weekly_roster():
    """The daemon asks the same rule: a weekly shift running now gets the tip,
    one on other days does not, and an officer off today is skipped. The
    shifts are made around the current time, so the test holds at any hour
    (across midnight the shift is overnight, from yesterday)."""
    h = Tinbao("weeklyroute")
    add_officers(h)
    an, binh, cuong = (OFFICERS[k][1] for k in ("duty", "backup", "leader"))
    start = (datetime.datetime.now(ZONE) - datetime.timedelta(hours=1)).replace(
        second=0, microsecond=0)
    end = start + datetime.timedelta(hours=3)
    span = "%s-%s" % (start.strftime("%H:%M"), end.strftime("%H:%M"))
    today = DAYS[start.weekday()]
    others = ",".join(d for d in DAYS if d != today)
    h.cli("shift", "add", "--officer", an, "--level", "1", "--weekly", today, "--time", span)
    h.cli("shift", "add", "--officer", binh, "--level", "1", "--weekly", others, "--time", span)
    h.cli("shift", "add", "--officer", cuong, "--level", "1", "--weekly", "daily", "--time", span)
    h.cli("shift", "off", "--officer", cuong, "--on", start.date().isoformat())
    doc = h.cli_json("oncall")
    check([o["officer_phone"] for o in doc["levels"][0]["officers"]] == [an], repr(doc))
    h.start()
    try:
        h.sms_in(citizen(), "Có nhóm thanh niên tụ tập gây rối trước cổng chợ")
        h.wait_tips(1)
        wait_for(lambda: h.to_officer("duty", "notify"), what="the officer on the weekly shift")
        check(not h.to_officer("backup") and not h.to_officer("leader"),
              "notified off-roster officers: %r" % h.outbox())
    finally:
        h.stop()


def write_csv(path, rows, semicolon):
    """What a spreadsheet saves: commas, or semicolons with a byte-order mark."""
    with open(path, "w", newline="", encoding="utf-8-sig" if semicolon else "utf-8") as f:
        csv.writer(f, delimiter=";" if semicolon else ",").writerows(rows)


def read_csv(text):
    text = text.lstrip("\ufeff")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
        else ","
    return list(csv.reader(io.StringIO(text), delimiter=dialect))


def test_spreadsheet_round_trip_both_dialects():
    src = Tinbao("sheet-src")
    add_officers(src)
    src.cli("officer", "add", "--name", "Võ Thị \"Út\", tổ 5", "--phone", "0911222333",
            "--short-code", "U5", "--role", "leader")
    an = OFFICERS["duty"][1]
    src.cli("shift", "add", "--officer", an, "--level", "1", "--weekly", "MON,WED,FRI",
            "--time", "07:00-19:00", "--from", "2026-11-01", "--until", "2026-11-30")
    src.cli("shift", "add", "--officer", OFFICERS["backup"][1], "--level", "1", "--weekly",
            "T3,T5,T7", "--time", "19:00-07:00")
    src.cli("shift", "add", "--officer", OFFICERS["chief"][1], "--level", "4", "--always")
    src.cli("shift", "add", "--officer", "0911222333", "--level", "2",
            "--from", "2026-11-23 07:00", "--to", "2026-11-24 07:00")
    src.cli("shift", "off", "--officer", an, "--on", "2026-11-25", "--until", "2026-11-26")
    want_officers = src.cli_json("officer", "list")
    want_shifts = src.cli_json("shift", "list")
    strip = lambda v: [{k: x for k, x in d.items() if k != "id"} for d in v]

    for n, (out_args, semicolon) in enumerate([([], True), (["--excel", "--header", "vi"],
                                                             False)]):
        # export in one dialect, let a "spreadsheet" (Python's csv) read it and
        # save it in the other, import that into a fresh installation
        dst = Tinbao("sheet-dst%d" % n)
        officers = read_csv(src.cli("officer", "export", *out_args).stdout)
        shifts = read_csv(src.cli("roster", "export", *out_args).stdout)
        check(len(officers) == 1 + len(want_officers) and len(shifts) == 1 + len(want_shifts),
              "%r %r" % (officers, shifts))
        opath, spath = os.path.join(dst.dir, "can-bo.csv"), os.path.join(dst.dir, "lich-truc.csv")
        write_csv(opath, officers, semicolon)
        write_csv(spath, shifts, semicolon)
        if semicolon:
            check(open(spath, "rb").read(3) == b"\xef\xbb\xbf", "no byte-order mark written")
        p = dst.cli("officer", "import", opath)
        check("5 new" in p.stdout, p.stdout)
        dst.cli("roster", "import", spath)
        check(strip(dst.cli_json("officer", "list")) == strip(want_officers),
              "officers differ after the round trip (%s)" % ("; BOM" if semicolon else ","))
        check(strip(dst.cli_json("shift", "list")) == strip(want_shifts),
              "shifts differ after the round trip: %r" % dst.cli_json("shift", "list"))
        # the same files again change nothing
        p = dst.cli("officer", "import", opath)
        check("0 new, 0 updated, 5 unchanged" in p.stdout, p.stdout)
        p = dst.cli("roster", "import", spath)
        check("imported 0 shifts" in p.stdout, p.stdout)
        # and the export reads back the same
        check(read_csv(dst.cli("roster", "export", *out_args).stdout) == shifts,
              "the export changed")


def test_ward_spreadsheet_in_vietnamese_and_errors():
    """The file a ward's desk makes in Excel: Vietnamese column names in its
    own order, dd/mm/yyyy dates, semicolons and a byte-order mark, a phone
    whose 0 the spreadsheet dropped. Errors are FILE:LINE, all or nothing."""
    h = Tinbao("sheet-vi")
    people = os.path.join(h.dir, "can-bo.csv")
    write_csv(people, [["Họ tên", "Số điện thoại", "Vai trò", "Mã ngắn"],
                       ["Nguyễn Văn An", "901234567", "", "AN"],
                       ["Trần Thị Bình", "0902345678", "leader", ""]], True)
    h.cli("officer", "import", people)
    check([o["phone"] for o in h.cli_json("officer", "list")] ==
          ["+84901234567", "+84902345678"], "officers")
    roster = os.path.join(h.dir, "lich-truc.csv")
    write_csv(roster, [["so_dien_thoai", "ho_ten", "cap", "hang_tuan", "gio", "tu", "den",
                        "ghi_chu"],
                       ["0901234567", "Nguyễn Văn An", "1", "T2,T4,T6", "07:00-19:00",
                        "01/11/2026", "30/11/2026", "ca ngày"],
                       ["0902345678", "Trần Thị Bình", "1", "", "", "23/11/2026 19:00",
                        "24/11/2026 07:00", ""],
                       ["0902345678", "Trần Thị Bình", "3", "", "", "", "", "chỉ huy"],
                       ["0901234567", "Nguyễn Văn An", "nghỉ", "", "", "25/11/2026", "", "ốm"]],
              True)
    h.cli("roster", "import", roster)
    check(on_duty(h, "2026-11-23 23:00")[1] == ["+84902345678"], "the dated night")
    check(on_duty(h, "2026-11-27 08:00")[1] == ["+84901234567"], "the weekly day")
    check(on_duty(h, "2026-11-25 08:00")[1] == [], "the day off")
    before = h.cli_json("shift", "list")
    bad = os.path.join(h.dir, "sai.csv")
    write_csv(bad, [["so_dien_thoai", "cap", "tu", "den"],
                    ["0901234567", "1", "30/11/2026 07:00", "30/11/2026 19:00"],
                    ["0901234567", "1", "31/11/2026 07:00", "31/11/2026 19:00"],
                    ["0909999999", "2", "", ""],
                    ["0901234567", "nghỉ", "26/11/2026", "24/11/2026"]], True)
    p = h.cli("roster", "import", bad, expect=1)
    for line in ("sai.csv:3:", "sai.csv:4:", "sai.csv:5:"):
        check(line in p.stderr, p.stderr)
    check("sai.csv:2:" not in p.stderr and "nothing imported" in p.stderr, p.stderr)
    check(h.cli_json("shift", "list") == before, "a bad file imported something")
    unknown = os.path.join(h.dir, "cot.csv")
    write_csv(unknown, [["so_dien_thoai", "cap", "tu", "dne"]], False)
    p = h.cli("roster", "import", unknown, expect=1)
    check("cot.csv:1: unknown column \"dne\"" in p.stderr and "no column to" in p.stderr,
          p.stderr)
    dup = os.path.join(h.dir, "trung.csv")
    write_csv(dup, [["name", "phone", "short_code"], ["A", "0903000001", "X1"],
                    ["B", "0903000001", ""], ["C", "0903000003", "AN"]], False)
    p = h.cli("officer", "import", dup, expect=1)
    check("trung.csv:3: +84903000001 is also on line 2" in p.stderr, p.stderr)
    check("trung.csv:4: short code AN belongs to" in p.stderr, p.stderr)
    check(len(h.cli_json("officer", "list")) == 2, "a bad officer file imported something")
