"""The modem disappears and returns: gammu's dummy device directory is removed
(as the kernel removes /dev/ttyUSB0 when a USB modem is pulled) and restored.
Zalo keeps working meanwhile, /healthz shows the modem down, the daemon
reconnects with back-off and then sends, once each, the SMS that queued."""
import os
import shutil
import time

from harness import OFFICERS, Tinbao, check, wait_for, zalo_user
from test_zalo_in import bot_message, fake_api


def modem_state(h):
    return h.http("GET", "/healthz")[1]["modems"][0]


def test_dummy_modem_removed_and_restored():
    fake = fake_api("4242:modem-fault")
    h = Tinbao("modemgone", http=True, bot_api=fake)
    h.full_roster()
    dev = h.modems["sim1"]["device"]
    h.start()
    try:
        wait_for(lambda: modem_state(h)["connected"], what="modem connected")
        shutil.rmtree(dev)
        gone = time.time()
        st = wait_for(lambda: (lambda s: s if not s["connected"] else None)(modem_state(h)),
                      timeout=15, what="/healthz shows the modem down")
        print("  modem loss noticed after %.1fs" % (time.time() - gone))
        check(st["down_since"] > 0 and st["next_connect"] > 0 and "device missing" in st["last_error"],
              repr(st))
        check("modem lost" in h.log(), "the loss is logged")
        # Zalo keeps working: a tip is admitted, answered and sent to officers' queue
        who = zalo_user()
        check(h.post_bot(bot_message(who, "Có trộm vào nhà số 5 khi modem hỏng", "mf1"))[0] == 200,
              "webhook admitted while the modem is away")
        t = h.wait_tips(1)[0]
        wait_for(lambda: [m for m in fake.sent if m["chat_id"] == who], timeout=20,
                 what="the Zalo receipt while the modem is away")
        notify = wait_for(lambda: h.to_officer("duty", "notify"), what="officer SMS queued")
        # (not acknowledged: a request to acknowledge an acknowledged tip is
        # dropped by the stale-flood guard, and this one must wait and go)
        time.sleep(3)
        queued = h.outbox("o.channel = 'sms'")
        check(queued and all(r["state"] == "queued" for r in queued),
              "nothing leaves while the modem is away: %r" % [(r["kind"], r["state"])
                                                               for r in queued])
        check(not modem_state(h)["connected"], "still down")
        # the modem comes back
        for f in range(1, 6):
            os.makedirs(os.path.join(dev, "sms", str(f)))
        back = time.time()
        wait_for(lambda: modem_state(h)["connected"], timeout=70, what="reconnected")
        print("  reconnected %.1fs after the device returned (down %.1fs)" % (
            time.time() - back, back - gone))
        st = modem_state(h)
        check(st["reconnects"] >= 1 and st["down_since"] == 0 and st["last_error"] == "",
              repr(st))
        wait_for(lambda: all(r["state"] == "sent" for r in h.outbox("o.channel = 'sms'")),
                 timeout=30, what="the queued SMS sent after the return")
        time.sleep(2)
        rows = h.outbox("o.channel = 'sms'")
        sent = h.sent()
        for r in rows:
            same = [m for m in sent if m["number"] == r["dest"] and m["text"] == r["text"]]
            check(len(same) == 1, "%s to %s delivered %d times" % (r["kind"], r["dest"],
                                                                  len(same)))
        check(len(sent) == len(rows), "%d SMS sent for %d rows" % (len(sent), len(rows)))
        check(notify[0]["id"] in [r["id"] for r in rows], "the officer's notice went by SMS")
    finally:
        h.stop()
        fake.stop()


def test_serial_modem_hangs_up_and_returns():
    """gammu's AT driver over the fake modem on a pty: the far end hangs up
    (the pty closes, its link goes) and comes back on the same path."""
    import tempfile
    import smslib
    from test_atmodem import fake_modem
    spool = tempfile.mkdtemp(prefix="tinbao-atspool-")
    link = os.path.join(spool, "ttyFAKE")
    fake = fake_api("4343:serial-fault")
    h = Tinbao("serialgone", http=True, bot_api=fake,
               modems={"at1": {"device": link, "connection": "at"}})
    h.full_roster()
    modem = fake_modem(spool, link)
    h.start()
    try:
        wait_for(lambda: modem_state(h)["connected"], timeout=30, what="AT modem connected")
        # the modem stops answering first, so that the daemon is blocked in an
        # AT exchange when the port goes away (gammu alone would wait out its
        # retries for half a minute and more)
        import signal
        modem.send_signal(signal.SIGSTOP)
        time.sleep(2.5)
        os.unlink(link)
        gone = time.time()
        modem.kill()
        modem.wait()
        st = wait_for(lambda: (lambda s: s if not s["connected"] else None)(modem_state(h)),
                      timeout=10, what="/healthz shows the AT modem down")
        print("  hang-up noticed after %.1fs (%s)" % (time.time() - gone, st["last_error"]))
        who = zalo_user()
        check(h.post_bot(bot_message(who, "Có cháy ở chợ khi modem mất", "sf1"))[0] == 200,
              "webhook admitted while the modem is away")
        t = h.wait_tips(1)[0]
        wait_for(lambda: [m for m in fake.sent if m["chat_id"] == who], timeout=20,
                 what="the Zalo receipt while the modem is away")
        wait_for(lambda: h.to_officer("duty", "notify"), what="officer SMS queued")
        time.sleep(2)
        check(all(r["state"] == "queued" for r in h.outbox("o.channel = 'sms'")),
              "nothing leaves while the modem is away")
        modem = fake_modem(spool, link)
        back = time.time()
        wait_for(lambda: modem_state(h)["connected"], timeout=70, what="reconnected")
        print("  AT modem reconnected %.1fs after it returned (down %.1fs)" % (
            time.time() - back, back - gone))
        wait_for(lambda: all(r["state"] == "sent" for r in h.outbox("o.channel = 'sms'")),
                 timeout=60, what="the queued SMS sent after the return")
        time.sleep(2)
        sent = [m for m in smslib.fake_at_sent(spool) if not m.get("incomplete")]
        rows = h.outbox("o.channel = 'sms'")
        check(len(sent) == len(rows), "%d SMS sent for %d rows" % (len(sent), len(rows)))
        notify = [m for m in sent if m["number"] == OFFICERS["duty"][1] and t["id"] in m["text"]]
        check(len(notify) == 1, "the officer's notice once: %d" % len(notify))
    finally:
        h.stop()
        modem.kill()
        fake.stop()
        shutil.rmtree(spool, ignore_errors=True)


def test_sms_the_modem_had_at_a_crash_is_not_sent_twice():
    """tinbaod is killed while the modem holds an SMS (the modem is slow to
    answer AT+CMGS): after the restart the row is closed "outcome unknown"
    and the SMS is not sent again; it went once, when the modem resumed."""
    import signal
    import tempfile
    import smslib
    from test_atmodem import fake_modem
    spool = tempfile.mkdtemp(prefix="tinbao-atspool-")
    link = os.path.join(spool, "ttyFAKE")
    # a long poll: once connected the modem thread only sends, so the stopped
    # modem catches it in AT+CMGS rather than in an inbox poll
    h = Tinbao("smshanded", http=True, poll="60s",
               modems={"at1": {"device": link, "connection": "at"}})
    h.full_roster()
    modem = fake_modem(spool, link)
    h.start()
    try:
        wait_for(lambda: modem_state(h)["connected"], timeout=30, what="AT modem connected")
        time.sleep(3)                              # the first poll and status read done
        modem.send_signal(signal.SIGSTOP)
        check(h.post_bot(bot_message(zalo_user(), "Có trộm xe máy ở hẻm 7", "hd1"))[0] == 200,
              "admitted")
        row = wait_for(lambda: h.query("SELECT id FROM outbox WHERE channel = 'sms' AND "
                                       "state = 'sending' AND via IS NOT NULL"),
                       timeout=20, what="an SMS handed to the modem")[0]
        h.kill9()
        modem.send_signal(signal.SIGCONT)          # the modem sends what it was given
        h.start()
        wait_for(lambda: h.log().count(" started: ") >= 2, what="tinbaod restarted")
        wait_for(lambda: modem_state(h)["connected"], timeout=30, what="reconnected")
        r = h.query("SELECT state, last_error FROM outbox WHERE id = ?", row["id"])[0]
        check(r["state"] == "failed" and "outcome unknown" in r["last_error"], repr(r))
        check("closed as outcome unknown" in h.log(), "the recovery is logged")
        time.sleep(4)
        phone = OFFICERS["duty"][1]
        sent = [m for m in smslib.fake_at_sent(spool) if m["number"] == phone]
        check(len(sent) <= 1, "the SMS the modem had went %d times" % len(sent))
    finally:
        h.close()
        modem.kill()
        shutil.rmtree(spool, ignore_errors=True)
