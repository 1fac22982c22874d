"""The admin API (/api/..., bearer token) and the duty-desk page (GET /):
authentication, reads that are audit events (and refused with 503 when the
audit trail cannot take them), acknowledgement and close through the API
reaching the citizen like an SMS "OK", HTML escaping of tip text, and no
citizen identity in any response."""
import base64
import http.client
import json
import os
import signal
import subprocess

from harness import (ARTIFACTS, BUILD, OFFICERS, Tinbao, _lock, check, citizen, wait_for,
                     zalo_user)

TOKEN = "desk-token-0123456789abcdef"
DUTY = OFFICERS["duty"][1]
BACKUP = OFFICERS["backup"][1]


def request(h, method, path, token=TOKEN, body=None, basic=None, ctype="application/json"):
    """(status, headers, text) of one request; every answer is kept for the
    identity check."""
    headers = {}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    if basic is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = ctype
    con = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
    try:
        con.request(method, path, body=data, headers=headers)
        r = con.getresponse()
        text = r.read().decode("utf-8")
        hdrs = {k.lower(): v for k, v in r.getheaders()}
    finally:
        con.close()
    with _lock:
        ARTIFACTS.append(("%s %s (%s)" % (method, path, h.name), text))
    return r.status, hdrs, text


def api(h, method, path, want=200, **kw):
    status, hdrs, text = request(h, method, path, **kw)
    check(status == want, "%s %s: %d, wanted %d: %s" % (method, path, status, want, text))
    check(hdrs.get("content-type", "").startswith("application/json"), repr(hdrs))
    return json.loads(text)


def sqlite(h, sql):
    p = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", h.db, sql], capture_output=True,
                       text=True, timeout=30)
    check(p.returncode == 0, "sqlite3 %s: %s" % (sql, p.stderr))


def test_admin_api_disabled_without_token():
    h = Tinbao("apioff", http=True)
    h.start()
    try:
        for path in ("/", "/api/tips", "/api/officers"):
            status, _, text = request(h, "GET", path)
            check(status == 404, "%s without a token file: %d %s" % (path, status, text))
    finally:
        h.stop()


def test_admin_api_tips_ack_audit_and_desk_page():
    h = Tinbao("api", http=True, admin_token=TOKEN,
               escalation={"ack_deadline": "10m", "level_deadline": "5m"})
    h.full_roster()
    h.start()
    numbers = [citizen(), citizen()]
    hostile = 'Có kẻ lạ <script>alert("x")</script> & <b onmouseover=\'y\'>đập</b> xe'
    try:
        h.sms_in(numbers[0], hostile)
        h.sms_in(numbers[1], "Có người nghi buôn bán ma túy ở nhà trọ số 5")
        h.wait_tips(2)
        zalo = zalo_user()
        numbers.append(zalo)
        check(h.post_oa(h.oa_event(zalo, "Có người lạ tụ tập trước cổng trường"))[0] == 200, "OA")
        cli_tips = h.wait_tips(3)
        ids = [t["id"] for t in cli_tips]
        bad_id, good_id, zalo_id = ids

        # --- authentication: none, wrong, wrong scheme, right
        for kw in ({"token": None}, {"token": "wrong-token-0123456789abcdef"},
                   {"token": TOKEN + "x"}, {"token": None, "basic": "desk:" + TOKEN}):
            status, hdrs, text = request(h, "GET", "/api/tips", **kw)
            check(status == 401, "GET /api/tips %r: %d %s" % (kw, status, text))
            check(hdrs.get("www-authenticate", "").startswith("Bearer"), repr(hdrs))
            check(hostile not in text and "script" not in text, "401 shows a tip: " + text)
        status, _, _ = request(h, "GET", "/api/nothing-here", token=None)
        check(status == 401, "unknown path without a token: %d (must not tell it apart)" % status)

        # --- list and show: same tips and fields as tinbao tips --json
        listed = api(h, "GET", "/api/tips")
        check([t["id"] for t in listed] == ids, repr(listed))
        for a, b in zip(listed, cli_tips):
            for k in ("id", "status", "level", "created_at", "acked_at", "acked_by", "channel",
                      "category", "text"):
                check(a[k] == b[k], "%s: API %r, CLI %r" % (k, a[k], b[k]))
            check(set(a["legal"]) == {"pass_on", "notice", "settle"}, repr(a["legal"]))
            check(a["legal"]["pass_on"]["state"] in ("running", "ended") and
                  a["legal"]["pass_on"]["to"] is None, repr(a["legal"]))
        check(listed[0]["text"] == hostile, "text changed: %r" % listed[0]["text"])
        one = api(h, "GET", "/api/tips/" + good_id[3:].lower())
        check(one["id"] == good_id and one["messages"][0]["direction"] == "in", repr(one))
        check(isinstance(one["escalations"], list) and isinstance(one["attachments"], list),
              repr(one))
        check(api(h, "GET", "/api/tips/TB-222222", want=404)["error"], "unknown tip")
        api(h, "GET", "/api/tips/not-an-id", want=404)
        api(h, "GET", "/api/tips?open=maybe", want=400)
        api(h, "DELETE", "/api/tips", want=405)

        # every read is an audit event by "api"
        events = h.cli_json("audit", "list", "--tip", good_id)
        reads = [e for e in events if e["action"] == "tip.read" and e["actor"] == "api"]
        details = [e["detail"] for e in reads]
        check(any(d == "GET /api/tips/" + good_id for d in details), repr(details))
        check(any(d.startswith("GET /api/tips: 3 tips") and good_id in d for d in details),
              repr(details))

        # --- acknowledge through the API: the citizen is told as by SMS "OK"
        r = api(h, "POST", "/api/tips/%s/ack" % good_id, body={"officer": BACKUP})
        check(r["result"] == "acknowledged" and r["id"] == good_id, repr(r))
        shown = h.tip(good_id)
        check(shown["status"] == "acknowledged" and shown["acked_by"] == OFFICERS["backup"][0],
              repr(shown))
        h.wait_sent(lambda m: m["kind"] == "ack_notice" and m["dest_sealed"] is not None,
                    what="the acknowledgement notice sent to the citizen")
        check(len(h.to_citizens("ack_notice")) == 1, repr(h.to_citizens("ack_notice")))
        check(h.to_officer("duty", "stand_down"), "the duty officer was not stood down")
        # one row: the API acted for the officer named
        acks = [(e["actor"], e["officer"]) for e in h.cli_json("audit", "list", "--tip", good_id)
                if e["action"] == "tip.ack"]
        check(acks == [("api", OFFICERS["backup"][0])], repr(acks))
        again = api(h, "POST", "/api/tips/%s/ack" % good_id, body={"officer": BACKUP})
        check(again["result"] == "unchanged", repr(again))

        # refusals
        api(h, "POST", "/api/tips/%s/ack" % bad_id, want=422, body={"officer": "+84911111111"})
        api(h, "POST", "/api/tips/%s/ack" % bad_id, want=400, body={"officer": "abc"})
        api(h, "POST", "/api/tips/%s/ack" % bad_id, want=400, body=b"{not json")
        api(h, "POST", "/api/tips/%s/ack" % bad_id, want=400,
            body={"officer": DUTY, "note": "ghi chú"})
        api(h, "POST", "/api/tips/%s/ack" % bad_id, want=400, body={"officer": DUTY, "x": 1})
        api(h, "POST", "/api/tips/TB-222222/ack", want=404, body={"officer": DUTY})
        api(h, "GET", "/api/tips/%s/ack" % bad_id, want=405)
        status, _, _ = request(h, "POST", "/api/tips/%s/ack" % bad_id,
                               body=json.dumps({"officer": DUTY}).encode(), ctype="text/plain")
        check(status == 415, "form-encoded POST: %d" % status)
        status, _, _ = request(h, "POST", "/api/tips/%s/ack" % bad_id, token=None,
                               basic="x:" + TOKEN, body={"officer": DUTY})
        check(status == 401, "Basic credentials on a POST: %d" % status)
        check(h.tip(bad_id)["status"] == "new", "a refused request changed the tip")

        # close with a note
        r = api(h, "POST", "/api/tips/%s/close" % good_id,
                body={"officer": BACKUP, "note": "Đã xác minh, chuyển đội điều tra"})
        check(r["result"] == "closed", repr(r))
        h.wait_sent(lambda m: m["kind"] == "closed_notice", what="closed notice to the citizen")
        check([t["id"] for t in api(h, "GET", "/api/tips?open=1")] == [bad_id, zalo_id],
              "open list")
        check(api(h, "GET", "/api/tips/" + good_id)["close_note"] ==
              "Đã xác minh, chuyển đội điều tra", "close note")

        # roster
        officers = api(h, "GET", "/api/officers")
        check(sorted(o["phone"] for o in officers) == sorted(v[1] for v in OFFICERS.values()),
              repr(officers))
        shifts = api(h, "GET", "/api/shifts")
        check(len(shifts) == 4 and all(s["always"] for s in shifts), repr(shifts))
        # one shape: the API and `tinbao --json` print the same officers and shifts
        check(all("short_code" in o for o in officers), repr(officers))
        check(officers == h.cli_json("officer", "list"), "officer JSON differs from the CLI's")
        check(shifts == h.cli_json("shift", "list"), "shift JSON differs from the CLI's")

        # --- the duty-desk page: HTTP Basic (the token as password) or bearer
        status, hdrs, text = request(h, "GET", "/", token=None)
        check(status == 401 and hdrs.get("www-authenticate", "").startswith("Basic"),
              "%d %r" % (status, hdrs))
        status, _, _ = request(h, "GET", "/", token=None, basic="desk:wrong-password-000000")
        check(status == 401, "wrong password: %d" % status)
        status, hdrs, page = request(h, "GET", "/", token=None, basic="trucban:" + TOKEN)
        check(status == 200 and hdrs["content-type"] == "text/html; charset=utf-8",
              "%d %r" % (status, hdrs))
        check("default-src 'none'" in hdrs.get("content-security-policy", ""), repr(hdrs))
        check("<script" not in page.lower() and "<b onmouseover" not in page,
              "tip text reached the page as markup:\n" + page)
        check("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b onmouseover=&#39;y"
              "&#39;&gt;đập&lt;/b&gt;" in page, "escaped text missing:\n" + page)
        opened = page[page.index('<table id="open">'):page.index("</table>")]
        check(bad_id in opened and zalo_id in opened and good_id not in opened,
              "open tips only in the open list")
        closed = page[page.index('<table id="closed">'):]
        check(good_id in closed[:closed.index("</table>")], "closed today, below")
        for label in ('content="30"', "Tin báo đang mở", "Chuyển cấp", "Báo nhận",
                      "còn ", "cấp 1", "Phường Thạch Khôi", "Đã đóng hôm nay"):
            check(label in page, "%r not on the page:\n%s" % (label, page))
        status, _, page2 = request(h, "GET", "/")
        check(status == 200 and bad_id in page2, "bearer on the page: %d" % status)
        # the page's reads: actor "desk page", with the name typed at its login
        page_reads = [(e["officer"], e["reads"]) for e in h.cli_json("audit", "list", "--tip",
                                                                      bad_id)
                      if e["actor"] == "desk page" and e["detail"].startswith("GET / ")]
        check(page_reads == [("trucban", 1), (None, 1)], repr(page_reads))

        # --- when the audit trail refuses the read, nothing is shown
        # (a read may be counted into an earlier row: refuse that too)
        sqlite(h, "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN "
                  "SELECT RAISE(ABORT, 'audit refused by the test'); END; "
                  "CREATE TRIGGER refuse_count BEFORE UPDATE OF reads ON audit BEGIN "
                  "SELECT RAISE(ABORT, 'audit refused by the test'); END;")
        try:
            for path in ("/api/tips/" + bad_id, "/api/tips", "/"):
                status, _, text = request(h, "GET", path)
                check(status == 503, "GET %s with the audit refusing: %d" % (path, status))
                check("alert" not in text and bad_id not in text, "shown anyway: " + text)
        finally:
            sqlite(h, "DROP TRIGGER refuse_audit; DROP TRIGGER refuse_count")
        api(h, "GET", "/api/tips/" + bad_id)
        check(h.cli_json("audit", "verify")["intact"], "chain")

        # --- SIGHUP re-reads the token
        new = "second-desk-token-9876543210"
        with open(h.admin_token_file, "w") as f:
            f.write(new + "\n")
        h.proc.send_signal(signal.SIGHUP)

        def new_token_works():
            try:
                return request(h, "GET", "/api/officers", token=new)[0] == 200
            except ConnectionError:          # the listener restarts on SIGHUP
                return False
        wait_for(new_token_works, what="the new token after SIGHUP")
        check(request(h, "GET", "/api/officers")[0] == 401, "the old token still works")
    finally:
        h.stop()
    # the citizens' numbers are in no answer (the identity check also
    # searches every answer kept above)
    with _lock:
        answers = [t for label, t in ARTIFACTS if "(api)" in label]
    for n in numbers:
        for form in ((n, n.lstrip("+"), "0" + n[3:]) if n.startswith("+") else (n,)):
            check(not any(form in t for t in answers), "a citizen number in an API answer")


def test_admin_token_too_short_is_refused():
    h = Tinbao("apishort", http=True, admin_token="short")
    r = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf], capture_output=True,
                       text=True, timeout=30)
    with _lock:
        ARTIFACTS.append(("tinbaod short token", r.stdout + r.stderr))
    check(r.returncode != 0 and "admin_token_file" in r.stdout + r.stderr,
          "a 5-character token was accepted: %d %s %s" % (r.returncode, r.stdout, r.stderr))
    r = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                       capture_output=True, text=True, timeout=30)
    with _lock:
        ARTIFACTS.append(("tinbaod --check-config short token", r.stdout + r.stderr))
    check(r.returncode == 1 and "admin_token_file" in r.stderr,
          "--check-config passed a 5-character token: %d %s %s" % (r.returncode, r.stdout,
                                                                 r.stderr))
