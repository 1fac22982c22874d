"""The SIM PIN, on gammu's real AT driver and the fake AT modem with a locked
SIM (FAKEMODEM_PIN): the right PIN from [modem NAME] pin_file lets SMS flow;
a wrong one is entered exactly once across reconnects, unplugging and
restarts (three wrong PINs would block the SIM), with the reason on
/healthz and in `tinbao modem status`; a changed file is tried at once."""
import os
import subprocess
import sys

import smslib
from harness import OFFICERS, Tinbao, check, citizen, wait_for

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                    "tools", "fake-at-modem.py")
WRONG = "SIM PIN wrong: not retried until pin_file changes"


def fake_modem(spool, link, pin="1234"):
    os.makedirs(spool, exist_ok=True)
    p = subprocess.Popen([sys.executable, FAKE, "serve", link, spool], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=dict(os.environ, FAKEMODEM_PIN=pin))
    wait_for(lambda: os.path.islink(link), timeout=10, what="fake modem pty")
    return p


def pin_tries(spool):
    try:
        with open(os.path.join(spool, "pin.log")) as f:
            return [line.split()[-1] for line in f if " try " in line]
    except FileNotFoundError:
        return []


def status_asks(spool):
    """How many times gammu asked the SIM for its state (one per connection)."""
    try:
        with open(os.path.join(spool, "modem.log")) as f:
            return sum(1 for line in f if "AT+CPIN?" in line)
    except FileNotFoundError:
        return 0


def at_modem(name, pin):
    h = Tinbao(name, modems={"at1": {"device": "/dev/null", "connection": "at"}}, http=True)
    spool = os.path.join(h.dir, "at")
    link = os.path.join(spool, "ttyFAKE")
    pin_file = os.path.join(h.dir, "sim1.pin")
    with open(pin_file, "w") as f:
        f.write(pin + "\n")
    os.chmod(pin_file, 0o640)
    conf = open(h.conf).read()
    head, tail = conf.split("[modem at1]")
    rest = tail[tail.find("\n["):] if "\n[" in tail else "\n"
    with open(h.conf, "w") as f:
        f.write(head + "[modem at1]\ndevice = %s\nconnection = at\npoll = 2s\nsend_timeout = 15s\n"
                "pin_file = %s\n" % (link, pin_file) + rest)
    return h, spool, link, pin_file


def modem(h):
    return h.cli_json("modem", "status")[0]


def test_sim_pin_right_lets_sms_flow():
    h, spool, link, _ = at_modem("simpin-right", "1234")
    h.full_roster()
    fake = fake_modem(spool, link)
    try:
        h.start()
        wait_for(lambda: modem(h)["connected"], timeout=60, what="connected after the PIN")
        check(pin_tries(spool) == ["right"], repr(pin_tries(spool)))
        check(modem(h)["sim"] == "ready", repr(modem(h)))
        who = citizen()
        smslib.fake_at_inject(spool, who, "Có người lạ đột nhập kho hợp tác xã")
        h.wait_tips(1, timeout=40)
        wait_for(lambda: [m for m in smslib.fake_at_sent(spool) if m["number"] == who],
                 timeout=40, what="the receipt sent through the unlocked SIM")
        status, body = h.http("GET", "/healthz")
        check(body["modems"][0]["sim"] == "ready" and body["modems"][0]["connected"], repr(body))
    finally:
        h.stop()
        fake.kill()


def test_sim_pin_wrong_is_tried_once_until_the_file_changes():
    h, spool, link, pin_file = at_modem("simpin-wrong", "1111")
    h.full_roster()
    fake = fake_modem(spool, link)
    try:
        h.start()
        wait_for(lambda: pin_tries(spool), timeout=60, what="the first PIN try")
        # reconnects keep coming (the modem is down), the PIN is not entered again
        wait_for(lambda: status_asks(spool) >= 3, timeout=90, what="reconnects")
        check(pin_tries(spool) == ["wrong"], repr(pin_tries(spool)))
        st = modem(h)
        check(not st["connected"] and st["sim"] == "PIN wrong" and
              st["last_error"].startswith(WRONG), repr(st))
        status, body = h.http("GET", "/healthz")
        check(body["modems"][0]["last_error"].startswith(WRONG) and
              body["modems"][0]["sim"] == "PIN wrong", repr(body))
        text = h.cli("modem", "status", expect=1).stdout
        check("DOWN" in text and WRONG in text, text)
        # unplugged and plugged back: still not tried
        fake.kill()
        fake.wait()
        asks = status_asks(spool)
        fake = fake_modem(spool, link)
        wait_for(lambda: status_asks(spool) >= asks + 2, timeout=90, what="reconnects after replug")
        check(pin_tries(spool) == ["wrong"], "tried again after a replug: %r" % pin_tries(spool))
        # a restart of tinbaod remembers the refusal (kept in the database)
        h.stop()
        asks = status_asks(spool)
        h.start()
        wait_for(lambda: status_asks(spool) >= asks + 2, timeout=90, what="reconnects after restart")
        check(pin_tries(spool) == ["wrong"], "tried again after a restart: %r" % pin_tries(spool))
        check(WRONG in h.log(), "the reason is not in the log")
        # the desk fixes the file: tried at once, and the modem works
        with open(pin_file, "w") as f:
            f.write("1234\n")
        wait_for(lambda: modem(h)["connected"], timeout=30, what="connected with the new PIN")
        check(pin_tries(spool) == ["wrong", "right"], repr(pin_tries(spool)))
        check(modem(h)["sim"] == "ready" and modem(h)["last_error"] is None, repr(modem(h)))
        p = h.cli("test", OFFICERS["duty"][1])
        check("sent" in p.stdout, p.stdout)
    finally:
        h.stop()
        fake.kill()
