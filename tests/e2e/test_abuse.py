"""Abuse control by pseudonym (rate limits, mute), loop protection and the
stale-flood guard, with the real tinbaod."""
import getpass
import os
import signal
import sys
import time

from harness import OFFICERS, Tinbao, check, citizen, wait_for

DUTY = OFFICERS["duty"][1]


def started(name, **kw):
    h = Tinbao(name, **kw)
    h.full_roster()
    return h.start()


def processed(h):
    return h.query("SELECT id, tip_id, processed_at FROM inbound ORDER BY id")


def all_processed(h, n):
    rows = processed(h)
    return rows if len(rows) >= n and all(r["processed_at"] for r in rows) else None


def test_rate_limit_keeps_the_message_and_refuses_once():
    h = started("ratelimit", gateway={"followup_window": "1s"},
                sections={"abuse": {"tips_per_hour": "2", "tips_per_day": "20"}})
    try:
        who = citizen()
        for i in range(4):
            h.sms_in(who, "Tin báo số %d về trộm cắp ở tổ %d" % (i, i + 1))
            wait_for(lambda: all_processed(h, i + 1), what="message %d routed" % i)
            time.sleep(2.2)       # past the follow-up window: each is a new tip
        check(len(h.tips()) == 2, "tips: %r" % [t["text"] for t in h.tips()])
        rows = processed(h)
        check(len(rows) == 4 and [r["tip_id"] is None for r in rows] == [False, False, True, True],
              "every message kept, the last two without a tip: %r" % rows)
        refusals = h.to_citizens("rate_limited")
        check(len(refusals) == 1, "one refusal a day, not %d" % len(refusals))
        check(refusals[0]["text"] == "Bạn gửi quá nhiều tin. Vui lòng thử lại sau. "
              "Khẩn cấp gọi 113.", refusals[0]["text"])
        check(len(h.to_citizens("receipt")) == 2, "receipts")
        # somebody else is not limited
        h.sms_in(citizen(), "Có người lạ ở tổ 9")
        h.wait_tips(3)
        check(h.query("SELECT count(*) AS n FROM audit WHERE action = 'sender.rate_limited'")[0]["n"]
              == 2, "audit of the refused messages")
    finally:
        h.stop()


def test_mute_and_unmute_by_tip_id():
    h = started("mute")
    try:
        who = citizen()
        h.sms_in(who, "Tin nhắn quấy rối lần 1")
        t = h.wait_tips(1)[0]
        out = h.cli("sender", "mute", t["id"], "--officer", DUTY).stdout
        check("muted the sender of %s" % t["id"] in out, out)
        check(who not in out and who[3:] not in out, "the number in the CLI output")
        again = h.cli("sender", "mute", t["id"]).stdout
        check("already muted" in again, again)
        before = len(h.outbox())
        h.sms_in(who, "TT " + t["id"])
        h.sms_in(who, "Tin nhắn quấy rối lần 2, khác hẳn")
        wait_for(lambda: all_processed(h, 3), what="muted messages kept and marked")
        time.sleep(1.5)
        check(len(h.tips()) == 1, "a muted sender made a tip")
        check(len(h.outbox()) == before, "a muted sender got an answer or reached an officer")
        check(len(h.query("SELECT id FROM inbound")) == 3, "messages kept")
        mute = h.query("SELECT actor, officer, tip_id, detail FROM audit "
                       "WHERE action = 'sender.mute'")
        check(len(mute) == 1 and mute[0]["officer"] == OFFICERS["duty"][0] and
              mute[0]["actor"].startswith(getpass.getuser()), repr(mute))
        out = h.cli("sender", "unmute", t["id"]).stdout
        check("unmuted" in out, out)
        unmute = h.query("SELECT actor, officer FROM audit WHERE action = 'sender.unmute'")
        check(unmute[0]["actor"].startswith(getpass.getuser()) and unmute[0]["officer"] is None,
              "unmute actor: %r" % unmute)
        h.sms_in(who, "Sau khi bỏ chặn: có trộm ở tổ 2")
        wait_for(lambda: h.to_citizens("followup_ack"), what="routed and answered again")
        check(any(m["text"] == "Sau khi bỏ chặn: có trộm ở tổ 2" for m in h.tip(t["id"])["messages"]),
              "the message after unmute joined the open tip")
        h.cli("sender", "mute", "TB-7KM4Q9", expect=1)
        h.cli("sender", "mute", "nonsense", expect=2)
    finally:
        h.stop()


def test_loop_protection():
    own = "+84987650001"          # our own modem's number: not a citizen's
    h = started("loops", modem_extra={"own_number": own},
                sections={"abuse": {"replies_per_day": "2"}})
    try:
        h.sms_in("VIETTEL", "Khuyen mai 50% the nap hom nay")
        h.sms_in("9029", "Ban da dang ky goi cuoc thanh cong")
        h.sms_in(own, "Da nhan tin bao cua ban. Ma: TB-7KM4Q9")
        wait_for(lambda: all_processed(h, 3), what="three routed")
        time.sleep(1.5)
        check(not h.to_citizens(), "answered a loop sender: %r" % h.to_citizens())
        check("loop protection" in h.log(), "not logged")
        # a person gets at most replies_per_day automatic replies
        who = citizen()
        h.sms_in(who, "Có người đánh nhau ở chợ")
        t = h.wait_tips(4)
        tid = [x for x in t if "đánh nhau" in x["text"]][0]["id"]
        for _ in range(3):
            h.sms_in(who, "TT " + tid)
        wait_for(lambda: all_processed(h, 7), what="status questions routed")
        time.sleep(1.5)
        replies = [r for r in h.to_citizens()]
        check(len(replies) == 2, "replies: %r" % [(r["kind"], r["text"]) for r in replies])
    finally:
        h.stop()


def fake_api(bot_token):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    from fake_zalo import FakeZalo
    fake = FakeZalo(bot_token)
    fake.start()
    return fake


def test_flood_guard_collapses_stale_notifications():
    fake = fake_api("777:flood")
    # flood_after starts long, so nothing is stale until the officer's OK is
    # routed; a reload then makes the queue stale at once (on a loaded
    # machine the OK could otherwise come after the summary was written)
    h = Tinbao("flood", http=True, bot_api=fake,
               outbox={"max_attempts": "100", "fallback_after": "3600"},
               sections={"abuse": {"flood_after": "1h", "flood_min": "3"}})
    name, phone, _ = OFFICERS["duty"]
    officer_bot = "b0000000000000000077"
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", officer_bot,
          "--channel", "zalo_bot")
    h.cli("shift", "add", "--officer", phone, "--level", "1", "--always")
    h.start()
    try:
        fake.script("/sendMessage", times=100000, status=503, raw_body="<html>down</html>")
        for i in range(5):
            h.sms_in(citizen(), "Tin %d trong lúc Zalo hỏng: có trộm ở tổ %d" % (i, i + 1))
        tips = h.wait_tips(5)
        ids = sorted(t["id"] for t in tips)
        # the officer acknowledges one by SMS meanwhile
        h.sms_in(phone, "OK " + ids[0])
        wait_for(lambda: h.tip(ids[0])["status"] == "acknowledged", what="one acknowledged")
        check(not h.outbox("o.kind = 'summary'"), "a summary before the queue was stale")
        conf = open(h.conf).read().replace("flood_after = 1h", "flood_after = 2s")
        with open(h.conf, "w") as f:
            f.write(conf)
        h.proc.send_signal(signal.SIGHUP)
        summary = wait_for(lambda: h.outbox("o.kind = 'summary' AND o.state = 'queued'"),
                           timeout=30, what="a summary queued")
        wait_for(lambda: not h.outbox("o.kind = 'notify' AND o.state IN ('queued','sending')"),
                 what="the stale notifications out of the queue")
        with fake.lock:          # Zalo is back
            fake.scripts.clear()
        got = wait_for(lambda: [m for m in fake.sent if m["chat_id"] == officer_bot],
                       timeout=30, what="the officer reached after the outage")
        time.sleep(3)
        got = [m for m in fake.sent if m["chat_id"] == officer_bot]
        # one summary, and the confirmation of the OK sent during the outage
        summaries = [m for m in got if "mất liên lạc" in m["text"]]
        others = [m for m in got if "mất liên lạc" not in m["text"]]
        check(len(summaries) == 1, "summaries: %r" % got)
        check(len(others) == 1 and "ghi nhận" in others[0]["text"], "a burst: %r" % got)
        text = summaries[0]["text"]
        for tid in ids[1:]:
            check(tid in text, "%s missing from the summary: %s" % (tid, text))
        check(ids[0] not in text, "an acknowledged tip in the summary: %s" % text)
        check(summary, "summary")
        dropped = h.outbox("o.kind = 'notify' AND o.state = 'failed'")
        check(len(dropped) == 5, "the notifications stay on record: %r" % dropped)
        check(h.tip(ids[0])["escalations"] == [], "an acknowledged tip escalated")
    finally:
        h.stop()
        fake.stop()
