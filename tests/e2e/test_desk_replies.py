"""What a duty officer types fast by SMS, lowercase and without marks, and
what tinbaod answers: several IDs in one OK, a handover's second part, a
question without its mark, a tip nobody can be told about."""
from harness import OFFICERS, Tinbao, check, citizen, unaccent, wait_for

DUTY = OFFICERS["duty"][1]
EM = "+84900000005"


def started(name, **kw):
    h = Tinbao(name, **kw)
    h.full_roster()
    h.cli("officer", "add", "--name", "Đỗ Văn Em", "--phone", EM, "--short-code", "e5")
    return h.start()


def replies(h, phone, text):
    """The officer's replies so far that contain text (unaccented)."""
    return [r["text"] for r in h.outbox("o.dest = ?", phone)
            if r["kind"] in ("reply", "confirm") and text in unaccent(r["text"])]


def test_one_ok_with_several_ids_takes_each():
    h = started("desk-okmany")
    try:
        for text in ("Có trộm xe ở hẻm 5", "Có đánh bạc ở tổ 4", "Có cho vay nặng lãi ở chợ"):
            h.sms_in(citizen(), text)
        t = h.wait_tips(3)
        codes = [x["id"][3:].lower() for x in t]
        h.sms_in(DUTY, "ok %s %s" % (codes[0], codes[1]))
        h.sms_in(DUTY, "ok %s, %s." % (codes[1], codes[2]))
        wait_for(lambda: all(h.tip(x["id"])["status"] == "acknowledged" for x in t),
                 what="all three acknowledged")
        check(all(h.tip(x["id"])["acked_by"] == OFFICERS["duty"][0] for x in t), "by the duty")
        # an OK followed by words takes the ID and stops at the words
        h.sms_in(citizen(), "Có người lạ ở bãi xe")
        t4 = h.wait_tips(4)[3]
        h.sms_in(DUTY, "ok %s cam on" % t4["id"][3:])
        wait_for(lambda: h.tip(t4["id"])["status"] == "acknowledged", what="the fourth")
    finally:
        h.stop()


def test_a_handover_leaves_the_giver_nothing_waiting():
    from test_admin_api import TOKEN, request
    h = started("desk-handover", http=True, admin_token=TOKEN)
    try:
        h.sms_in(citizen(), "Có người lạ trộm xe máy ở hẻm 5 Lê Lợi")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        h.sms_in(DUTY, "ok " + code.lower())
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        # "cho" and a full stop, as officers write it
        h.sms_in(DUTY, "chuyen %s cho e5." % code.lower())
        wait_for(lambda: h.tip(t["id"])["status"] == "new", what="handed over")
        wait_for(lambda: replies(h, DUTY, "Da chuyen"), what="the giver told")
        # the desk page shows who the tip now waits for: the new owner
        status, _, page = request(h, "GET", "/", token=None, basic="desk:" + TOKEN)
        page = page.decode() if isinstance(page, bytes) else str(page)
        row = [ln for ln in page.split("<tr") if t["id"] in ln]
        check(status == 200 and row and "Đang báo: Đỗ Văn Em" in row[0] and
              "Nguyễn Văn An" not in row[0].split("Đang báo:")[1], repr(row[:1]))
        h.sms_in(DUTY, "ds")
        ds = wait_for(lambda: replies(h, DUTY, "dang mo"),
                      what="the DS answer")
        check(t["id"] not in ds[-1], "the handed-over tip listed for the giver: " + ds[-1])
        # a bare OK from the giver does not take it back
        n = len(replies(h, DUTY, ""))
        h.sms_in(DUTY, "ok")
        wait_for(lambda: len(replies(h, DUTY, "")) > n, what="the bare OK answered")
        check(h.tip(t["id"])["status"] == "new", "the giver took the tip back with a bare OK")
        # the new owner takes it
        h.sms_in(EM, "ok")
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="the new owner's OK")
        check(h.tip(t["id"])["acked_by"] == "Đỗ Văn Em", repr(h.tip(t["id"])["acked_by"]))
        # handing it to oneself is refused as such
        h.sms_in(EM, "chuyen %s e5" % code)
        wait_for(lambda: replies(h, EM, "cho chinh minh"), what="the refusal to oneself")
    finally:
        h.stop()


def test_the_second_part_missing_is_named():
    h = started("desk-missing")
    try:
        h.sms_in(citizen(), "Có người lạ ở bãi xe")
        t = h.wait_tips(1)[0]
        code = t["id"][3:].lower()
        h.sms_in(DUTY, "ok " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        h.sms_in(DUTY, "hoi " + code)
        got = wait_for(lambda: replies(h, DUTY, "Thieu cau hoi"), what="HOI without a question")
        check("HOI <ma> <cau hoi>" in unaccent(got[0]), got[0])
        h.sms_in(DUTY, "chuyen " + code)
        wait_for(lambda: replies(h, DUTY, "Thieu nguoi nhan"), what="CHUYEN without a target")
        check(not replies(h, DUTY, "Thieu ma tin bao"), "said the ID was missing")
        # a question typed without its mark gets one before the tipster's instructions
        h.sms_in(DUTY, "hoi %s xe mau gi" % code)
        asked = wait_for(lambda: h.to_citizens("relay_question"), what="the question relayed")
        check("xe mau gi? Tra loi" in unaccent(asked[0]["text"]), asked[0]["text"])
    finally:
        h.stop()


def test_a_tip_without_a_reply_address_says_the_citizen_was_not_told():
    h = started("desk-noaddr")
    try:
        h.sms_in("VIETTEL", "Khuyen mai nap the 50% hom nay")
        t = h.wait_tips(1)[0]
        p = h.cli("ack", t["id"], "--officer", DUTY)
        check("not told" in p.stdout and "has been told" not in p.stdout, p.stdout)
        out = h.query("SELECT count(*) AS n FROM tip_messages m JOIN tips t ON t.id = m.tip_id "
                      "WHERE m.direction = 'out'")[0]["n"]
        check(out == 0, "a message to the citizen recorded that was never sent")
        h.sms_in(DUTY, "xong %s da kiem tra, tin quang cao" % t["id"][3:])
        got = wait_for(lambda: replies(h, DUTY, "Da dong"), what="the close confirmed")
        check("khong duoc thong bao" in unaccent(got[0]), got[0])
    finally:
        h.stop()
