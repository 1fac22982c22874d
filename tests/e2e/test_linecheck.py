"""Checking the line works: `tinbao test` queues a test message that tinbaod
sends (never the command itself) and says when the channel took it;
`tinbao modem status` asks the running daemon on its admin socket."""
import os
import socket

from harness import OFFICERS, Tinbao, check, wait_for
from test_zalo_in import fake_api


def test_modem_status_and_test_message_by_sms():
    h = Tinbao("linecheck")
    h.full_roster()
    an = OFFICERS["duty"][1]
    # tinbaod not running: both say so; nothing is queued
    p = h.cli("modem", "status", expect=1)
    check("tinbaod does not answer" in p.stderr and "running" in p.stderr, p.stderr)
    p = h.cli("test", an, expect=1)
    check("nothing queued" in p.stderr, p.stderr)
    check(h.outbox() == [], "a test was queued with tinbaod down")
    h.cli("test", "+84909999999", expect=1)          # not an officer
    h.cli("test", an, "--channel", "fax", expect=2)
    h.start()
    try:
        wait_for(lambda: h.cli_json("modem", "status")[0]["connected"], what="modem up")
        st = h.cli_json("modem", "status")[0]
        check(st["name"] == "sim1" and st["sim"] and st["model"] and st["last_error"] is None
              and st["connected_since"].endswith("+07:00"), repr(st))
        text = h.cli("modem", "status").stdout
        check("modem sim1: connected since" in text and "SIM " in text and "signal" in text,
              text)
        p = h.cli("test", an)
        check("sent: test message" in p.stdout and "accepted by sim1" in p.stdout, p.stdout)
        sent = wait_for(lambda: [m for m in h.sent() if m["number"] == an], what="the test SMS")
        check("Tin nhan thu" in sent[0]["text"] and "Khong can tra loi" in sent[0]["text"],
              repr(sent[0]))
        rows = h.outbox("o.kind = 'test'")
        check(len(rows) == 1 and rows[0]["state"] == "sent" and rows[0]["tip_id"] is None,
              repr(rows))
        # no Zalo set up: refused before anything is queued
        p = h.cli("test", an, "--channel", "zalo_bot", expect=1)
        check("has no Zalo bot id" in p.stderr, p.stderr)
        # the admin socket: mode 0660, one request a connection, bounded
        sock = h.conf.replace("tinbao.conf", "tinbaod.sock")
        check(oct(os.stat(sock).st_mode & 0o777) == "0o660", "socket mode")
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock)
            s.sendall(b"x" * 200)
            check(b"error" in s.recv(4096), "an overlong request is refused")
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock)
            s.sendall(b"shutdown\n")
            check(b"unknown request" in s.recv(4096), "only known requests")
    finally:
        h.stop()
    check(not os.path.exists(sock), "the socket file is removed on stop")


def test_test_message_on_zalo_reports_sent_failed_or_queued():
    fake = fake_api("5150:linecheck")
    h = Tinbao("linecheck-zalo", http=True, bot_api=fake,
               outbox={"retry_base": "1s", "retry_max": "2s", "max_attempts": "3"})
    name, phone, _ = OFFICERS["duty"]
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", "bot-user-an",
          "--channel", "zalo_bot")
    h.start()
    try:
        p = h.cli("test", phone)                      # the preferred channel: the bot
        check("sent: test message" in p.stdout and "Zalo bot" in p.stdout, p.stdout)
        check([m["chat_id"] for m in fake.sent] == ["bot-user-an"] and
              "Tin nhắn thử" in fake.sent[0]["text"], repr(fake.sent))
        # Zalo refuses for a while: still queued, with the reason, after --wait
        fake.script("/sendMessage", times=2, status=503, raw_body="<html>down</html>")
        p = h.cli("test", phone, "--wait", "1s", expect=1)
        check("still" in p.stdout and "tinbaod keeps trying" in p.stdout, p.stdout)
        wait_for(lambda: len(fake.sent) == 2, what="the queued test sent once Zalo is back")
        # refused every time: failed after max_attempts, then tinbaod sends it by SMS
        fake.script("/sendMessage", times=10, status=503, raw_body="<html>down</html>")
        p = h.cli("test", phone, "--wait", "30s", expect=1)
        check("FAILED" in p.stdout and "3 attempts" in p.stdout and "by SMS instead" in p.stdout,
              p.stdout)
        # SMS, asked for
        p = h.cli("test", phone, "--channel", "sms")
        check("sent" in p.stdout and "by SMS" in p.stdout, p.stdout)
    finally:
        h.stop()
        fake.stop()
