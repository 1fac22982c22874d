"""gammu's real AT driver against the fake AT modem on a pseudo-terminal:
a multipart tip in, a reply out, the modem unplugged and plugged back."""
import os
import subprocess
import sys
import time

import smslib
from harness import OFFICERS, Tinbao, check, citizen, wait_for

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                    "tools", "fake-at-modem.py")


def fake_modem(spool, link):
    os.makedirs(spool, exist_ok=True)
    p = subprocess.Popen([sys.executable, FAKE, "serve", link, spool], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    wait_for(lambda: os.path.islink(link), timeout=10, what="fake modem pty")
    return p


def test_at_modem_multipart_reply_and_unplug():
    h = Tinbao("atmodem", modems={"at1": {"device": "/dev/null", "connection": "at"}})
    spool = os.path.join(h.dir, "at")
    link = os.path.join(spool, "ttyFAKE")
    # rewrite the modem section for the AT driver
    conf = open(h.conf).read().split("[modem at1]")[0]
    with open(h.conf, "w") as f:
        f.write(conf + "[modem at1]\ndevice = %s\nconnection = at\npoll = 2s\n"
                "send_timeout = 15s\n" % link)
    h.full_roster()
    fake = fake_modem(spool, link)
    try:
        h.start()
        wait_for(lambda: "connected" in h.log(), timeout=30, what="modem connected")
        who = citizen()
        smslib.fake_at_inject(spool, who, "Phần 1: có cháy ở kho hàng đường Hai Bà Trưng, ",
                              part=(0x5A, 2, 1))
        time.sleep(1)
        smslib.fake_at_inject(spool, who, "phần 2: khói rất nhiều.", part=(0x5A, 2, 2))
        t = h.wait_tips(1, timeout=40)[0]
        check(t["text"] == "Phần 1: có cháy ở kho hàng đường Hai Bà Trưng, phần 2: khói rất nhiều.",
              t["text"])
        sent = wait_for(lambda: [m for m in smslib.fake_at_sent(spool)
                                 if m["number"] == who and not m.get("incomplete")],
                        timeout=40, what="the whole receipt sent through AT+CMGS")
        check(t["id"] in sent[0]["text"] and "TT " + t["id"][3:] in sent[0]["text"],
              sent[0]["text"])
        check(sent[0]["coding"].startswith("Unicode"), repr(sent[0]))
        # unplug: the daemon keeps running, queues, reconnects when it is back
        fake.kill()
        fake.wait()
        os.unlink(link)
        wait_for(lambda: "DOWN" in h.log() or "disconnected" in h.log() or "lost" in h.log(),
                 timeout=60, what="modem loss noticed")
        check(h.proc.poll() is None, "tinbaod exited when the modem went away")
        h.cli("ack", t["id"], "--officer", OFFICERS["duty"][1])   # queues the citizen notice
        time.sleep(2)
        fake = fake_modem(spool, link)
        notice = wait_for(lambda: [m for m in smslib.fake_at_sent(spool)
                                   if m["number"] == who and "tiếp nhận xử lý" in m["text"]],
                          timeout=90, what="queued notice sent after the modem came back")
        check(notice, "not sent")
    finally:
        h.stop()
        fake.kill()
