"""Who may act on a tip (issue 9.5): one rule for every officer command that
changes or reveals a tip (OK, XONG, HOI, CHUYEN): the owner, an officer who
was told about it, an officer on duty at a level at or above the tip's, or a
leader or the chief. A refusal gets one line and an audit row; when somebody
other than the owner acts, the owner and everyone told are told who did."""
from harness import OFFICERS, Tinbao, check, citizen, unaccent, wait_for

DUTY, BACKUP, LEADER, CHIEF = (OFFICERS[k][1] for k in ("duty", "backup", "leader", "chief"))
OFFDUTY = "+84900000005"          # an officer with no shift, never told about anything
DEPUTY = "+84900000006"           # a leader by role, no shift


def replies(h, phone, kind="reply"):
    return [r["text"] for r in h.outbox("o.dest = ?", phone) if r["kind"] == kind]


def test_an_officer_acts_only_on_tips_that_are_theirs():
    h = Tinbao("authority")
    h.full_roster()
    h.cli("officer", "add", "--name", "Võ Văn Em", "--phone", OFFDUTY)
    h.cli("officer", "add", "--name", "Đỗ Thị Phó", "--phone", DEPUTY, "--role", "leader")
    h.start()
    try:
        who = citizen()
        h.sms_in(who, "Có người bán ma túy ở hẻm 12")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        wait_for(lambda: h.to_officer("duty", "notify"), what="duty notified")
        # an officer with no shift who was never told: every command refused
        for i, cmd in enumerate(("XONG %s xong roi" % code, "OK %s" % code,
                                 "HOI %s ban o dau?" % code, "CHUYEN %s %s" % (code, DUTY))):
            h.sms_in(OFFDUTY, cmd)
            wait_for(lambda: len(replies(h, OFFDUTY)) > i, what="the refusal of %r" % cmd)
        refusals = replies(h, OFFDUTY)
        check(all("khong phu trach" in unaccent(r) and t["id"] in r and "\n" not in r
                  for r in refusals), "one-line refusals: %r" % refusals)
        shown = h.tip(t["id"])
        check(shown["status"] == "new" and not shown["acked_by"], "the tip changed: %r" % shown)
        check(not h.to_citizens("closed_notice") and not h.to_citizens("relay_question"),
              "the citizen was told something")
        audit = [e for e in h.cli_json("audit", "list", "--tip", t["id"])
                 if e["action"] == "officer.refused"]
        check(len(audit) == 4, "refusals audited: %r" % audit)
        # the duty officer takes it; the chief (on duty at level 4) closes it:
        # the owner is told who closed it
        h.sms_in(DUTY, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        h.sms_in(CHIEF, "XONG %s da xu ly" % code)
        wait_for(lambda: h.tip(t["id"])["status"] == "closed", what="closed by the chief")
        told = wait_for(lambda: [x for x in replies(h, DUTY, "closed_by_other")],
                        what="the owner told who closed it")
        check(unaccent(OFFICERS["chief"][0]) in told[0] and t["id"] in told[0], told[0])

        # a second tip: a leader by role (no shift) may act; the backup on
        # duty at level 2 may acknowledge a level-1 tip, and the duty officer
        # who was told is told who did
        h.sms_in(citizen(), "Có nhóm thanh niên đua xe trên đường Trần Phú")
        t2 = [x for x in h.wait_tips(2) if x["id"] != t["id"]][0]
        wait_for(lambda: [r for r in h.to_officer("duty", "notify") if t2["id"] in r["text"]],
                 what="duty notified of the second tip")
        h.sms_in(BACKUP, "OK " + t2["id"][3:])
        wait_for(lambda: h.tip(t2["id"])["status"] == "acknowledged", what="backup acknowledged")
        down = wait_for(lambda: [r["text"] for r in h.to_officer("duty", "stand_down")
                                 if t2["id"] in r["text"]], what="duty told who acknowledged")
        check(unaccent(OFFICERS["backup"][0]) in down[0], down[0])
        h.sms_in(DEPUTY, "CHUYEN %s %s" % (t2["id"][3:], LEADER))
        wait_for(lambda: h.tip(t2["id"])["status"] == "new", what="handed over by the leader")
        moved = wait_for(lambda: [r["text"] for r in h.to_officer("backup", "transferred_by_other")
                                  if t2["id"] in r["text"]], what="the owner told of the handover")
        check(unaccent("Đỗ Thị Phó") in moved[0] and unaccent(OFFICERS["leader"][0]) in moved[0],
              moved[0])
    finally:
        h.stop()


def test_officer_numbers_in_every_written_form():
    """Issue 9.8: an officer's number written 0084..., +840..., 840... or
    +84 (0)... is the officer, never a citizen with a tip."""
    h = Tinbao("phoneforms")
    h.full_roster()
    h.cli("officer", "add", "--name", "Võ Văn Em", "--phone", "0084 900 000 007")
    listed = [o["phone"] for o in h.cli_json("officer", "list")]
    check("+84900000007" in listed, "0084 900 000 007 stored as %r" % listed)
    h.start()
    try:
        h.sms_in(citizen(), "Có người lạ cạy khóa xe ở chợ")
        t = h.wait_tips(1)[0]
        wait_for(lambda: h.to_officer("duty", "notify"), what="duty notified")
        h.sms_in("0084900000001", "OK " + t["id"][3:])
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="0084... acknowledged")
        for i, form in enumerate(("+840900000002", "840900000003", "+84 (0) 900 000 004",
                                  "00840900000001")):
            h.sms_in(form, "DS")
            key = ("backup", "leader", "chief", "duty")[i]
            wait_for(lambda: [r for r in h.to_officer(key, "reply")], what="DS from %s" % form)
        check(len(h.tips()) == 1, "an officer's message became a tip: %r" % h.tips())
    finally:
        h.stop()
