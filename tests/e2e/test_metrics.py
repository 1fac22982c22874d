"""GET /metrics: Prometheus text an administrator scrapes. Counts come from the
database (tips, acks, escalations, queues) and from the process (admission
latency, HTTP answers), and never name a citizen."""
import re

import harness
from harness import OFFICERS, Tinbao, check, citizen, wait_for, zalo_user

LINE = re.compile(r'^([a-z_]+)(\{[a-z_]+="[^"]*"(?:,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+|NaN)$')


SCRAPER = "prometheus-" + "5" * 22          # [http] metrics_token_file


def scrape(h):
    status, text = h.http("GET", "/metrics", headers={"Authorization": "Bearer " + SCRAPER})
    check(status == 200, "GET /metrics: %s %r" % (status, text))
    with harness._lock:
        harness.ARTIFACTS.append(("GET /metrics (%s)" % h.name, text))
    values = {}
    for line in text.splitlines():
        if line.startswith("#"):
            check(re.match(r"^# (HELP|TYPE) [a-z_]+ ", line), "bad comment line %r" % line)
            continue
        m = LINE.match(line)
        check(m, "not Prometheus text: %r" % line)
        values[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return text, values


def test_metrics_count_tips_acks_escalations_queues_and_answers():
    h = Tinbao("metrics", http=True, escalation={"ack_deadline": "2s", "level_deadline": "1h"},
               metrics_token=SCRAPER)
    h.full_roster()
    h.start()
    try:
        sms_from, zalo_from = citizen(), zalo_user()
        h.sms_in(sms_from, "Có trộm xe máy ở chợ Thạch Khôi")
        status, _ = h.post_oa(h.oa_event(zalo_from, "Có đánh nhau ở tổ 3"))
        check(status == 200, "OA webhook %s" % status)
        status, _ = h.post_oa(h.oa_event(zalo_from, "giả mạo"), secret="wrong")
        check(status == 401, "a bad signature answered %s" % status)
        tips = h.wait_tips(2)
        # the level-1 deadline (2 s) passes for both; then one is acknowledged
        wait_for(lambda: len(h.query("SELECT id FROM escalations")) >= 2, what="escalations")
        sms_tip = [t for t in tips if t["channel"] == "sms"][0]
        h.cli("ack", sms_tip["id"], "--officer", OFFICERS["backup"][1])

        text, v = scrape(h)
        check(v.get('tinbao_tips_total{channel="sms"}') == 1, text)
        check(v.get('tinbao_tips_total{channel="zalo_oa"}') == 1, text)
        check(v.get("tinbao_acks_total") == 1, text)
        check(v.get('tinbao_escalations_total{level="2"}') == 2, text)
        # no OA API is configured here: the replies to the Zalo tipster wait
        check(v.get('tinbao_outbox_queued{channel="zalo_oa"}', 0) >= 1, text)
        check(v.get("tinbao_inbound_unprocessed") == 0, text)
        check(v.get('tinbao_modem_up{modem="sim1"}') == 1, text)
        check(v.get("tinbao_database_up") == 1, text)
        # both admissions (SMS and webhook) are in the latency histogram
        check(v.get("tinbao_admission_seconds_count", 0) >= 2, text)
        check(v.get('tinbao_admission_seconds_bucket{le="+Inf"}') ==
              v.get("tinbao_admission_seconds_count"), text)
        check(v.get('tinbao_http_requests_total{status="200"}', 0) >= 1, text)
        check(v.get('tinbao_http_requests_total{status="401"}') == 1, text)
        for secret in (sms_from, zalo_from, sms_from[1:], zalo_from[-9:]):
            check(secret not in text, "a citizen's identity in /metrics")
        # the scrape itself is counted by the next one
        _, v2 = scrape(h)
        check(v2['tinbao_http_requests_total{status="200"}'] >
              v['tinbao_http_requests_total{status="200"}'], "scrape not counted")
        status, _ = h.http("POST", "/metrics", b"", {"Content-Type": "application/json"})
        check(status == 405, "POST /metrics answered %s" % status)
    finally:
        h.stop()
