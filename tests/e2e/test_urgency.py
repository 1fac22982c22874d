"""Urgency in Vietnamese, end to end: the marks are the word. Tips sent by SMS
to the real daemon get the urgent deadline only when they are urgent;
"chạy" (running) is not "cháy" (fire), "đào" (dig) is not "dao" (knife)."""
import datetime

from harness import Tinbao, check, citizen, wait_for

ACK = 3600          # ack_deadline = 1h
URGENT = 120        # urgent_deadline = 2m

TIPS = [
    # text, urgent, category
    ("Tối nào cũng có mấy thanh niên chạy xe lạng lách", False, "gay_roi"),
    ("Có người đào trộm cây", False, "trom_cap"),
    ("Cháy nhà ở hẻm 5!", True, "pccc"),
    ("dang chay nha o hem 5", True, "pccc"),
    # typed decomposed (NFD) by a phone keyboard: stored NFC, still urgent
    ("Ch\u0061\u0301y nha\u0300 o\u031b\u0309 he\u0309m 7", True, "pccc"),
    # an SMS without marks whose "chay" and "dao" are any of their readings
    ("toi nao cung co may thanh nien chay xe, co nguoi dao trom cay", False, "trom_cap"),
]


def seconds(iso):
    return datetime.datetime.fromisoformat(iso).timestamp()


def test_urgent_only_when_the_marks_say_so():
    h = Tinbao("urgency", escalation={"ack_deadline": "1h", "urgent_deadline": "2m",
                                      "level_deadline": "1h"})
    h.full_roster()
    h.start()
    try:
        for text, _, _ in TIPS:
            h.sms_in(citizen(), text)      # one sender each: no follow-up joins them
        h.wait_tips(len(TIPS))

        def settled():
            tips = h.tips()
            return tips if all(t["next_deadline"] for t in tips) else None
        tips = wait_for(settled, what="every tip given its deadline")
        by_text = {t["text"]: t for t in tips}
        for text, urgent, category in TIPS:
            stored = "Cháy nhà ở hẻm 7" if text.startswith("Ch\u0061\u0301y") else text
            t = by_text.get(stored)
            check(t is not None, "tip %r not stored as %r: %r" % (text, stored, list(by_text)))
            check(t["urgent"] is urgent, "%r: urgent=%r" % (text, t["urgent"]))
            check(t["category"] == category, "%r: category %r" % (text, t["category"]))
            gap = seconds(t["next_deadline"]) - seconds(t["created_at"])
            want = URGENT if urgent else ACK
            check(abs(gap - want) <= 5, "%r: deadline %ds after receipt, want %ds"
                  % (text, gap, want))
            notes = wait_for(lambda: [r for r in h.to_officer("duty", "notify")
                                      if t["id"] in r["text"]],
                             what="duty officer told of %s" % t["id"])
            said_urgent = notes[0]["text"].startswith("KHAN")
            check(said_urgent == urgent, "%r: the officer read %r" % (text, notes[0]["text"]))
    finally:
        h.stop()
