"""A tip texted to the dummy modem travels the whole path."""
import re

from harness import OFFICERS, Tinbao, check, citizen, wait_for

ID_RE = re.compile(r"TB-([2-9A-HJKMNP-Z]{6})")


def started(name, **kw):
    h = Tinbao(name, **kw)
    h.full_roster()
    return h.start()


def receipt_for(h, n=1):
    rows = wait_for(lambda: (lambda r: r if len(r) >= n else None)(h.to_citizens("receipt")),
                    what="%d receipt(s)" % n)
    return rows


def test_tip_reply_and_notification():
    h = started("basic")
    try:
        who = citizen()
        h.sms_in(who, "Có người bán ma túy ở hẻm 12 Lê Lợi, tối nào cũng có.")
        tips = h.wait_tips(1)
        t = tips[0]
        check(re.fullmatch(r"TB-[2-9A-HJKMNP-Z]{6}", t["id"]), "tracking ID form: %r" % t["id"])
        check(t["status"] == "new" and t["level"] == 1 and t["channel"] == "sms", repr(t))
        check(t["category"] == "ma_tuy", "category guess: %r" % t["category"])
        check(t["text"] == "Có người bán ma túy ở hẻm 12 Lê Lợi, tối nào cũng có.", t["text"])
        # the SMS is gone from the modem only after it was admitted
        wait_for(lambda: not h.inbox_files(), what="the SMS deleted from the modem")
        receipt = receipt_for(h)[0]
        code = t["id"][3:]
        for piece in (t["id"], "TT " + code, code + " nội dung", "bí mật"):
            check(piece in receipt["text"], "receipt lacks %r: %s" % (piece, receipt["text"]))
        # the duty officer (level 1) is told, nobody else yet
        notes = wait_for(lambda: h.to_officer("duty", "notify"), what="duty officer notified")
        check(t["id"] in notes[0]["text"] and "OK " + code in notes[0]["text"], notes[0]["text"])
        check(not h.to_officer("backup"), "backup told too early")
        # both go out through the modem
        sent = wait_for(lambda: (lambda s: s if len(s) >= 2 else None)(h.sent()),
                        what="2 messages through the dummy modem")
        numbers = {m["number"] for m in sent}
        check(who in numbers and OFFICERS["duty"][1] in numbers, repr(numbers))
        to_citizen = [m for m in sent if m["number"] == who][0]
        check(to_citizen["coding"].lower().startswith("unicode"),
              "reply with diacritics must be UCS-2: %r" % to_citizen)
        check(t["id"] in to_citizen["text"], to_citizen["text"])
        to_duty = [m for m in sent if m["number"] == OFFICERS["duty"][1]][0]
        check(to_duty["coding"].lower().startswith("default"),
              "officer SMS must be GSM-7: %r" % to_duty)
    finally:
        h.stop()


def test_unaccented_reply_is_gsm7():
    h = started("unaccented", gateway={"unaccented_sms": "yes"})
    try:
        who = citizen()
        h.sms_in(who, "Trộm xe máy trước nhà số 5")
        t = h.wait_tips(1)[0]
        receipt = receipt_for(h)[0]
        check("Cong an Phuong Thach Khoi da nhan tin bao" in receipt["text"], receipt["text"])
        sent = wait_for(lambda: [m for m in h.sent() if m["number"] == who], what="reply sent")
        check(sent[0]["coding"].lower().startswith("default"), repr(sent[0]))
        check(t["id"] in sent[0]["text"], sent[0]["text"])
    finally:
        h.stop()


def test_multipart_tip_is_one_tip():
    h = started("multipart")
    try:
        who = citizen()
        import smslib
        smslib.write_dummy_multipart(h.modems["sim1"]["device"], who,
                                     ["Phần 1: cháy ở chợ, lửa đang lan, ", "phần 2: cần hỗ trợ gấp."],
                                     ref=0x42)
        t = h.wait_tips(1)[0]
        check(t["text"] == "Phần 1: cháy ở chợ, lửa đang lan, phần 2: cần hỗ trợ gấp.", t["text"])
        check(t["urgent"] is True, "cháy is an urgent keyword")
        check(not t.get("partial"), "complete message marked partial")
        wait_for(lambda: not h.inbox_files(), what="both parts deleted")
    finally:
        h.stop()


def test_incomplete_multipart_admitted_after_timeout():
    h = started("partial", gateway={"multipart_timeout": "3s"})
    try:
        who = citizen()
        h.sms_in(who, "Phần 1 của 3, ", udh="050003110301")
        h.sms_in(who, "phần 3 của 3.", udh="050003110303")
        t = h.wait_tips(1, timeout=30)[0]
        check(t["partial"] is True, repr(t))
        check(t["text"].startswith("Phần 1 của 3, ") and t["text"].endswith("phần 3 của 3."),
              t["text"])
        check("[…]" in t["text"], "the missing part is marked: %r" % t["text"])
        check(not h.inbox_files(), "parts left on the modem")
    finally:
        h.stop()


def test_followups_by_id_and_by_window():
    h = started("followup", gateway={"followup_window": "1h"})
    try:
        who = citizen()
        h.sms_in(who, "Nhóm thanh niên tụ tập đua xe ở đường Trần Phú")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        h.sms_in(who, "%s Khoảng 20 xe, đêm nào cũng đua" % code.lower())
        h.sms_in(who, "Thêm nữa: họ tụ tập ở quán nước đầu hẻm")
        wait_for(lambda: len([m for m in h.tip(t["id"])["messages"] if m["direction"] == "in"]) == 3,
                 what="3 citizen messages on the tip")
        check(len(h.tips()) == 1, "follow-ups made new tips")
        texts = [m["text"] for m in h.tip(t["id"])["messages"] if m["direction"] == "in"]
        check("Khoảng 20 xe, đêm nào cũng đua" in texts, repr(texts))
        acks = wait_for(lambda: (lambda r: r if len(r) >= 2 else None)(h.to_citizens("followup_ack")),
                        what="two follow-up confirmations")
        check(t["id"] in acks[0]["text"], acks[0]["text"])
        added = wait_for(lambda: h.to_officer("duty", "followup"), what="officer told of follow-up")
        check("Khoảng 20 xe" in added[0]["text"] or "Khoang 20 xe" in added[0]["text"], added[0]["text"])
    finally:
        h.stop()


def test_window_closed_makes_new_tip():
    h = started("window", gateway={"followup_window": "1s"})
    try:
        who = citizen()
        h.sms_in(who, "Có tiếng cãi nhau lớn ở số 9")
        h.wait_tips(1)
        import time
        time.sleep(2.5)
        h.sms_in(who, "Ở chợ có người móc túi")
        h.wait_tips(2)
    finally:
        h.stop()


def test_stranger_quoting_an_id_gets_a_new_tip():
    h = started("stranger")
    try:
        a, b = citizen(), citizen()
        h.sms_in(a, "Có đánh bạc ở nhà văn hóa tổ 5")
        t = h.wait_tips(1)[0]
        h.sms_in(b, "%s tôi cũng thấy, họ chơi xóc đĩa" % t["id"])
        tips = h.wait_tips(2)
        other = [x for x in tips if x["id"] != t["id"]][0]
        check(other["text"].endswith("tôi cũng thấy, họ chơi xóc đĩa"), other["text"])
        first = h.tip(t["id"])
        check(len([m for m in first["messages"] if m["direction"] == "in"]) == 1,
              "a stranger's text was merged into someone else's tip")
        notes = [m["text"] for m in h.tip(other["id"])["messages"] if m["direction"] == "note"]
        check(any(t["id"] in n for n in notes), "new tip should mention the quoted ID: %r" % notes)
    finally:
        h.stop()


def test_status_queries():
    h = started("status")
    try:
        a, b = citizen(), citizen()
        h.sms_in(a, "Có người lạ cạy khóa xe")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        h.sms_in(a, "TT " + code)
        ans = wait_for(lambda: h.to_citizens("status"), what="status answer")
        check("đang chờ cán bộ xử lý" in ans[0]["text"] and t["id"] in ans[0]["text"], ans[0]["text"])
        check("Nguyễn" not in ans[0]["text"], "status names an officer")
        # someone else's ID and an unknown ID get the same "not found"
        h.sms_in(b, "tt " + t["id"])
        wait_for(lambda: len(h.to_citizens("status")) >= 2, what="second status answer")
        h.sms_in(b, "TT 23456X")
        ans = wait_for(lambda: (lambda r: r if len(r) >= 3 else None)(h.to_citizens("status")),
                       what="third status answer")
        check("Không tìm thấy" in ans[1]["text"] and t["id"] in ans[1]["text"], ans[1]["text"])
        check("Không tìm thấy" in ans[2]["text"], ans[2]["text"])
        check(len(h.tips()) == 1, "status queries made tips")
        # after acknowledgement the answer changes
        h.sms_in(OFFICERS["duty"][1], "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="ack")
        h.sms_in(a, "TT " + code)
        ans = wait_for(lambda: (lambda r: r if len(r) >= 4 else None)(h.to_citizens("status")),
                       what="fourth status answer")
        check("cán bộ đã nhận" in ans[3]["text"], ans[3]["text"])
    finally:
        h.stop()


def test_two_modems_share_the_sending():
    h = Tinbao("twomodems", modems={"sim1": "dummy", "sim2": "dummy"})
    h.full_roster()
    h.start()
    try:
        for i in range(6):
            h.sms_in(citizen(), "Tin thử %d qua SIM 1" % i, modem="sim1")
            h.sms_in(citizen(), "Tin thử %d qua SIM 2" % i, modem="sim2")
        h.wait_tips(12, timeout=30)
        wait_for(lambda: len(h.outbox("o.state = 'sent'")) >= 24, timeout=30,
                 what="receipts and notifications sent")
        via = [r["via"] for r in h.outbox("o.state = 'sent'")]
        check(via.count("sim1") >= 4 and via.count("sim2") >= 4,
              "sends not spread: sim1 %d, sim2 %d" % (via.count("sim1"), via.count("sim2")))
        sent1, sent2 = h.sent("sim1"), h.sent("sim2")
        check(len(sent1) + len(sent2) == 24, "%d + %d messages in the modems' logs" % (
            len(sent1), len(sent2)))
    finally:
        h.stop()
