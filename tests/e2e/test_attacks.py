"""A hostile citizen against the real tinbaod (issue 9): each test sends what
an attacker would and looks at what the daemon did with it."""
import json
import os
import sys
import time

from harness import Tinbao, check, wait_for, zalo_user


def fake_api(bot_token="unused"):
    """The local fake of Zalo's APIs (tests/fakes/fake_zalo.py), started."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    from fake_zalo import FakeZalo
    fake = FakeZalo(bot_token)
    fake.start()
    return fake


def oa_media(h, who, msg_id, attachments, text=None, event="user_send_image"):
    """A signed OA event with attachments; its status."""
    ev = {"app_id": "3608465249409039670", "event_name": event,
          "timestamp": str(int(time.time() * 1000)), "sender": {"id": who},
          "recipient": {"id": "3886132808788086450"},
          "message": {"msg_id": msg_id, "attachments": attachments}}
    if text is not None:
        ev["message"]["text"] = text
    body = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()
    return h.post_oa(body)[0]


def bot_photo(who, msg_id, url, chat_type="PRIVATE"):
    return {"event_name": "message.image.received",
            "message": {"message_id": msg_id, "date": int(time.time() * 1000),
                        "from": {"id": who, "is_bot": False},
                        "chat": {"id": who, "chat_type": chat_type},
                        "photo_url": url, "caption": "Ảnh hiện trường"}}


def attachments_settled(h, n):
    def settled():
        rows = h.query("SELECT kind, url, state, error, size FROM attachments ORDER BY id")
        return rows if len(rows) >= n and all(r["state"] != "pending" for r in rows) else None
    return wait_for(settled, timeout=60, what="%d attachments settled" % n)


def test_ssrf_the_citizen_does_not_choose_what_is_fetched():
    """Issue 9.1: a link, plain http, loopback, a user@host or a look-alike
    host in an attachment URL is never fetched; only https from the Zalo CDN
    hosts is."""
    fake = fake_api()
    h = Tinbao("ssrf", http=True, bot_api=fake)
    h.full_roster()
    h.start()
    try:
        who, other = zalo_user(), zalo_user()
        own = "http://127.0.0.1:%d" % h.port
        cdn = fake.base + "/_fake/file/"
        # a link the citizen typed: kept as text, never fetched
        check(oa_media(h, who, "ssrf-link", [{"type": "link", "payload": {
            "url": own + "/healthz", "description": "xem"}}], event="user_send_link") == 200,
            "link event")
        hostile = [
            cdn + "plain-http.jpg",                          # plain http, loopback
            "http://127.0.0.1@example.invalid/x.jpg",        # user@host
            "http://127.0.0.1.example.invalid/x.jpg",        # a look-alike host
            "https://127.0.0.1@example.invalid/x.jpg",       # https, not a Zalo host
            "https://zdn.vn.example.invalid/x.jpg",          # a Zalo name as a label
            "https://evilzdn.vn/x.jpg",                      # a Zalo name as a suffix
            "https://[::1]:%d/x.jpg" % fake.port,            # loopback by address
            "file:///etc/passwd",
        ]
        check(oa_media(h, who, "ssrf-img", [{"type": "image", "payload": {"url": u}}
                                            for u in hostile]) == 200, "image event")
        check(h.post_bot(bot_photo(other, "ssrf-bot", own + "/metrics"))[0] == 200, "bot photo")
        h.wait_tips(2)
        rows = attachments_settled(h, len(hostile) + 1)
        check(all(r["state"] == "failed" for r in rows), "fetched: %r" % rows)
        check(not [r for r in rows if r["url"].endswith("/healthz")],
              "a link was queued for fetching: %r" % rows)
        gets = [r for r in fake.requests if r["method"] == "GET"]
        check(not gets, "the fake CDN was called: %r" % gets)
        tip = [t for t in h.tips() if "xem" in t["text"] or "healthz" in t["text"]][0]
        check("healthz" in tip["text"] and "liên kết" in tip["text"],
              "the link is kept as the citizen's text: %r" % tip["text"])
        for r in rows:
            check(r["error"] and ("not an https link" in r["error"] or
                                  "not a Zalo media link" in r["error"] or
                                  "user name" in r["error"] or "not a URL" in r["error"]),
                  "refused by the policy, before any lookup: %r" % r)
    finally:
        h.stop()
        fake.stop()


def test_ssrf_addresses_after_resolution_and_redirects():
    """Issue 9.1: an allowed host name that resolves to loopback is refused
    when the socket opens; a redirect is checked like the first URL; the
    tests' fake CDN is reached only through [attachments] test_origin."""
    from urllib.parse import quote
    fake = fake_api()
    h = Tinbao("ssrf2", http=True, sections={"attachments": {
        "hosts": "zdn.vn, cdn.localhost", "test_origin": fake.base}})
    h.full_roster()
    h.start()
    try:
        who = zalo_user()
        own = "http://127.0.0.1:%d" % h.port
        urls = [
            "https://media.cdn.localhost/x.jpg",             # allowed name, loopback address
            fake.base + "/_fake/redirect?to=" + quote(own + "/healthz", safe=""),
            fake.base + "/_fake/redirect?to=" + quote(fake.base + "/_fake/file/ok.jpg", safe=""),
            fake.base + "/_fake/file/direct.jpg",
        ]
        check(oa_media(h, who, "ssrf2", [{"type": "image", "payload": {"url": u}}
                                         for u in urls]) == 200, "image event")
        rows = attachments_settled(h, len(urls))
        by = {r["url"]: r for r in rows}
        check(by[urls[0]]["state"] == "failed" and "loopback" in by[urls[0]]["error"],
              repr(by[urls[0]]))
        check(by[urls[1]]["state"] == "failed" and "redirect" in by[urls[1]]["error"],
              repr(by[urls[1]]))
        check(by[urls[2]]["state"] == "fetched" and by[urls[2]]["size"] == 6000, repr(by[urls[2]]))
        check(by[urls[3]]["state"] == "fetched", repr(by[urls[3]]))
        check("TEST ONLY" in h.log(), "the test-only key is announced")
    finally:
        h.stop()
        fake.stop()


def signed_raw(h, body, app_id="3608465249409039670", ts=None):
    """POST raw bytes to /zalo/oa with a signature over them (for bodies that
    are not JSON); its status."""
    import hashlib
    ts = ts if ts is not None else str(int(time.time() * 1000))
    mac = hashlib.sha256(app_id.encode() + body + ts.encode() + b"TestOaSecretKey123").hexdigest()
    return h.http("POST", "/zalo/oa", body, {"Content-Type": "application/json",
                                             "X-ZEvent-Signature": "mac=" + mac})[0]


def test_a_parser_error_logs_no_id_and_no_text():
    """Issue 9.2: a body cut after the sender id, a text with \\u0000, an
    event name holding an id: the log has the error kind and the byte
    offset, never a byte of the body. Each refusal is the first of a fresh
    daemon, so the refusal limiter does not hide it."""
    h = Tinbao("parselog", http=True)
    h.full_roster()
    a, b, c, d = zalo_user(), zalo_user(), zalo_user(), zalo_user()
    full = h.oa_event(a, "Có người bán ma túy ở hẻm 12", msg_id="cut1")
    cut = full[:full.index(a.encode()) + len(a)]              # ... "sender":{"id":"<a>
    nul = h.oa_event(b, "x", msg_id="nul1").replace(
        b'"text":"x"', b'"text":"BIMATNUL\\u0000goi lai"')
    bad_name = h.oa_event(c, "tin", event="user_send_text_" + c)
    bot_cut = json.dumps({"event_name": "message.text.received", "message": {
        "message_id": "bc1", "from": {"id": d}, "chat": {"id": d, "chat_type": "PRIVATE"},
        "text": "Tin báo"}}).encode()
    bot_cut = bot_cut[:bot_cut.index(d.encode()) + len(d)]
    sends = [
        lambda: check(signed_raw(h, cut) == 400, "cut body"),
        lambda: check(h.post_oa(nul)[0] == 200, "a NUL in a text loses no tip"),
        lambda: check(h.post_oa(bad_name, secret="wrong")[0] == 401, "bad signature"),
        lambda: check(h.post_bot(bot_cut)[0] == 400, "cut bot body"),
    ]
    try:
        for send in sends:
            h.start()
            send()
            h.stop()
        log = h.log()
        for who in (a, b, c, d):
            check(who not in log, "a Zalo id in the log:\n" + log[-3000:])
        check("BIMATNUL" not in log and "goi lai" not in log, "tip text in the log")
        check("not JSON (premature end of input) at byte" in log, "the kind and offset logged")
        tips = h.tips()
        check([t["text"] for t in tips] == ["BIMATNUL goi lai"], repr(tips))
    finally:
        h.close()


def test_long_texts_are_kept_whole():
    """Issue 9.4: a bot text over 8,000 bytes, an OA text cut mid-character
    and a 60,000-character follow-up: each is kept whole (the body limit is
    the bound); the officer's notification says how much it did not quote."""
    fake = fake_api("bot-token-long")
    h = Tinbao("longtext", http=True, bot_api=fake)
    h.full_roster()
    h.start()
    try:
        a, b = zalo_user(), zalo_user()
        sirens = "Cháy nhà ở hẻm 5! " + "🚨" * 2000                # 8,000+ bytes
        check(h.post_bot({"event_name": "message.text.received", "message": {
            "message_id": "long-bot", "date": int(time.time() * 1000), "from": {"id": a},
            "chat": {"id": a, "chat_type": "PRIVATE"}, "text": sirens}})[0] == 200, "bot")
        accents = "ồ" * 3000                                       # 9,000 bytes, 3 each
        check(h.post_oa(h.oa_event(b, accents, msg_id="long-oa"))[0] == 200, "OA")
        tips = h.wait_tips(2)
        by = {t["channel"]: t for t in tips}
        check(by["zalo_bot"]["text"] == sirens, "bot text: %r..." % by["zalo_bot"]["text"][:80])
        check(by["zalo_bot"]["urgent"], "the urgent word at its start was lost")
        check(by["zalo_oa"]["text"] == accents, "OA text: %d characters, ends %r" % (
            len(by["zalo_oa"]["text"]), by["zalo_oa"]["text"][-3:]))
        # a 60,000-character follow-up, with the tip's ID in front
        code = by["zalo_oa"]["id"].split("-")[1]
        more = "Thêm chi tiết: " + "x" * 59985
        status, _ = h.post_oa(h.oa_event(b, code + " " + more, msg_id="long-follow"))
        check(status == 200, "follow-up answered %s" % status)

        def followed():
            ms = [m for m in h.tip(by["zalo_oa"]["id"])["messages"] if m["direction"] == "in"]
            return ms if len(ms) == 2 else None
        ms = wait_for(followed, what="the follow-up on the tip")
        check(ms[1]["text"] == more, "follow-up kept: %d of %d characters" % (
            len(ms[1]["text"]), len(more)))
        # the officer's notice quotes a part and says how much is left
        notes = wait_for(lambda: [r["text"] for r in h.to_officer("duty")
                                  if r["kind"] in ("notify", "followup")], what="notifications")
        check(any("đã cắt, còn" in n or "da cat, con" in n for n in notes),
              "no mark of what was not quoted: %r" % [n[:300] for n in notes])
        check(all("\ufffd" not in n for n in notes), "a character cut in two")
    finally:
        h.stop()
        fake.stop()


def test_a_followup_with_parts_missing_is_not_called_complete():
    """Issue 9.4: the citizen is never told more than was kept: a follow-up
    SMS with a part missing is acknowledged as partial."""
    from harness import citizen
    h = Tinbao("partialfollow", gateway={"multipart_timeout": "2s", "followup_window": "1h"})
    h.full_roster()
    h.start()
    try:
        who = citizen()
        h.sms_in(who, "Có người lạ cạy cửa nhà số 7")
        t = h.wait_tips(1)[0]
        h.sms_in(who, "Phần 1 của 2, ", udh="050003220201")
        acks = wait_for(lambda: h.to_citizens("followup_ack"), timeout=30,
                        what="the follow-up's answer")
        check("thiếu" in acks[0]["text"] and "Đã bổ sung vào tin báo %s." % t["id"]
              not in acks[0]["text"], repr(acks[0]["text"]))
    finally:
        h.stop()


def notice_lines(text):
    """The lines of an officer's message that look like its own instructions."""
    import unicodedata
    plain = "".join(c for c in unicodedata.normalize("NFD", text)
                    if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")
    return [l for l in plain.splitlines() if l.lstrip().startswith(("Nhan:", "Noi dung:"))]


def test_a_tip_cannot_forge_lines_in_a_notification():
    """Issue 9.6: a tip whose text holds a line like the notification's own
    ('Nhận: OK <code> trước 01:59.') is quoted as one block: on SMS and in
    the duty group the officer sees one 'Nhận:' line, the real one."""
    from harness import citizen
    fake = fake_api("bot-token-forge")
    h = Tinbao("forge", http=True, bot_api=fake, duty_group="g0000duty",
               gateway={"followup_window": "1h"})
    h.full_roster()
    h.start()
    try:
        who = citizen()
        forged = "Có trộm ở hẻm 9\nNhận: OK 2XTZ22 trước 01:59.\u2028Nội dung: giả\r\nNhận: OK 2XTZ22"
        h.sms_in(who, forged)
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        sms = wait_for(lambda: h.to_officer("duty", "notify"), what="the duty officer's SMS")[0]
        group = wait_for(lambda: [m for m in fake.sent if m["chat_id"] == "g0000duty"],
                         what="the group alert")[0]
        for where, text in (("SMS", sms["text"]), ("group", group["text"])):
            lines = notice_lines(text)
            nhan = [l for l in lines if l.lstrip().startswith("Nhan:")]
            check(len(nhan) == 1 and code in nhan[0] and "2XTZ22" not in nhan[0],
                  "%s: forged lines %r in %r" % (where, lines, text))
            check(len([l for l in lines if l.lstrip().startswith("Noi dung:")]) == 1,
                  "%s: %r" % (where, text))
            check("2XTZ22" in text, "%s: the citizen's text is still quoted" % where)
        # a follow-up is quoted the same way
        h.sms_in(who, "%s thêm\nNhận: OK 2XTZ22 ngay" % code)
        more = wait_for(lambda: h.to_officer("duty", "followup"), what="the follow-up notice")[0]
        check(not [l for l in notice_lines(more["text"]) if "2XTZ22" in l],
              "a forged line in the follow-up notice: %r" % more["text"])
    finally:
        h.stop()
        fake.stop()


def test_only_a_private_chat_is_private():
    """Issue 9.7: a bot message whose chat_type is missing, lower case or
    unknown is a group message: never a tip, never a receipt into that chat;
    an unknown type is logged once."""
    fake = fake_api("bot-token-chat")
    h = Tinbao("chattype", http=True, bot_api=fake)
    h.full_roster()
    h.start()
    try:
        for i, ct in enumerate((None, "private", "CHANNEL", "Private ", "CHANNEL")):
            who, chat = zalo_user(), "grp%04d" % i
            m = {"message_id": "ct%d" % i, "date": int(time.time() * 1000),
                 "from": {"id": who, "is_bot": False}, "chat": {"id": chat},
                 "text": "@Bot có trộm ở hẻm %d" % i}
            if ct is not None:
                m["chat"]["chat_type"] = ct
            check(h.post_bot({"event_name": "message.text.received", "message": m})[0] == 200,
                  "answered")
        wait_for(lambda: len([s for s in fake.sent if s["chat_id"].startswith("grp")]) >= 5,
                 what="the steer answers")
        check(h.tips() == [], "a group message became a tip: %r" % h.tips())
        sent = [s for s in fake.sent if s["chat_id"].startswith("grp")]
        check(all("nhắn riêng" in s["text"] and "TB-" not in s["text"] for s in sent),
              "a receipt went into a group: %r" % sent)
        log = h.log()
        check(log.count("unknown chat_type") == 4 and log.count('"CHANNEL"') == 1,
              "each unknown type logged once:\n" + log)
        # PRIVATE, exactly, is a tip
        who = zalo_user()
        h.post_bot({"event_name": "message.text.received", "message": {
            "message_id": "ct-private", "date": int(time.time() * 1000), "from": {"id": who},
            "chat": {"id": who, "chat_type": "PRIVATE"}, "text": "Có trộm ở hẻm 3"}})
        check(len(h.wait_tips(1)) == 1, "a private message is a tip")
    finally:
        h.stop()
        fake.stop()


def test_an_oa_event_without_a_time_is_refused():
    """Issue 9.8: a signed OA event with "timestamp":"0" or none skipped the
    replay window; it is refused with 401 and nothing is admitted."""
    h = Tinbao("notime", http=True)
    h.full_roster()
    h.start()
    try:
        who = zalo_user()
        zero = h.oa_event(who, "Tin phát lại", msg_id="t0", ts=0)
        check(h.post_oa(zero)[0] == 401, "timestamp 0 accepted")
        ev = json.loads(h.oa_event(who, "Tin không giờ", msg_id="tnone"))
        del ev["timestamp"]
        body = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()
        check(signed_raw(h, body, ts="") == 401, "no timestamp accepted")
        check(not h.query("SELECT id FROM inbound"), "admitted")
        check(h.post_oa(h.oa_event(who, "Tin thật", msg_id="tnow"))[0] == 200, "a real one")
    finally:
        h.stop()


def test_files_are_not_readable_by_others():
    """Issue 9.8: the database and its -wal and -shm are created 0640 by
    tinbao and tinbaod; secret files readable by others are warned about at
    start and by --check-config; a key file readable by others refuses a
    SIGHUP reload as it refuses a start."""
    import signal
    import stat
    import subprocess
    from harness import BUILD
    h = Tinbao("filemodes", http=True)
    try:                                     # (the programs set their own umask)
        h.full_roster()                      # tinbao creates the database
        check(os.stat(h.db).st_mode & 0o777 == 0o640,
              "tinbao made the database %o" % (os.stat(h.db).st_mode & 0o777))
        os.unlink(h.db)
        for f in (h.db + "-wal", h.db + "-shm"):
            if os.path.exists(f):
                os.unlink(f)
        open(os.path.join(h.dir, "oa.secret"), "a").close()
        os.chmod(os.path.join(h.dir, "oa.secret"), 0o644)
        os.chmod(os.path.join(h.dir, "bot.secret"), 0o600)
        chk = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                             capture_output=True, text=True, timeout=30)
        check(chk.returncode == 0, "--check-config: %s" % chk.stderr)
        check("oa.secret" in chk.stderr and "readable by others" in chk.stderr and
              "bot.secret" not in chk.stderr, "--check-config warns: %r" % chk.stderr)
        h.start()                             # tinbaod creates the database, -wal and -shm
        h.full_roster()
        for f in (h.db, h.db + "-wal", h.db + "-shm"):
            mode = os.stat(f).st_mode & 0o777
            check(mode & 0o007 == 0, "%s is mode %o" % (os.path.basename(f), mode))
        check("oa_secret_key_file" in h.log() and "readable by others" in h.log(),
              "no warning at start")
        # a key file readable by others: the reload is refused, the daemon goes on
        os.chmod(h.key, 0o644)
        h.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "SIGHUP" in h.log() and "key file" in h.log().split("SIGHUP", 1)[1],
                 what="the reload refused")
        check("keeping the old configuration" in h.log().split("SIGHUP", 1)[1], h.log()[-2000:])
        check(h.proc.poll() is None, "tinbaod stopped")
        os.chmod(h.key, 0o600)
    finally:
        h.stop()


def raw_status(port, data):
    import socket
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(data)
            return s.recv(200).split(b"\r\n")[0].decode("latin-1")
    except OSError as e:
        return "error %s" % e


def metric(h, token, name):
    import re
    status, text = h.http("GET", "/metrics", headers={"Authorization": "Bearer " + token})
    check(status == 200, "GET /metrics: %s" % status)
    m = re.search(r"^%s (\d+)$" % re.escape(name), text, re.M)
    return int(m.group(1)) if m else 0


def test_every_http_answer_is_counted_and_auth_failures_do_not_flood_the_log():
    """Issue 9.8: admin API and desk answers, and the server's own refusals,
    are in tinbao_http_requests_total; 60 bad tokens write a line or two to
    the log, with a count, not 60."""
    token = "t0k3n-" + "a" * 26
    h = Tinbao("httpcount", http=True, admin_token=token)
    h.full_roster()
    h.start()
    try:
        label = 'tinbao_http_requests_total{status="%s"}'
        before = {s: metric(h, token, label % s) for s in ("200", "401", "404", "414", "431")}
        for _ in range(50):
            check(h.http("GET", "/api/tips", headers={"Authorization": "Bearer wrong"})[0] == 401,
                  "bad token")
        for _ in range(10):
            check(h.http("GET", "/")[0] == 401, "the desk page without a token")
        for _ in range(5):
            check(h.http("GET", "/api/tips", headers={"Authorization": "Bearer " + token})[0]
                  == 200, "good token")
            check(h.http("GET", "/nope")[0] == 404, "not found")
        for _ in range(2):
            check("414" in raw_status(h.port, b"GET /" + b"A" * 100000 + b" HTTP/1.1\r\n\r\n"),
                  "414")
            check("431" in raw_status(h.port, b"GET /healthz HTTP/1.1\r\nX-F: " + b"h" * 200000
                                      + b"\r\n\r\n"), "431")
        after = {s: metric(h, token, label % s) for s in before}
        delta = {s: after[s] - before[s] for s in before}
        check(delta["401"] == 60 and delta["404"] == 5 and delta["200"] >= 5 + 5,
              "counted: %r" % delta)
        check(delta["414"] == 2 and delta["431"] == 2, "the server's own refusals: %r" % delta)
        lines = [l for l in h.log().splitlines() if " api: " in l and "refused" in l]
        check(1 <= len(lines) <= 3, "%d auth-failure lines:\n%s" % (len(lines), "\n".join(lines)))
    finally:
        h.stop()


def test_metrics_are_not_public():
    """Issue 9.8: /metrics shows tip counts, which are not public: it takes
    a bearer token (the scraper's [http] metrics_token_file, or the admin
    token); the scraper's token opens nothing else; without any token
    configured it is not served."""
    admin, scraper = "adm-" + "b" * 28, "prom-" + "c" * 27
    h = Tinbao("metricsauth", http=True, admin_token=admin, metrics_token=scraper)
    h.full_roster()
    h.start()
    try:
        status, _ = h.http("GET", "/metrics")
        check(status == 401, "GET /metrics without a token: %s" % status)
        status, _ = h.http("GET", "/metrics", headers={"Authorization": "Bearer wrong"})
        check(status == 401, "a wrong token: %s" % status)
        for tok in (scraper, admin):
            status, text = h.http("GET", "/metrics", headers={"Authorization": "Bearer " + tok})
            check(status == 200 and "tinbao_tips_total" in text, "with a token: %s" % status)
        status, _ = h.http("GET", "/api/tips", headers={"Authorization": "Bearer " + scraper})
        check(status == 401, "the scraper's token opened the admin API: %s" % status)
        check(h.http("GET", "/healthz")[0] == 200, "/healthz stays open (no counts)")
    finally:
        h.stop()
    bare = Tinbao("metricsoff", http=True)
    bare.start()
    try:
        check(bare.http("GET", "/metrics")[0] == 404, "served with no token configured")
    finally:
        bare.stop()


def test_attachments_are_fetched_only_for_tips():
    """Beyond issue 9: an image from a sender over the tip limit (or muted)
    made no tip, yet the daemon downloaded and kept the file (10 MiB each, no
    tip to hold it, no limit on how many). Now only an attachment of a
    message that became part of a tip is fetched; a group's photo is never
    even queued."""
    fake = fake_api("bot-token-attach")
    h = Tinbao("attachtips", http=True, bot_api=fake,
               sections={"attachments": {"test_origin": fake.base}})
    h.full_roster()
    h.start()
    try:
        who, member = zalo_user(), zalo_user()
        cdn = fake.base + "/_fake/file/"
        check(h.post_bot(bot_photo(who, "tip-photo", cdn + "tip.jpg"))[0] == 200, "tip")
        t = h.wait_tips(1)[0]
        h.cli("sender", "mute", t["id"])          # an abusive sender: kept, no tip
        check(h.post_bot(bot_photo(who, "over-limit", cdn + "over.jpg"))[0] == 200, "2nd")
        group = bot_photo(member, "group-photo", cdn + "group.jpg", chat_type="GROUP")
        group["message"]["chat"]["id"] = "grp-photos"
        check(h.post_bot(group)[0] == 200, "group photo")
        rows = attachments_settled(h, 2)
        by = {r["url"].rsplit("/", 1)[1]: r for r in rows}
        check(by["tip.jpg"]["state"] == "fetched", repr(by["tip.jpg"]))
        check(by["over.jpg"]["state"] == "failed" and "no tip" in by["over.jpg"]["error"],
              repr(by["over.jpg"]))
        check("group.jpg" not in by, "a group's photo was queued: %r" % by)
        gets = [r["path"] for r in fake.requests if r["method"] == "GET"]
        check(gets == ["/_fake/file/tip.jpg"], "the CDN was asked for %r" % gets)
        check(len(h.tips()) == 1, repr(h.tips()))
    finally:
        h.stop()
        fake.stop()
