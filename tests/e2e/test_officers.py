"""Officers acknowledge, close and list by SMS; unacknowledged tips escalate."""
import time

from harness import OFFICERS, Tinbao, check, citizen, unaccent, wait_for

DUTY, BACKUP, LEADER, CHIEF = (OFFICERS[k][1] for k in ("duty", "backup", "leader", "chief"))


def started(name, **kw):
    h = Tinbao(name, **kw)
    h.full_roster()
    return h.start()


def escalations(h, tid):
    return h.tip(tid)["escalations"]


def test_ack_by_id_stops_the_clock_and_tells_the_citizen():
    h = started("ack", escalation={"ack_deadline": "8s", "level_deadline": "8s"})
    try:
        h.sms_in(citizen(), "Có người cho vay nặng lãi, đòi nợ bằng cách ném chất bẩn")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        wait_for(lambda: h.to_officer("duty", "notify"), what="duty notified")
        h.sms_in(DUTY, "nhận tb-" + code.lower())
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        shown = h.tip(t["id"])
        check(shown["acked_by"] == OFFICERS["duty"][0], repr(shown["acked_by"]))
        check(shown["acked_at"], "no acked_at")
        notice = wait_for(lambda: h.to_citizens("ack_notice"), what="citizen told")
        check(t["id"] in notice[0]["text"] and OFFICERS["duty"][0] not in notice[0]["text"],
              notice[0]["text"])
        conf = wait_for(lambda: h.to_officer("duty", "confirm"), what="confirmation to officer")
        check(t["id"] in conf[0]["text"], conf[0]["text"])
        time.sleep(10)   # past the level-1 deadline: nothing may escalate now
        check(escalations(h, t["id"]) == [], "escalated after acknowledgement")
        check(not h.to_officer("backup"), "backup notified after acknowledgement")
        # a second OK is answered, changes nothing
        h.sms_in(BACKUP, "OK " + code)
        again = wait_for(lambda: h.to_officer("backup", "reply"), what="answer to second OK")
        check(unaccent(OFFICERS["duty"][0]) in again[0]["text"], again[0]["text"])
        check(h.tip(t["id"])["acked_by"] == OFFICERS["duty"][0], "second OK took the tip")
    finally:
        h.stop()


def test_bare_ok_with_one_and_with_two_waiting():
    h = started("bareok")
    try:
        h.sms_in(citizen(), "Đánh nhau ở quán karaoke số 3")
        t1 = h.wait_tips(1)[0]
        wait_for(lambda: h.to_officer("duty", "notify"), what="duty notified")
        h.sms_in(DUTY, "Ok")
        wait_for(lambda: h.tip(t1["id"])["status"] == "acknowledged", what="bare OK acknowledged")
        h.sms_in(citizen(), "Có cờ bạc ở tổ 3")
        h.sms_in(citizen(), "Có người lạ đi thăm dò nhà")
        tips = h.wait_tips(3)
        waiting = [t for t in tips if t["status"] == "new"]
        check(len(waiting) == 2, repr(tips))
        wait_for(lambda: len(h.to_officer("duty", "notify")) >= 3, what="duty notified of both")
        h.sms_in(DUTY, "OK")
        ans = wait_for(lambda: h.to_officer("duty", "reply"), what="answer listing the waiting IDs")
        for t in waiting:
            check(t["id"] in ans[-1]["text"], "%s not listed: %s" % (t["id"], ans[-1]["text"]))
        time.sleep(1.5)
        check(all(t["status"] == "new" for t in h.tips() if t["id"] != t1["id"]),
              "bare OK acknowledged something while two waited")
    finally:
        h.stop()


def test_close_and_list_and_help():
    h = started("close")
    try:
        h.sms_in(citizen(), "Nhà số 7 tàng trữ pháo nổ")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        h.sms_in(DUTY, "DS")
        ds = wait_for(lambda: h.to_officer("duty", "reply"), what="DS answer")
        check(t["id"] in ds[0]["text"], ds[0]["text"])
        h.sms_in(DUTY, "OK %s" % code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="ack")
        h.sms_in(DUTY, "xong %s Đã kiểm tra, thu giữ 2 thùng pháo" % code)
        wait_for(lambda: h.tip(t["id"])["status"] == "closed", what="closed")
        shown = h.tip(t["id"])
        check(any("thu giữ 2 thùng pháo" in m["text"] for m in shown["messages"]), repr(shown))
        closed = wait_for(lambda: h.to_citizens("closed_notice"), what="citizen told of closing")
        check("đã xử lý xong" in closed[0]["text"], closed[0]["text"])
        h.sms_in(DUTY, "xin chào")
        helps = wait_for(lambda: [r for r in h.to_officer("duty", "reply")
                                  if "Khong hieu lenh" in r["text"]], what="help answer")
        check("OK" in helps[0]["text"] and "XONG" in helps[0]["text"], helps[0]["text"])
        h.sms_in(DUTY, "OK 10000")
        wait_for(lambda: [r for r in h.to_officer("duty", "reply") if "khong hop le" in r["text"]],
                 what="answer to a bad ID")
        check(len(h.tips()) == 1, "an officer's text made a tip")
    finally:
        h.stop()


def test_every_escalation_level_and_the_repeat():
    # "hung khí" (a weapon) makes the tip urgent: level 1 then has urgent_deadline
    h = started("escalate", escalation={"ack_deadline": "3s", "level_deadline": "3s",
                                          "repeat": "3s", "urgent_deadline": "3s"})
    try:
        h.sms_in(citizen(), "Có đối tượng lạ mang theo hung khí lảng vảng")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        wait_for(lambda: len(escalations(h, t["id"])) >= 4, timeout=40, what="levels 2, 3, 4 and a repeat")
        esc = escalations(h, t["id"])
        steps = [(e["from_level"], e["to_level"]) for e in esc[:4]]
        check(steps == [(1, 2), (2, 3), (3, 4), (4, 4)], repr(steps))
        check(h.to_officer("backup", "escalate") and h.to_officer("leader", "escalate")
              and h.to_officer("chief", "escalate"), "each level notified")
        check(len(h.to_officer("duty", "remind")) >= 2, "earlier levels reminded")
        rep = wait_for(lambda: h.to_officer("duty", "repeat"), what="repeat to level 1")
        check(h.to_officer("chief", "repeat"), "repeat to level 4")
        check(t["id"] in rep[0]["text"], rep[0]["text"])
        h.sms_in(LEADER, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="leader acknowledges")
        n = len(escalations(h, t["id"]))
        time.sleep(5)
        check(len(escalations(h, t["id"])) == n, "escalated after acknowledgement")
        down = h.to_officer("chief", "stand_down")
        check(down and unaccent(OFFICERS["leader"][0]) in down[0]["text"], repr(down))
    finally:
        h.stop()


def test_nobody_on_duty_at_a_level_and_at_all():
    h = Tinbao("nobody", escalation={"ack_deadline": "3s", "level_deadline": "3s"})
    h.add_officer("duty", always=False)
    h.add_officer("leader")
    h.start()
    try:
        # level 1 is empty: straight to level 3, and the notification says so
        h.sms_in(citizen(), "Có người bán thuốc lắc ở quán bar")
        t = h.wait_tips(1)[0]
        first = wait_for(lambda: h.to_officer("leader", "notify"), what="leader notified")
        check("Cap 1-2 khong co ai truc" in first[0]["text"], first[0]["text"])
        check(h.tip(t["id"])["level"] == 3, "tip should sit at level 3")
        # remove everyone: the next tip waits, the log says so at error level
        h.cli("officer", "remove", OFFICERS["leader"][1])
        h.sms_in(citizen(), "Có tụ tập đánh bạc ở bãi đất trống")
        t2 = wait_for(lambda: [x for x in h.tips() if x["id"] != t["id"]], what="second tip")[0]
        wait_for(lambda: "NOBODY ON DUTY" in h.log(), what="error logged")
        check(t2["waiting"] is True, repr(t2))
        # a shift starting now brings it to the duty officer at once
        h.cli("shift", "add", "--officer", DUTY, "--level", "1", "--always")
        got = wait_for(lambda: [r for r in h.to_officer("duty", "notify") if t2["id"] in r["text"]],
                       timeout=15, what="waiting tip delivered when a shift starts")
        check(got, "not delivered")
        check(h.tip(t2["id"])["waiting"] is False, "still waiting")
    finally:
        h.stop()


def test_urgent_keyword_uses_the_urgent_deadline():
    h = started("urgent", escalation={"ack_deadline": "1h", "urgent_deadline": "2s",
                                        "level_deadline": "1h"})
    try:
        h.sms_in(citizen(), "Có người cầm DAO đâm nhau ở ngã tư!")     # "dao", "đâm"
        h.sms_in(citizen(), "Quán karaoke mở nhạc to quá khuya")
        tips = h.wait_tips(2)
        urgent = [t for t in tips if t["urgent"]]
        calm = [t for t in tips if not t["urgent"]]
        check(len(urgent) == 1 and len(calm) == 1, repr(tips))
        note = wait_for(lambda: [r for r in h.to_officer("duty", "notify")
                                 if urgent[0]["id"] in r["text"]], what="urgent notification")
        check(note[0]["text"].startswith("KHAN"), note[0]["text"])
        wait_for(lambda: h.tip(urgent[0]["id"])["level"] == 2, timeout=15,
                 what="urgent tip escalated after the urgent deadline")
        check(h.tip(calm[0]["id"])["level"] == 1, "the ordinary tip escalated too")
    finally:
        h.stop()
