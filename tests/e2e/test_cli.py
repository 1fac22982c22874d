"""The `tinbao` command line, run the way an administrator runs it."""
import json
import os

from harness import OFFICERS, Tinbao, check


def test_officers_and_shifts():
    h = Tinbao("cli")
    h.cli("officer", "add", "--name", "Nguyễn Văn An", "--phone", "0900000001")
    h.cli("officer", "add", "--name", "Trần Thị Bình", "--phone", "+84 900 000 002",
          "--role", "leader")
    off = h.cli_json("officer", "list")
    check([o["phone"] for o in off] == ["+84900000001", "+84900000002"], repr(off))
    check(off[1]["role"] == "leader", repr(off[1]))
    # duplicates and bad input are refused with clear messages and exit codes
    p = h.cli("officer", "add", "--name", "X", "--phone", "0900000001", expect=1)
    check("already" in p.stderr, p.stderr)
    h.cli("officer", "add", "--name", "X", "--phone", "abc", expect=2)
    h.cli("officer", "add", "--name", "X", "--phone", "0900000009", "--role", "boss", expect=2)
    h.cli("officer", "frobnicate", expect=2)
    h.cli("shift", "add", "--officer", "0900000001", "--level", "1",
          "--from", "2026-11-22 07:00", "--to", "2026-11-22 19:00")
    h.cli("shift", "add", "--officer", "0900000002", "--level", "3", "--always")
    h.cli("shift", "add", "--officer", "0900000001", "--level", "5", "--always", expect=2)
    h.cli("shift", "add", "--officer", "0900000001", "--level", "1",
          "--from", "2026-11-22 19:00", "--to", "2026-11-22 07:00", expect=2)
    h.cli("shift", "add", "--officer", "0900000077", "--level", "1", "--always", expect=1)
    at = h.cli_json("shift", "list", "--at", "2026-11-22 08:00")
    check(len(at) == 2, repr(at))
    night = h.cli_json("shift", "list", "--at", "2026-11-22 20:00")
    check([s["level"] for s in night] == [3], repr(night))
    allshifts = h.cli_json("shift", "list")
    # JSON times are ISO 8601 with the offset, as everywhere (the zone is Hà Nội's)
    day = [s for s in allshifts if not s["always"]]
    check([(s["from"], s["to"]) for s in day] ==
          [("2026-11-22T07:00:00+07:00", "2026-11-22T19:00:00+07:00")], repr(allshifts))
    check([(s["from"], s["to"]) for s in allshifts if s["always"]] == [(None, None)],
          repr(allshifts))
    h.cli("shift", "remove", str(allshifts[0]["id"]))
    check(len(h.cli_json("shift", "list")) == 1, "shift not removed")
    h.cli("officer", "remove", "+84900000002")
    check(len(h.cli_json("officer", "list")) == 1, "officer not removed")
    check(h.cli_json("shift", "list") == [], "removed officer's shifts remain")


def test_roster_import_all_or_nothing():
    h = Tinbao("roster")
    for key in OFFICERS:
        name, phone, _ = OFFICERS[key]
        h.cli("officer", "add", "--name", name, "--phone", phone)
    bad = os.path.join(h.dir, "bad.csv")
    with open(bad, "w") as f:
        f.write("officer_phone,level,from,to\n+84900000001,1,2026-11-22 07:00,2026-11-22 19:00\n"
                "+84900000002,9,2026-11-22 07:00,2026-11-22 19:00\n")
    p = h.cli("roster", "import", bad, expect=1)
    check("bad.csv:3" in p.stderr, p.stderr)
    check(h.cli_json("shift", "list") == [], "a bad file imported something")
    good = os.path.join(h.dir, "good.csv")
    with open(good, "w") as f:
        f.write("officer_phone,level,from,to\r\n"
                "+84900000001,1,2026-11-22 07:00,2026-11-22 19:00\r\n"
                "\"+84900000002\",2,2026-11-22 07:00,2026-11-22 19:00\r\n"
                "+84900000003,3,,\r\n+84900000004,4,always,always\r\n")
    h.cli("roster", "import", good)
    shifts = h.cli_json("shift", "list")
    check(sorted(s["level"] for s in shifts) == [1, 2, 3, 4], repr(shifts))
    # the same roster again adds nothing
    out = h.cli("roster", "import", good).stdout
    check("imported 0 shifts" in out and "4 already in the roster" in out, out)
    check(len(h.cli_json("shift", "list")) == 4, "a second import duplicated shifts")


def test_help_and_usage():
    h = Tinbao("help")
    for args in (["--help"], ["officer", "--help"], ["shift", "add", "--help"],
                 ["tips", "--help"], ["tip", "show", "--help"], ["ack", "--help"],
                 ["close", "--help"], ["roster", "import", "--help"], ["key", "init", "--help"],
                 ["roster", "export", "--help"], ["shift", "off", "--help"], ["oncall", "--help"],
                 ["test", "--help"], ["modem", "status", "--help"],
                 ["officer", "import", "--help"]):
        p = h.cli(*args)
        check("usage" in p.stdout.lower(), "%s: %s" % (args, p.stdout))
    h.cli(expect=2)
    h.cli("key", "init", expect=1)      # refuses to overwrite
    check(oct(os.stat(h.key).st_mode & 0o777) == "0o600", "key file mode")
    h.cli("tip", "show", "TB-222222", expect=1)


def test_cli_ack_and_close():
    from harness import citizen, wait_for
    h = Tinbao("cliack")
    h.full_roster()
    h.start()
    try:
        h.sms_in(citizen(), "Có người nghi buôn bán ma túy ở nhà trọ")
        t = h.wait_tips(1)[0]
        p = h.cli("ack", t["id"], "--officer", OFFICERS["backup"][1])
        check(t["id"] in p.stdout, p.stdout)
        shown = h.tip(t["id"])
        check(shown["status"] == "acknowledged" and shown["acked_by"] == OFFICERS["backup"][0],
              repr(shown))
        wait_for(lambda: h.to_citizens("ack_notice"), what="citizen told")
        h.cli("ack", t["id"], "--officer", OFFICERS["backup"][1])      # already: exit 0
        h.cli("close", t["id"][3:].lower(), "--officer", OFFICERS["backup"][1], "--note", "Đã xác minh")
        check(h.tip(t["id"])["status"] == "closed", "not closed")
        check(h.cli_json("tips", "--open") == [], "closed tip listed as open")
        h.cli("ack", "TB-222222", "--officer", OFFICERS["backup"][1], expect=1)
        plain = h.cli("tip", "show", t["id"]).stdout
        check(t["id"] in plain and "Đã xác minh" in plain, plain)
    finally:
        h.stop()


def test_config_errors_name_file_and_line():
    h = Tinbao("config")
    with open(h.conf, "a") as f:
        f.write("[escalation]\nack_deadlin = 5m\n")
    import subprocess
    from harness import BUILD
    p = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                       capture_output=True, text=True)
    check(p.returncode == 1, "exit %d" % p.returncode)
    check(h.conf + ":" in p.stderr and "ack_deadlin" in p.stderr, p.stderr)
    p = subprocess.run([os.path.join(BUILD, "tinbaod"), "--help"], capture_output=True, text=True)
    check(p.returncode == 0 and "usage" in p.stdout, p.stdout)
