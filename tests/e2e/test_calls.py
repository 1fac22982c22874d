"""Calls that wake people: a tip nobody acknowledges at night rings the
officers' phones after their SMS, on the fake AT modem (which records every
dialled number and hang-up in SPOOL/calls.log).

Every test holds at any time of day: [escalation] call_hours is written
around the current Vietnam time (or away from it), never fixed."""
import os
import re
import subprocess
import sys
import time

import smslib
from harness import OFFICERS, Tinbao, check, citizen, wait_for
from test_metrics import SCRAPER

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                    "tools", "fake-at-modem.py")
VN = 7 * 3600                       # Asia/Ho_Chi_Minh: UTC+7, no daylight saving
LEADER, CHIEF = OFFICERS["leader"][1], OFFICERS["chief"][1]
DUTY, BACKUP = OFFICERS["duty"][1], OFFICERS["backup"][1]
ADMIN = "calls-admin-token-0123456789abcdef"


def hhmm(offset_min):
    """Vietnam's local time offset_min minutes from now, as HH:MM."""
    t = time.gmtime(time.time() + VN + offset_min * 60)
    return "%02d:%02d" % (t.tm_hour, t.tm_min)


def hours_around_now():
    return "%s-%s" % (hhmm(-60), hhmm(60))


def hours_away_from_now():
    return "%s-%s" % (hhmm(120), hhmm(180))


def fake_modem(spool, link, pin=None):
    os.makedirs(spool, exist_ok=True)
    env = dict(os.environ, FAKEMODEM_PIN=pin) if pin else None
    p = subprocess.Popen([sys.executable, FAKE, "serve", link, spool], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=env)
    wait_for(lambda: os.path.islink(link), timeout=10, what="fake modem pty")
    return p


def unplug(fake, link):
    fake.kill()
    fake.wait()
    if os.path.lexists(link):
        os.unlink(link)


def calls(spool):
    """calls.log as (HH:MM:SS, 'dial'|'hangup', number), in order."""
    try:
        with open(os.path.join(spool, "calls.log")) as f:
            return [tuple(line.split()) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def dials(spool, number=None):
    return [c for c in calls(spool) if c[1] == "dial" and (number is None or c[2] == number)]


def at_tinbao(name, escalation, dummy_too=False, http=False, admin_token=None):
    """A tinbao on the fake AT modem "at1" (and the dummy "sim1" before it)."""
    modems = {"sim1": "dummy"} if dummy_too else {}
    modems["at1"] = {"device": "/dev/null", "connection": "at"}
    esc = {"ack_deadline": "3s", "level_deadline": "8s", "repeat": "10m", "call_ring": "3s",
           "call_levels": "3,4"}
    esc.update(escalation)
    h = Tinbao(name, escalation=esc, modems=modems, http=http, admin_token=admin_token,
               metrics_token=SCRAPER if http else None)
    h.spool = os.path.join(h.dir, "at")
    h.link = os.path.join(h.spool, "ttyFAKE")
    conf = open(h.conf).read().replace("device = /dev/null", "device = " + h.link)
    with open(h.conf, "w") as f:
        f.write(conf)
    h.full_roster()
    return h


def start_at(h, pin=None):
    fake = fake_modem(h.spool, h.link, pin)
    h.start()
    wait_for(lambda: "modem at1" in h.log() and "modem connected" in h.log(), timeout=30,
             what="the AT modem connected")
    return fake


def tip_by_sms(h, text):
    smslib.fake_at_inject(h.spool, citizen(), text)
    return h.wait_tips(1, timeout=40)[0]


def voice_rows(h, phone=None):
    rows = h.outbox("o.channel = 'voice'")
    return [r for r in rows if phone is None or r["dest"] == phone]


def log_lines(h, *needles):
    return [line for line in h.log().splitlines() if all(n in line for n in needles)]


def stamp(line):
    """The time of a tinbaod log line, in seconds since midnight (ms)."""
    m = re.match(r"\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d)\.(\d{3}) ", line)
    return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + int(m[4]) / 1000.0


def test_night_escalation_rings_level_3_then_level_4_after_their_sms():
    h = at_tinbao("calls-night", {"call_hours": hours_around_now(), "call_ring": "4s"},
                  http=True, admin_token=ADMIN)
    fake = start_at(h)
    try:
        t = tip_by_sms(h, "Có người lạ cạy cửa nhà số 12 ngõ 5")
        seen_calling = []

        def desk_shows_ringing():
            import base64
            auth = "Basic " + base64.b64encode(("desk:" + ADMIN).encode()).decode()
            st, page = h.http("GET", "/", headers={"Authorization": auth})
            if st == 200 and "đang gọi" in page:
                seen_calling.append(page)
            return len(dials(h.spool)) >= 2 and len(calls(h.spool)) >= 4

        wait_for(desk_shows_ringing, timeout=60, step=0.3, what="both calls placed and hung up")
        got = calls(h.spool)
        check([(c[1], c[2]) for c in got] == [("dial", LEADER), ("hangup", LEADER),
                                            ("dial", CHIEF), ("hangup", CHIEF)],
              "calls.log: %r" % got)
        check(not dials(h.spool, DUTY) and not dials(h.spool, BACKUP), "levels 1-2 rang")
        check(seen_calling and "Lê Văn Cường" in seen_calling[0] + "".join(seen_calling),
              "the desk page never showed the call in progress")
        rows = wait_for(lambda: (lambda r: r if len(r) == 2 and all(x["state"] == "sent"
                                                                   for x in r) else None)(
            voice_rows(h)), timeout=20, what="both calls recorded placed")
        # each call rang call_ring and came after that officer's SMS
        timeline = []
        for row, who in zip(rows, (LEADER, CHIEF)):
            check(row["dest"] == who and row["tip_id"] is not None, repr(row))
            sms = [r for r in h.to_officer("leader" if who == LEADER else "chief", "escalate")]
            check(len(sms) == 1 and sms[0]["state"] == "sent", repr(sms))
            sent = log_lines(h, "escalate message %d to an officer sent via at1" % sms[0]["id"])
            ring = log_lines(h, "call %d: ringing officer" % row["id"])
            hung = log_lines(h, "call %d: rang" % row["id"], "hung up")
            check(sent and ring and hung, "log lines missing for call %d" % row["id"])
            check(stamp(sent[0]) <= stamp(ring[0]), "the call rang before its SMS went")
            rang = stamp(hung[0]) - stamp(ring[0])
            check(3.5 <= rang <= 7.0, "call %d rang %.1fs, wanted about 4s" % (row["id"], rang))
            timeline += [(stamp(sent[0]), "SMS sent to level %d" % (3 if who == LEADER else 4),
                          sent[0]),
                         (stamp(ring[0]), "ring start", ring[0]), (stamp(hung[0]), "hang-up",
                                                                    hung[0])]
        esc = log_lines(h, "escalated from level")
        timeline += [(stamp(e), "escalation", e) for e in esc]
        with open(os.path.join(h.dir, "timeline.txt"), "w") as f:
            for _, what, line in sorted(timeline):
                f.write("%-22s %s\n" % (what, line))
            f.write("\ncalls.log:\n" + "".join(" ".join(c) + "\n" for c in got))
        audit = h.query("SELECT action, detail FROM audit WHERE action LIKE 'call.%'")
        check([a["action"] for a in audit] == ["call.placed", "call.placed"], repr(audit))
        check(all("rang" in a["detail"] and "+849" not in a["detail"] for a in audit),
              repr(audit))
        st, metrics = h.http("GET", "/metrics", headers={"Authorization": "Bearer " + SCRAPER})
        check('tinbao_calls_total{result="placed"} 2' in metrics, metrics[-1500:])
        st, health = h.http("GET", "/healthz")
        check(health["modems"][0]["voice"]["can_call"] is True and
              health["modems"][0]["voice"]["calls"] == 2, repr(health))
        check(t["status"] == "new", repr(t))
    finally:
        h.stop()
        unplug(fake, h.link)


def test_ack_before_the_call_cancels_it_and_an_ack_while_ringing_hangs_up():
    h = at_tinbao("calls-ack", {"call_hours": hours_around_now(), "call_ring": "30s",
                                "ack_deadline": "5s", "level_deadline": "2s"})
    fake = start_at(h)
    try:
        t = tip_by_sms(h, "Nhà bên cạnh có tiếng cãi nhau to")
        # the modem goes away while the tip climbs: its SMS and calls wait
        unplug(fake, h.link)
        wait_for(lambda: voice_rows(h, LEADER), timeout=30, what="the leader's call queued")
        check(not dials(h.spool), repr(calls(h.spool)))
        h.cli("ack", t["id"], "--officer", DUTY)
        row = wait_for(lambda: [r for r in voice_rows(h, LEADER) if r["state"] == "failed"],
                       timeout=10, what="the queued call dropped")[0]
        check("acknowledged" in row["last_error"], repr(row))
        fake = fake_modem(h.spool, h.link)
        wait_for(lambda: h.to_officer("leader", "stand_down") and
                 all(r["state"] == "sent" for r in h.to_officer("leader", "stand_down")),
                 timeout=60, what="the stand-down SMS after the modem came back")
        time.sleep(3)
        check(not dials(h.spool), "a call rang after the acknowledgement: %r" % calls(h.spool))

        # a second tip: the acknowledgement comes while the leader's phone rings
        smslib.fake_at_inject(h.spool, citizen(), "Có xe máy bị trộm trước cửa hàng")
        t2 = wait_for(lambda: [x for x in h.tips() if x["id"] != t["id"]], timeout=40,
                      what="the second tip")[0]
        wait_for(lambda: dials(h.spool, LEADER), timeout=40, what="the leader rung")
        h.cli("ack", t2["id"], "--officer", LEADER)
        wait_for(lambda: [c for c in calls(h.spool) if c[1] == "hangup"], timeout=10,
                 what="the hang-up soon after the acknowledgement (call_ring is 30s)")
        row = wait_for(lambda: [r for r in voice_rows(h, LEADER) if r["state"] == "sent"],
                       timeout=10, what="the call recorded")[0]
        check("acknowledged" in log_lines(h, "call %d: rang" % row["id"])[0], h.log()[-2000:])
        time.sleep(2)
        check(not dials(h.spool, CHIEF), "the chief rang for an acknowledged tip")
    finally:
        h.stop()
        unplug(fake, h.link)


def test_outside_call_hours_no_call():
    h = at_tinbao("calls-day", {"call_hours": hours_away_from_now(), "level_deadline": "3s"})
    fake = start_at(h)
    try:
        tip_by_sms(h, "Có người đánh nhau ở chợ")
        wait_for(lambda: [r for r in h.to_officer("chief", "escalate") if r["state"] == "sent"],
                 timeout=60, what="level 4 told by SMS")
        time.sleep(4)
        check(not calls(h.spool), "rang outside call_hours: %r" % calls(h.spool))
        check(not voice_rows(h), "calls queued outside call_hours")
    finally:
        h.stop()
        unplug(fake, h.link)


def test_urgent_tip_rings_level_1_at_any_hour_with_call_urgent():
    h = at_tinbao("calls-urgent", {"call_hours": hours_away_from_now(), "call_urgent": "yes",
                                   "ack_deadline": "2m"})
    fake = start_at(h)
    try:
        tip_by_sms(h, "Cháy nhà ở hẻm 5 đường Lê Lợi, cần hỗ trợ gấp")
        check(h.query("SELECT urgent FROM tips")[0]["urgent"] == 1, "not urgent")
        wait_for(lambda: len(calls(h.spool)) >= 2, timeout=40, what="level 1 rung and hung up")
        check([(c[1], c[2]) for c in calls(h.spool)] == [("dial", DUTY), ("hangup", DUTY)],
              repr(calls(h.spool)))
        sms = h.to_officer("duty", "notify")
        check(sms and sms[0]["state"] == "sent", repr(sms))
        row = voice_rows(h, DUTY)[0]
        check(sms[0]["sent_at"] <= wait_for(lambda: voice_rows(h, DUTY)[0]["sent_at"],
                                            timeout=10), "the call went before its SMS")
        check(row["kind"] == "call", repr(row))
    finally:
        h.stop()
        unplug(fake, h.link)


def test_crash_between_queueing_and_dialling_neither_loses_nor_rings_twice():
    h = at_tinbao("calls-crash", {"call_hours": hours_around_now(), "call_ring": "20s",
                                  "ack_deadline": "5s", "level_deadline": "2s",
                                  "repeat": "1h"})
    fake = start_at(h)
    try:
        t = tip_by_sms(h, "Có nhóm thanh niên tụ tập gây rối")
        # the modem goes away: the leader's call is queued, never dialled
        unplug(fake, h.link)
        wait_for(lambda: voice_rows(h, LEADER) and voice_rows(h, CHIEF), timeout=40,
                 what="both calls queued")
        check(all(r["state"] == "queued" for r in voice_rows(h)), repr(voice_rows(h)))
        h.kill9()
        fake = fake_modem(h.spool, h.link)
        h.start()
        # dialled once after the restart ...
        wait_for(lambda: dials(h.spool, LEADER), timeout=60, what="the leader rung after restart")
        # ... and the daemon killed again while it rings: never rung twice
        h.kill9()
        check(len(dials(h.spool, LEADER)) == 1, repr(calls(h.spool)))
        row = voice_rows(h, LEADER)[0]
        check(row["state"] == "sending" and row["via"] == "at1", repr(row))
        h.start()
        # the call the crash left ringing is hung up when the modem connects
        wait_for(lambda: ("hangup", LEADER) in [(c[1], c[2]) for c in calls(h.spool)],
                 timeout=30, what="the interrupted call hung up after the restart")
        wait_for(lambda: dials(h.spool, CHIEF), timeout=60, what="the chief rung")
        time.sleep(2)
        check(len(dials(h.spool, LEADER)) == 1, "rang twice: %r" % calls(h.spool))
        row = voice_rows(h, LEADER)[0]
        check(row["state"] == "failed" and "may have rung" in row["last_error"], repr(row))
        instead = wait_for(lambda: [r for r in h.to_officer("leader", "call")
                                    if r["channel"] == "sms" and r["state"] == "sent"],
                           timeout=40, what="the SMS that replaces the interrupted call")
        check("OK " + t["id"][3:] in instead[0]["text"], instead[0]["text"])
        audit = h.query("SELECT action, detail FROM audit WHERE action LIKE 'call.%' "
                        "ORDER BY id")
        check(audit and audit[0]["action"] == "call.failed", repr(audit))
    finally:
        h.close()
        unplug(fake, h.link)


def test_a_modem_that_cannot_call_fails_over_or_becomes_an_sms():
    # the dummy driver alone: calls are not possible, each becomes an extra SMS
    h = Tinbao("calls-dummy", escalation={"ack_deadline": "2s", "level_deadline": "2s",
                                          "call_hours": "", "call_levels": "3"},
               http=True, metrics_token=SCRAPER)
    h.full_roster()
    try:
        h.start()
        wait_for(lambda: "cannot place voice calls" in h.log(), timeout=20,
                 what="the modem saying it cannot call")
        check(h.log().count("cannot place voice calls") == 1, "said more than once")
        st, health = h.http("GET", "/healthz")
        v = health["modems"][0]["voice"]
        check(v["can_call"] is False and "dummy" in v["note"], repr(v))
        p = h.cli("modem", "status")
        check("cannot place calls" in p.stdout and "dummy" in p.stdout, p.stdout)
        h.sms_in(citizen(), "Có trộm ở nhà số 3")
        h.wait_tips(1, timeout=20)
        row = wait_for(lambda: [r for r in voice_rows(h) if r["state"] == "failed"],
                       timeout=40, what="the call recorded not possible")[0]
        check("not possible" in row["last_error"], repr(row))
        sms = wait_for(lambda: [r for r in h.to_officer("leader", "call")
                                if r["channel"] == "sms" and r["state"] == "sent"],
                       timeout=20, what="the extra SMS to the leader")
        check("GOI KHONG DUOC" in sms[0]["text"], sms[0]["text"])
        st, metrics = h.http("GET", "/metrics", headers={"Authorization": "Bearer " + SCRAPER})
        check('tinbao_calls_total{result="not_possible"} 1' in metrics, metrics[-1500:])
        # a test call cannot be made either: said so, and the officer gets an SMS
        p = h.cli("test", CHIEF, "--call", "--wait", "30s", expect=1)
        check("not made" in p.stdout and "not possible" in p.stdout, p.stdout)
        wait_for(lambda: [r for r in h.to_officer("chief", "test_call") if r["state"] == "sent"],
                 timeout=20, what="the SMS that replaces the test call")
    finally:
        h.stop()

    # the dummy and an AT modem: the call fails over to the one that can call,
    # and while it rings the dummy keeps sending SMS
    h = at_tinbao("calls-failover", {"call_hours": "", "call_ring": "8s", "ack_deadline": "1m",
                                     "call_levels": "1"}, dummy_too=True)
    fake = start_at(h)
    try:
        tip_by_sms(h, "Có người say rượu đập phá quán")
        wait_for(lambda: dials(h.spool, DUTY), timeout=40, what="the duty officer rung on at1")
        ring_start = time.time()
        who = citizen()
        h.sms_in(who, "Tin thứ hai trong lúc gọi", modem="sim1")
        receipt = wait_for(lambda: [r for r in h.to_citizens("receipt") if r["state"] == "sent"
                                    and r["via"] == "sim1"], timeout=20,
                           what="a receipt sent by the dummy modem during the ring")
        check(time.time() - ring_start < 8, "the SMS waited for the call to end")
        check(not [c for c in calls(h.spool) if c[1] == "hangup"],
              "the call had ended before the SMS went")
        check(receipt, "no receipt")
        row = wait_for(lambda: [r for r in voice_rows(h, DUTY) if r["state"] == "sent"],
                       timeout=20, what="the call recorded")[0]
        check(row["via"] == "at1", repr(row))
    finally:
        h.stop()
        unplug(fake, h.link)


def test_tinbao_test_call_rings_an_officer_once():
    h = at_tinbao("calls-test", {"call_levels": "", "call_ring": "2s"})
    fake = start_at(h)
    try:
        p = h.cli("test", "0900000004", "--call")
        check("queued test call" in p.stdout and "rang" in p.stdout and "at1" in p.stdout,
              p.stdout)
        check([(c[1], c[2]) for c in calls(h.spool)] == [("dial", CHIEF), ("hangup", CHIEF)],
              repr(calls(h.spool)))
        audit = h.query("SELECT action, detail FROM audit WHERE action LIKE 'call.%'")
        check(len(audit) == 1 and audit[0]["action"] == "call.placed" and
              "test call" in audit[0]["detail"], repr(audit))
        row = voice_rows(h, CHIEF)[0]
        check(row["kind"] == "test_call" and row["state"] == "sent" and row["via"] == "at1",
              repr(row))
        p = h.cli("modem", "status")
        check("1 placed since tinbaod started" in p.stdout, p.stdout)
        p = h.cli("test", "+84909999999", "--call", expect=1)
        check("no officer" in p.stderr, p.stderr)
        h.cli("test", CHIEF, "--call", "--channel", "sms", expect=2)
        p = h.cli("test", "--help")
        check("--call" in p.stdout, p.stdout)
        # tinbaod stopped: nothing is queued, and the command says so
        h.stop()
        p = h.cli("test", CHIEF, "--call", "--wait", "2s", expect=None)
        check(p.returncode != 0 and "nothing queued" in p.stderr, p.stdout + p.stderr)
        check(len(voice_rows(h)) == 1, repr(voice_rows(h)))
    finally:
        h.close()
        unplug(fake, h.link)


def test_a_locked_sim_is_unlocked_once_for_sms_and_calls_alike():
    # the SIM waits for its PIN: the connection enters it from pin_file, and the
    # call then goes through the same connection as the SMS before it
    h = at_tinbao("calls-pin", {"call_levels": "", "call_ring": "2s"})
    pin_file = os.path.join(h.dir, "at1.pin")
    with open(pin_file, "w") as f:
        f.write("1234\n")
    os.chmod(pin_file, 0o640)
    conf = open(h.conf).read().replace("connection = at\n", "connection = at\npin_file = %s\n"
                                       % pin_file)
    with open(h.conf, "w") as f:
        f.write(conf)
    fake = start_at(h, pin="1234")
    try:
        p = h.cli("test", LEADER, "--call")
        check("rang" in p.stdout, p.stdout)
        check([(c[1], c[2]) for c in calls(h.spool)] == [("dial", LEADER), ("hangup", LEADER)],
              repr(calls(h.spool)))
        with open(os.path.join(h.spool, "pin.log")) as f:
            check(f.read().split()[1:] == ["try", "right"], "the PIN was not entered once")
    finally:
        h.stop()
        unplug(fake, h.link)
