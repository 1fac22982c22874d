"""Zalo down and Zalo slow, with short timeouts instead of an hour of wall time.

What tinbao promises (README, "Zalo outages"):
  * a call that surely did not reach Zalo (connection refused, an HTTP error
    or rate-limit answer) is retried with back-off: the message is delivered
    once when Zalo is back (at least once, and never twice, since Zalo
    refused the earlier tries);
  * a call that went out and got no complete answer in [zalo_*] timeout is
    NOT resent on Zalo (Zalo has no idempotency key: it may have delivered
    it): at most once. The row is closed 'failed' with "outcome unknown";
    an officer's message goes by SMS instead.
"""
import time

from harness import OFFICERS, Tinbao, check, wait_for, zalo_user
from test_zalo_in import bot_message, fake_api

TIMEOUTS = {"timeout": "2s", "connect_timeout": "1s"}


def test_zalo_outage_loses_nothing_and_sends_nothing_twice():
    fake = fake_api("5150:outage-hour")
    h = Tinbao("zoutage", http=True, bot_api=fake, zalo_extra=TIMEOUTS,
               outbox={"retry_base": "1s", "retry_max": "2s", "max_attempts": "40"})
    h.full_roster()
    port = fake.port
    h.start()
    try:
        # Zalo unreachable: connection refused
        fake.stop()
        users = [zalo_user() for _ in range(8)]
        for i, u in enumerate(users[:4]):
            check(h.post_bot(bot_message(u, "Tin %d lúc Zalo mất kết nối" % i, "o-%d" % i))[0]
                  == 200, "admitted while Zalo is unreachable")
        wait_for(lambda: all(r["attempts"] >= 2 for r in h.outbox("o.channel = 'zalo_bot'")),
                 timeout=20, what="retries while Zalo is unreachable")
        # Zalo answers again, but with errors and rate limits for a while
        fake.start(port)
        fake.script("/sendMessage", times=12, status=503, raw_body="<html>down</html>")
        fake.script("/sendMessage", times=6, status=429,
                    body={"ok": False, "error_code": 429, "description": "Too Many Requests"})
        fake.script("/sendMessage", times=6, status=500,
                    body={"ok": False, "error_code": 500, "description": "Internal"})
        for i, u in enumerate(users[4:], 4):
            check(h.post_bot(bot_message(u, "Tin %d lúc Zalo lỗi" % i, "o-%d" % i))[0] == 200,
                  "admitted while Zalo answers errors")
        wait_for(lambda: len(fake.sent) >= len(users), timeout=60,
                 what="every receipt delivered after the outage")
        time.sleep(3)
        check(sorted(m["chat_id"] for m in fake.sent) == sorted(users),
              "each citizen exactly once: %d sent for %d" % (len(fake.sent), len(users)))
        rows = h.outbox("o.channel = 'zalo_bot'")
        check(all(r["state"] == "sent" for r in rows), repr([r["state"] for r in rows]))
        tries = [r for r in fake.requests if "/sendMessage" in r["path"]]
        print("  %d receipts delivered once after %d refused calls and %d connection "
              "failures" % (len(users), len(tries) - len(users),
                            sum(r["attempts"] for r in rows) - len(tries)))
        check(len(tries) >= len(users) + 24, "the scripted failures were hit: %d" % len(tries))
    finally:
        h.stop()
        fake.stop()


def test_zalo_slower_than_the_timeout_is_not_resent():
    fake = fake_api("6160:slow")
    h = Tinbao("zslow", http=True, bot_api=fake, zalo_extra=TIMEOUTS,
               outbox={"retry_base": "1s", "retry_max": "2s", "fallback_after": "60s"})
    name, phone, _ = OFFICERS["duty"]
    officer_bot = "b0000000000000000007"
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", officer_bot,
          "--channel", "zalo_bot")
    h.cli("shift", "add", "--officer", phone, "--level", "1", "--always")
    h.start()
    try:
        # slow but within the timeout: delivered, once
        a, b, c = zalo_user(), zalo_user(), zalo_user()
        fake.script("/sendMessage", times=2, delay_ms=1000, process=True)
        h.post_bot(bot_message(a, "Tin khi Zalo chậm một giây", "s-1"))
        wait_for(lambda: len(h.outbox("o.state = 'sent'")) >= 2, timeout=20,
                 what="receipt and notice sent despite a slow answer")
        # slower than the timeout, and Zalo delivers anyway: not resent
        fake.script("/sendMessage", times=2, delay_ms=3500, process=True)
        h.post_bot(bot_message(b, "Tin khi Zalo chậm hơn thời hạn", "s-2"))
        tb = wait_for(lambda: [t for t in h.tips() if "chậm hơn" in t["text"]], what="tip")[0]
        # slower than the timeout, and Zalo drops it: not resent either (at most once)
        time.sleep(4)
        fake.script("/sendMessage", times=2, delay_ms=3500, status=504, raw_body="timeout")
        h.post_bot(bot_message(c, "Tin khi Zalo treo", "s-3"))
        tc = wait_for(lambda: [t for t in h.tips() if "treo" in t["text"]], what="tip")[0]
        wait_for(lambda: len(h.outbox("o.state = 'failed'")) >= 4, timeout=30,
                 what="the four timed-out messages settled")
        time.sleep(4)            # > retry_max: a resend would have happened by now
        to = lambda who: [m for m in fake.sent if m["chat_id"] == who]
        check(len(to(a)) == 1, "slow answer: %d receipts" % len(to(a)))
        check(len(to(b)) == 1, "processed but timed out: resent (%d)" % len(to(b)))
        check(len(to(c)) == 0, "dropped by Zalo: %d" % len(to(c)))
        failed = h.outbox("o.state = 'failed'")
        check(len(failed) == 4 and all("outcome unknown" in r["last_error"] for r in failed),
              repr([(r["kind"], r["last_error"]) for r in failed]))
        # the officer's timed-out notices went by SMS, once each
        for tid in (tb["id"], tc["id"]):
            on_bot = [m for m in fake.sent if m["chat_id"] == officer_bot and tid in m["text"]]
            by_sms = [m for m in h.sent() if m["number"] == phone and tid in m["text"]]
            wait_for(lambda: [m for m in h.sent() if m["number"] == phone and tid in m["text"]],
                     timeout=20, what="the officer's notice by SMS")
            by_sms = [m for m in h.sent() if m["number"] == phone and tid in m["text"]]
            check(len(by_sms) == 1 and len(on_bot) <= 1, "%s: %d on the bot, %d by SMS" % (
                tid, len(on_bot), len(by_sms)))
        calls = [r for r in fake.requests if "/sendMessage" in r["path"]]
        check(len(calls) == 6, "6 calls for 6 messages, got %d" % len(calls))
        check("outcome unknown" in h.http("GET", "/healthz")[1]["zalo"]["last_error"],
              "/healthz names the last Zalo trouble")
    finally:
        h.stop()
        fake.stop()
