"""The anonymous relay (HOI and the tipster's answer) and the handover
(CHUYEN), over SMS and over the Zalo bot, with the real tinbaod."""
import os
import sqlite3
import sys
import time

from harness import OFFICERS, Tinbao, check, citizen, unaccent, wait_for, zalo_user

DUTY, BACKUP, LEADER, CHIEF = (OFFICERS[k][1] for k in ("duty", "backup", "leader", "chief"))


def fake_api(bot_token):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    from fake_zalo import FakeZalo
    fake = FakeZalo(bot_token)
    fake.start()
    return fake


def started(name, **kw):
    h = Tinbao(name, **kw)
    h.full_roster()
    return h.start()


def audit(h, action):
    return h.query("SELECT actor, action, tip_id, detail FROM audit WHERE action = ? ORDER BY id",
                   action)


def writable(h):
    con = sqlite3.connect(h.db, timeout=10)
    con.execute("PRAGMA busy_timeout = 10000")
    return con


def test_relay_both_ways_over_sms():
    h = started("relaysms", gateway={"followup_window": "4s"})
    try:
        who = citizen()
        h.sms_in(who, "Có người lạ trộm xe máy ở hẻm 5 Lê Lợi")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        wait_for(lambda: h.to_officer("duty", "notify"), what="duty notified")
        h.sms_in(DUTY, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        # the backup officer (not the owner) asks; the answer must reach them only
        h.sms_in(BACKUP, "hỏi %s Xe máy màu gì, biển số?" % code.lower())
        q = wait_for(lambda: h.to_citizens("relay_question"), what="question to the tipster")
        text = q[0]["text"]
        check(text == "Cán bộ hỏi về tin %s: Xe máy màu gì, biển số? Trả lời: %s nội dung"
              % (t["id"], code), text)
        for secret in (OFFICERS["backup"][0], BACKUP, BACKUP[3:], "Bình"):
            check(secret not in text, "the officer shows in the question: %r" % text)
        sent = wait_for(lambda: h.to_officer("backup", "reply"), what="confirmation to the asker")
        check(t["id"] in sent[0]["text"] and "Da gui cau hoi" in sent[0]["text"], sent[0]["text"])
        wait_for(lambda: [m for m in h.sent() if m["number"] == who and "hoi ve tin" in
                          unaccent(m["text"]).lower()], what="the question through the modem")
        msgs = h.tip(t["id"])["messages"]
        out = [m for m in msgs if m["direction"] == "out" and "Cán bộ hỏi" in m["text"]]
        check(len(out) == 1, "question stored on the tip: %r" % msgs)

        # the answer with the ID goes to the asker, not to the owner
        h.sms_in(who, "%s Màu đỏ, biển 59-X1 234" % code)
        ans = wait_for(lambda: h.to_officer("backup", "relay_answer"), what="answer to the asker")
        check(t["id"] in ans[0]["text"] and "Mau do, bien 59-X1 234" in ans[0]["text"],
              ans[0]["text"])
        check(who not in ans[0]["text"] and who[3:] not in ans[0]["text"], "tipster's number")
        check(not h.to_officer("duty", "followup"), "the owner got the answer meant for the asker")

        # after the follow-up window, a plain text still answers a fresh question
        time.sleep(5)
        h.sms_in(DUTY, "HOI %s Có ai bị thương không?" % code)
        wait_for(lambda: len(h.to_citizens("relay_question")) == 2, what="second question")
        h.sms_in(who, "Không ai bị thương")
        ans2 = wait_for(lambda: h.to_officer("duty", "relay_answer"), what="plain answer to duty")
        check("Khong ai bi thuong" in ans2[0]["text"], ans2[0]["text"])
        check(len(h.tips()) == 1, "the plain answer became a new tip")
        texts = [m["text"] for m in h.tip(t["id"])["messages"] if m["direction"] == "in"]
        check("Màu đỏ, biển 59-X1 234" in texts and "Không ai bị thương" in texts, repr(texts))
        check(len(audit(h, "relay.out")) == 2 and len(audit(h, "relay.in")) == 2,
              "audit: %r" % h.query("SELECT action FROM audit"))
        check(audit(h, "relay.out")[0]["actor"] == OFFICERS["backup"][0], "relay.out actor")
    finally:
        h.stop()


def test_relay_without_a_reply_address_fails_cleanly():
    h = started("relaynoaddr")
    try:
        who = citizen()
        h.sms_in(who, "Có đánh bạc ở tổ 4")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        con = writable(h)      # what retention does: the sealed address is destroyed
        con.execute("UPDATE tips SET sender_sealed = NULL, address_destroyed_at = ? WHERE code = ?",
                    (int(time.time()), code))
        con.commit()
        con.close()
        h.sms_in(DUTY, "HOI %s Ở nhà số mấy?" % code)
        r = wait_for(lambda: [x for x in h.to_officer("duty", "reply") if "Khong gui duoc" in
                              x["text"]], what="HOI failed answer")
        check(r[0]["text"] == "Khong gui duoc: nguoi bao %s khong con lien lac duoc qua SMS."
              % t["id"], r[0]["text"])
        check(not h.to_citizens("relay_question"), "a question was queued without an address")
        check(len(audit(h, "relay.failed")) == 1, "audit of the failure")
        # a question too long for the tipster's SMS is refused whole, never cut
        import smslib
        long_q = "HOI %s %s" % (code, "Xe máy màu gì? " * 25)
        smslib.write_dummy_multipart(h.modems["sim1"]["device"], DUTY,
                                     [long_q[i:i + 60] for i in range(0, len(long_q), 60)],
                                     ref=0x51)
        refused = wait_for(lambda: [x for x in h.to_officer("duty", "reply") if "toi da 300"
                                   in x["text"]], what="refusal of a long question")
        check("374 ky tu" in refused[0]["text"], refused[0]["text"])
        # an unknown ID and a missing question are answered too
        h.sms_in(DUTY, "HOI 7KM4Q9 hello")
        wait_for(lambda: [x for x in h.to_officer("duty", "reply") if "7KM4Q9" in x["text"]],
                 what="unknown tip answer")
    finally:
        h.stop()


def test_relay_over_the_zalo_bot():
    fake = fake_api("321:relay-bot")
    h = Tinbao("relaybot", http=True, bot_api=fake)
    name, phone, _ = OFFICERS["duty"]
    officer_bot = "b0000000000000000042"            # officers' ids are not secret
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", officer_bot,
          "--channel", "zalo_bot")
    h.cli("shift", "add", "--officer", phone, "--level", "1", "--always")
    h.start()
    try:
        who = zalo_user()

        def bot(sender, text, mid):
            return h.post_bot({"event_name": "message.text.received", "message": {
                "message_id": mid, "from": {"id": sender, "is_bot": False},
                "chat": {"id": sender, "chat_type": "PRIVATE"},
                "date": int(time.time() * 1000), "text": text}})

        check(bot(who, "Có người bán ma túy ở hẻm 12", "r1")[0] == 200, "tip admitted")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        wait_for(lambda: [m for m in fake.sent if m["chat_id"] == officer_bot],
                 what="officer notified on the bot")
        check(bot(officer_bot, "HOI %s Bán vào giờ nào?" % code, "r2")[0] == 200, "officer HOI")
        q = wait_for(lambda: [m for m in fake.sent if m["chat_id"] == who and "hỏi" in m["text"]],
                     what="question to the tipster on the bot")
        check(q[0]["text"] == "Cán bộ hỏi về tin %s: Bán vào giờ nào? Trả lời: %s nội dung"
              % (t["id"], code), q[0]["text"])
        check(name not in q[0]["text"] and officer_bot not in q[0]["text"], q[0]["text"])
        check(bot(who, "%s Khoảng 9 giờ tối" % code, "r3")[0] == 200, "answer admitted")
        a = wait_for(lambda: [m for m in fake.sent if m["chat_id"] == officer_bot and
                              "người báo trả lời" in m["text"]],
                   what="answer to the officer on the bot")
        check("Khoảng 9 giờ tối" in a[0]["text"] and t["id"] in a[0]["text"], a[0]["text"])
        check(who not in a[0]["text"], "the tipster's Zalo id reached the officer")
        msgs = h.tip(t["id"])["messages"]
        check(any(m["direction"] == "in" and m["text"] == "Khoảng 9 giờ tối" for m in msgs),
              repr(msgs))
    finally:
        h.stop()
        fake.stop()


def test_handover_by_short_code():
    h = Tinbao("handover", escalation={"ack_deadline": "6s", "level_deadline": "6s"})
    h.full_roster()
    h.cli("officer", "add", "--name", "Đỗ Văn Em", "--phone", "+84900000005", "--short-code", "e5")
    listed = [o for o in h.cli_json("officer", "list") if o["phone"] == "+84900000005"]
    check(listed and listed[0]["short_code"] == "E5", repr(listed))
    check(" E5 " in h.cli("officer", "list").stdout, "short code in the listing")
    h.start()
    try:
        em = "+84900000005"
        h.sms_in(citizen(), "Có nhóm người lạ tụ tập đêm ở bãi đất trống")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        # an officer who neither owns the tip nor is on duty may not hand it over
        h.sms_in(em, "CHUYEN %s %s" % (code, DUTY))
        no = wait_for(lambda: [r for r in h.outbox("o.dest = ?", em) if r["kind"] == "reply"],
                      what="refusal")
        check("khong phu trach tin %s" % t["id"] in no[0]["text"], no[0]["text"])
        h.sms_in(DUTY, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        h.sms_in(DUTY, "chuyển %s e5" % code)
        wait_for(lambda: h.tip(t["id"])["status"] == "new", what="back to waiting")
        note = wait_for(lambda: [r for r in h.outbox("o.dest = ?", em) if r["kind"] == "transfer"],
                        what="new owner told")
        check("duoc D/c Nguyen Van An chuyen cho dong chi. Tra loi OK %s de nhan" % code
              in note[0]["text"], note[0]["text"])
        told = wait_for(lambda: [r for r in h.to_officer("duty", "reply") if "Da chuyen" in
                                 r["text"]], what="old owner told")
        check("Do Van Em" in told[0]["text"], told[0]["text"])
        check(audit(h, "tip.transfer")[0]["actor"] == OFFICERS["duty"][0], "audit")
        # nobody answers: the escalation goes on as usual
        wait_for(lambda: h.to_officer("backup", "escalate"), timeout=30,
                 what="escalation after the handover")
        h.sms_in(em, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="new owner acknowledges")
        check(h.tip(t["id"])["acked_by"] == "Đỗ Văn Em", repr(h.tip(t["id"])["acked_by"]))
        # an unknown target is answered, nothing changes
        h.sms_in(em, "CHUYEN %s ZZ9" % code)
        wait_for(lambda: [r for r in h.outbox("o.dest = ?", em) if "Khong tim thay can bo"
                          in r["text"]], what="unknown officer answer")
        check(h.tip(t["id"])["status"] == "acknowledged", "changed by a bad CHUYEN")
    finally:
        h.stop()


def test_relay_over_the_oa_and_its_seven_day_window():
    h = Tinbao("relayoa", http=True)
    h.full_roster()
    h.start()
    try:
        fresh, old = zalo_user(), zalo_user()
        check(h.post_oa(h.oa_event(fresh, "Có người lạ đi thăm dò nhà ở tổ 3"))[0] == 200, "tip 1")
        check(h.post_oa(h.oa_event(old, "Có cờ bạc ở tổ 8"))[0] == 200, "tip 2")
        tips = h.wait_tips(2)
        t_fresh = [t for t in tips if "thăm dò" in t["text"]][0]
        t_old = [t for t in tips if "cờ bạc" in t["text"]][0]
        con = writable(h)      # the second tipster last wrote 8 days ago
        con.execute("UPDATE tips SET last_citizen_at = ? WHERE code = ?",
                    (int(time.time()) - 8 * 86400, t_old["id"][3:]))
        con.commit()
        con.close()
        h.sms_in(DUTY, "HOI %s Nhà số mấy?" % t_fresh["id"])
        q = wait_for(lambda: h.to_citizens("relay_question"), what="question queued for the OA")
        check(q[0]["channel"] == "zalo_oa" and t_fresh["id"] in q[0]["text"], repr(q[0]))
        h.sms_in(DUTY, "HOI %s Ở đâu?" % t_old["id"])
        r = wait_for(lambda: [x for x in h.to_officer("duty", "reply") if "Khong gui duoc" in
                              x["text"]], what="HOI failed: window closed")
        check("qua Zalo OA (qua 7 ngay)" in r[0]["text"] and t_old["id"] in r[0]["text"],
              r[0]["text"])
        check(len(h.to_citizens("relay_question")) == 1, "a question past the window was queued")
        check(h.post_oa(h.oa_event(fresh, "%s Nhà số 14" % t_fresh["id"][3:]))[0] == 200, "answer")
        a = wait_for(lambda: h.to_officer("duty", "relay_answer"), what="answer from the OA")
        check("Nha so 14" in a[0]["text"], a[0]["text"])
    finally:
        h.stop()


def test_an_answer_after_a_handover_reaches_the_new_owner():
    """Beyond issue 9: officer A asks the tipster, then hands the tip to B,
    who takes it; the tipster's answer went to A alone, and B, who owns the
    tip now, never saw it. It reaches both."""
    h = started("relayhandover", gateway={"followup_window": "1h"})
    try:
        who = citizen()
        h.sms_in(who, "Có người lạ lảng vảng quanh trường học")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        h.sms_in(DUTY, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged")
        h.sms_in(DUTY, "HOI %s Người đó mặc áo màu gì?" % code)
        wait_for(lambda: h.to_citizens("relay_question"), what="the question relayed")
        h.sms_in(DUTY, "CHUYEN %s %s" % (code, BACKUP))
        wait_for(lambda: h.to_officer("backup", "transfer"), what="the handover")
        h.sms_in(BACKUP, "OK " + code)
        wait_for(lambda: h.tip(t["id"])["acked_by"] == OFFICERS["backup"][0], what="B owns it")
        h.sms_in(who, "%s Áo khoác đen, đội mũ bảo hiểm đỏ" % code)
        wait_for(lambda: h.to_officer("duty", "relay_answer"), what="the asker told")
        got = wait_for(lambda: [r for r in h.to_officer("backup")
                                if "mu bao hiem do" in r["text"]],
                       what="the new owner told of the answer")
        check(len(got) == 1, repr(got))
    finally:
        h.stop()
