"""Health that tells the truth (issue 11 §3): /healthz is ok, degraded or down
by gateway/health.c's rules, drops what it read from a modem that is gone and
says what happened to it; the desk page shows the same status; a modem left
down past its down_alarm is told to the shift leaders on Zalo, once per
outage (across a restart too), and again when it is back; /metrics has the
new series, every one of them from the start."""
import base64
import http.client
import os
import re
import shutil
import sqlite3
import time

from harness import OFFICERS, Tinbao, check, citizen, wait_for
from test_metrics import SCRAPER, scrape
from test_zalo_in import fake_api

TOKEN = "health-desk-token-0123456789"
LEADER_BOT = "leader-bot-id-7731"


def healthz(h):
    return h.http("GET", "/healthz")


def desk(h):
    auth = "Basic " + base64.b64encode(("trucban:" + TOKEN).encode()).decode()
    con = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    try:
        con.request("GET", "/", headers={"Authorization": auth})
        r = con.getresponse()
        return r.status, r.read().decode("utf-8")
    finally:
        con.close()


def roster(h):
    """Duty and backup by SMS; the shift leader by SMS too, with a Zalo bot id:
    the alarm goes to the channel that is not down."""
    for key in ("duty", "backup", "chief"):
        h.add_officer(key)
    name, phone, level = OFFICERS["leader"]
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", LEADER_BOT,
          "--channel", "sms", "--role", "leader")
    h.cli("shift", "add", "--officer", phone, "--level", "3", "--always")


def to_leader(fake):
    return [m["text"] for m in fake.sent if m.get("chat_id") == LEADER_BOT]


def test_the_only_modem_gone_degrades_health_and_alarms_the_leaders_once():
    fake = fake_api("5151:health")
    h = Tinbao("health", http=True, bot_api=fake, admin_token=TOKEN, metrics_token=SCRAPER,
               modem_extra={"down_alarm": "10s"})
    roster(h)
    dev = h.modems["sim1"]["device"]
    h.start()
    try:
        wait_for(lambda: healthz(h)[1]["modems"][0]["connected"], what="modem connected")
        status, body = healthz(h)
        check(status == 200 and body["status"] == "ok" and body["problems"] == [], repr(body))
        _, page = desk(h)
        check('data-status="ok"' in page and "BÌNH THƯỜNG" in page, "status line on the page")

        shutil.rmtree(dev)
        gone = time.time()
        m = wait_for(lambda: (lambda b: b["modems"][0] if not b["modems"][0]["connected"]
                              else None)(healthz(h)[1]), timeout=15, what="modem down")
        # nothing read while it was up is shown now; the error says what happened
        check(m["signal_percent"] is None and m["network"] is None, repr(m))
        check("device missing" in m["last_error"] and m["fault"] == "device missing", repr(m))
        check("DEVICE" not in m["last_error"], "a gammu code name: %r" % m["last_error"])
        if time.time() - gone < 8:
            check(healthz(h)[1]["status"] == "ok", "degraded before down_alarm")
        body = wait_for(lambda: (lambda b: b if b["status"] == "degraded" else None)(
            healthz(h)[1]), timeout=25, what="degraded after down_alarm")
        check(any(p.startswith("modem sim1 down for") and "device missing" in p
                  for p in body["problems"]), repr(body))
        check(healthz(h)[0] == 200, "degraded is still 200")
        _, page = desk(h)
        line = re.search(r'<p class="health degraded" data-status="degraded">(.*?)</p>', page)
        check(line and "SUY GIẢM" in line.group(1) and "modem sim1" in line.group(1) and
              "không thấy thiết bị" in line.group(1), "the page's status line: %s" % (
                  line.group(0) if line else page[:2000]))
        _, v = scrape(h)
        check(v['tinbao_modem_up{modem="sim1"}'] == 0, "modem_up")
        check(v['tinbao_modem_signal_percent{modem="sim1"}'] != v[
            'tinbao_modem_signal_percent{modem="sim1"}'], "signal while down is NaN")

        # the shift leader is told on Zalo, once
        alarm = wait_for(lambda: [t for t in to_leader(fake) if "mất kết nối" in t],
                         timeout=20, what="the leader told on Zalo")
        check("sim1" in alarm[0] and "không thấy thiết bị" in alarm[0], alarm[0])
        check(not [r for r in h.to_officer("duty") if r["kind"] == "modem_alarm"],
              "the alarm went to a non-leader")
        time.sleep(6)
        check(len([t for t in to_leader(fake) if "mất kết nối" in t]) == 1,
              "told more than once: %r" % to_leader(fake))

        # a restart during the outage tells nobody again
        h.stop()
        h.start()
        wait_for(lambda: h.log().count(" started: ") >= 2, what="tinbaod restarted")
        wait_for(lambda: healthz(h)[1]["status"] == "degraded", timeout=25,
                 what="degraded after the restart")
        time.sleep(6)
        check(len([t for t in to_leader(fake) if "mất kết nối" in t]) == 1,
              "told again after a restart: %r" % to_leader(fake))

        # back: healthy, and the leader is told so, once
        for f in range(1, 6):
            os.makedirs(os.path.join(dev, "sms", str(f)))
        wait_for(lambda: healthz(h)[1]["modems"][0]["connected"], timeout=70,
                 what="reconnected")
        back = wait_for(lambda: [t for t in to_leader(fake) if "hoạt động lại" in t],
                        timeout=20, what="the leader told it is back")
        check("sim1" in back[0], back[0])
        status, body = healthz(h)
        check(status == 200 and body["status"] == "ok", repr(body))
        m = body["modems"][0]
        check(m["last_error"] == "" and m["fault"] == "", repr(m))
        time.sleep(6)
        check(len(to_leader(fake)) == 2, "alarm and all-clear only: %r" % to_leader(fake))
        acts = [e["action"] for e in h.cli_json("audit", "list")]
        check(acts.count("modem.down") == 1 and acts.count("modem.up") == 1, repr(acts))
    finally:
        h.stop()
        fake.stop()


def test_a_message_waiting_too_long_degrades_health():
    h = Tinbao("stuck", http=True)
    h.full_roster()
    h.start()
    try:
        # a Zalo OA reply waits: no OA API is configured here
        status, _ = h.post_oa(h.oa_event("246845881234567890123", "Có trộm ở tổ 3"))
        check(status == 200, "webhook %s" % status)
        wait_for(lambda: h.to_citizens(), what="the reply queued")
        check(healthz(h)[1]["status"] == "ok", "a message just queued is not a problem")
        con = sqlite3.connect(h.db, timeout=30)
        con.execute("UPDATE outbox SET created_at = created_at - 600 WHERE state = 'queued'")
        con.commit()
        con.close()
        status, body = healthz(h)
        check(status == 200 and body["status"] == "degraded", repr(body))
        check(any("waiting to be sent" in p and "zalo_oa" in p for p in body["problems"]),
              repr(body))
        check(body["outbox"]["waiting"] >= 1 and body["outbox"]["oldest_for"] >= 600,
              repr(body))
    finally:
        h.stop()


def test_metrics_new_series_exist_from_the_start():
    h = Tinbao("metrics0", http=True, escalation={"ack_deadline": "1h"}, metrics_token=SCRAPER)
    h.full_roster()
    h.start()
    try:
        text, v = scrape(h)
        for channel in ("sms", "zalo_oa", "zalo_bot"):
            for name in ("tinbao_tips_total", "tinbao_outbox_queued",
                         "tinbao_outbox_failed_total", "tinbao_channel_errors_total"):
                key = '%s{channel="%s"}' % (name, channel)
                check(v.get(key) == 0, "%s missing or not 0 at start:\n%s" % (key, text))
        for level in ("2", "3", "4"):
            check(v.get('tinbao_escalations_total{level="%s"}' % level) == 0, text)
        for name in ("tinbao_tips_open", "tinbao_tips_unstaffed", "tinbao_ack_seconds_count",
                     'tinbao_ack_seconds_bucket{le="+Inf"}', 'tinbao_http_requests_total{status="503"}'):
            check(v.get(name) == 0, "%s at start:\n%s" % (name, text))
        check(v.get('tinbao_build_info{version="0.1.0"}') == 1, text)
        check('tinbao_modem_signal_percent{modem="sim1"}' in v, text)
        h.sms_in(citizen(), "Có người lạ cạy cửa nhà số 9")
        h.sms_in(citizen(), "Có nhóm thanh niên tụ tập gây rối ở công viên")
        tips = h.wait_tips(2)
        time.sleep(2)
        h.cli("ack", tips[0]["id"], "--officer", OFFICERS["duty"][1])
        text, v = scrape(h)
        check(v["tinbao_tips_open"] == 2 and v["tinbao_tips_unstaffed"] == 0, text)
        check(v["tinbao_ack_seconds_count"] == 1 and v["tinbao_ack_seconds_sum"] >= 1 and
              v['tinbao_ack_seconds_bucket{le="60"}'] == 1, text)
        h.cli("shift", "remove", str(h.cli_json("shift", "list")[0]["id"]))
        for s in h.cli_json("shift", "list"):
            h.cli("shift", "remove", str(s["id"]))
        h.sms_in(citizen(), "Nhà tôi bị trộm đột nhập đêm qua")
        wait_for(lambda: scrape(h)[1]["tinbao_tips_unstaffed"] == 1, what="an unstaffed tip")
    finally:
        h.stop()
