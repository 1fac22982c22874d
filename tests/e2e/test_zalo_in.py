"""Tips arriving on Zalo: the OA webhook and the bot webhook of the real
tinbaod, driven over HTTP on loopback the way Zalo drives them."""
import json
import os
import sys
import time

from harness import OFFICERS, Tinbao, check, wait_for, zalo_user


def fake_api(bot_token):
    """The local fake of Zalo's APIs (tests/fakes/fake_zalo.py), started."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    from fake_zalo import FakeZalo
    fake = FakeZalo(bot_token)
    fake.start()
    return fake


def started(name):
    h = Tinbao(name, http=True)
    h.full_roster()
    return h.start()


def inbound(h):
    return h.query("SELECT channel, channel_msg_id, text FROM inbound ORDER BY id")


def test_signed_oa_event_becomes_a_tip_once():
    h = started("oa")
    try:
        who = zalo_user()
        body = h.oa_event(who, "Có người bán ma túy ở hẻm 12", msg_id="96d3cdf3af150460909a")
        status, answer = h.post_oa(body)
        check(status == 200 and answer["ok"] is True, "%s %r" % (status, answer))
        # the 200 came after the commit: the row is there now, not eventually
        check(len(inbound(h)) == 1, repr(inbound(h)))
        t = h.wait_tips(1)[0]
        check(t["channel"] == "zalo_oa" and t["text"] == "Có người bán ma túy ở hẻm 12", repr(t))
        wait_for(lambda: h.to_officer("duty", "notify"), what="duty officer notified")
        check("Zalo OA" in h.to_officer("duty", "notify")[0]["text"], "channel named")
        # Zalo retries: the same msg_id is one message
        status, _ = h.post_oa(body)
        check(status == 200, "retry answered %s" % status)
        check(len(inbound(h)) == 1 and len(h.tips()) == 1, "a retried event was admitted twice")
        # a follow-up from the same Zalo user joins the tip
        h.post_oa(h.oa_event(who, "Thêm: họ đi xe Wave màu đỏ"))
        wait_for(lambda: len([m for m in h.tip(t["id"])["messages"] if m["direction"] == "in"]) == 2,
                 what="follow-up on the same tip")
        # the reply to the citizen waits in the outbox for the Zalo channel
        rows = h.query("SELECT channel FROM outbox WHERE dest_sealed IS NOT NULL")
        check(rows and all(r["channel"] == "zalo_oa" for r in rows), repr(rows))
    finally:
        h.stop()


def test_oa_refusals():
    h = started("oarefuse")
    try:
        who = zalo_user()
        body = h.oa_event(who, "Tin có chữ ký sai")
        check(h.post_oa(body, sign=False)[0] == 401, "missing signature accepted")
        check(h.post_oa(body, secret="wrong")[0] == 401, "wrong signature accepted")
        old = h.oa_event(who, "Tin cũ", ts=int((time.time() - 3600) * 1000))
        check(h.post_oa(old)[0] == 401, "an hour-old event (replay) accepted")
        check(h.post_oa(b"{}", sign=False)[0] == 200, "the URL-save probe must get 200")
        echo = h.oa_event(who, "tin của OA", event="oa_send_text")
        check(h.post_oa(echo)[0] == 200, "echo")
        follow = h.oa_event(who, "", event="follow")
        check(h.post_oa(follow)[0] == 200, "follow")
        # admitted before the 200, recorded when the router takes it
        rec = wait_for(lambda: h.query("SELECT action, detail FROM audit WHERE action = 'follow'"),
                       what="the follow recorded")
        check(len(rec) == 1 and len(rec[0]["detail"]) == 32, "follow recorded by pseudonym: %r"
              % rec)
        check(h.post_oa(b"{not json", sign=False)[0] == 400, "malformed JSON")
        big = h.oa_event(who, "x" * 70000)
        check(h.post_oa(big)[0] == 413, "oversized body")
        check(h.http("GET", "/zalo/oa")[0] == 405, "GET on the webhook")
        check(h.post_oa(body, headers={"Content-Type": "text/plain"})[0] == 415, "content type")
        check(h.http("GET", "/nope")[0] == 404, "unknown path")
        time.sleep(1.5)
        check(inbound(h) == [] and h.tips() == [], "something was admitted: %r" % inbound(h))
    finally:
        h.stop()


def test_chunked_oversize_is_refused():
    import http.client
    h = started("chunked")
    try:
        con = http.client.HTTPConnection("127.0.0.1", h.port, timeout=10)
        con.putrequest("POST", "/zalo/oa")
        con.putheader("Content-Type", "application/json")
        con.putheader("Transfer-Encoding", "chunked")
        con.endheaders()
        chunk = b"x" * 16384
        for _ in range(6):
            con.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        con.send(b"0\r\n\r\n")
        check(con.getresponse().status == 413, "chunked body past the limit")
        con.close()
    finally:
        h.stop()


def test_bot_private_chat_and_group():
    h = started("bot")
    try:
        who = zalo_user()
        update = {"ok": True, "result": {"event_name": "message.text.received", "message": {
            "message_id": "2d758cb5e222177a4e35", "from": {"id": who, "display_name": "Ted",
                                                           "is_bot": False},
            "chat": {"id": who, "chat_type": "PRIVATE"}, "date": int(time.time() * 1000),
            "text": "Tối nào cũng có đánh bạc ở số 5 ngõ 3"}}}
        check(h.post_bot(update, secret=None)[0] == 401, "missing secret accepted")
        check(h.post_bot(update, secret="wrong-secret-xx")[0] == 401, "wrong secret accepted")
        check(h.post_bot({})[0] == 200, "the URL check must get 200")
        status, _ = h.post_bot(update)
        check(status == 200, "private message: %s" % status)
        check(h.post_bot(update)[0] == 200, "retry")
        t = h.wait_tips(1)[0]
        check(t["channel"] == "zalo_bot" and "đánh bạc" in t["text"], repr(t))
        check("Ted" not in json.dumps(h.tip(t["id"]), ensure_ascii=False), "display name stored")
        group = {"event_name": "message.text.received", "message": {
            "message_id": "9c2be0f4a1d3c5b7e9f1", "date": int(time.time()),
            "from": {"id": zalo_user(), "is_bot": False},
            "chat": {"id": "f0e1d2c3b4a5f6e7d8c9", "chat_type": "GROUP"},
            "text": "@Bot CA có trộm ở chợ"}}
        check(h.post_bot(group)[0] == 200, "group message")
        time.sleep(1.5)
        check(len(h.tips()) == 1 and len(inbound(h)) == 1,
              "a group message or a retry became a tip: %r" % inbound(h))
        steer = h.query("SELECT dest, text FROM outbox WHERE kind = 'group_steer'")
        check(len(steer) == 1 and steer[0]["dest"] == "f0e1d2c3b4a5f6e7d8c9", repr(steer))
        check("nhắn riêng" in steer[0]["text"] and "trộm" not in steer[0]["text"],
              "the answer in the group must not repeat the message: %r" % steer[0]["text"])
    finally:
        h.stop()


def test_officer_on_zalo_acknowledges():
    h = Tinbao("oaofficer", http=True)
    officer_uid = "9000000000000000001"     # officers' ids are not secret
    name, phone, _ = OFFICERS["duty"]
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-oa", officer_uid)
    h.cli("shift", "add", "--officer", phone, "--level", "1", "--always")
    h.start()
    try:
        h.post_oa(h.oa_event(zalo_user(), "Có cờ bạc ở tổ 7"))
        t = h.wait_tips(1)[0]
        status, _ = h.post_oa(h.oa_event(officer_uid, "OK " + t["id"]))
        check(status == 200, "officer's reply: %s" % status)
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged on Zalo")
        check(h.tip(t["id"])["acked_by"] == name, "acked by")
        check(len(h.tips()) == 1, "the officer's reply became a tip")
    finally:
        h.stop()


def test_healthz():
    h = started("healthz")
    try:
        status, body = h.http("GET", "/healthz")
        check(status == 200 and body["database"]["writable"] is True, repr(body))
        check(body["status"] == "ok" and body["problems"] == [], repr(body))
        check(body["modems"][0]["name"] == "sim1" and body["modems"][0]["connected"], repr(body))
    finally:
        h.stop()


def bot_message(who, text, message_id):
    return {"event_name": "message.text.received", "message": {
        "message_id": message_id, "from": {"id": who, "is_bot": False},
        "chat": {"id": who, "chat_type": "PRIVATE"}, "date": int(time.time() * 1000),
        "text": text}}


def test_bot_citizen_gets_the_receipt_through_the_bot_api():
    fake = fake_api("12345689:abc-xyz")
    h = Tinbao("botreply", http=True, bot_api=fake)
    h.full_roster()
    h.start()
    try:
        who = zalo_user()
        # the API fails twice (5xx, then a malformed answer), then works
        fake.script("/sendMessage", times=1, status=502, raw_body="<html>Bad Gateway</html>")
        fake.script("/sendMessage", times=1, status=200, raw_body='{"ok":tr')
        check(h.post_bot(bot_message(who, "Có người lạ đột nhập kho", "b1"))[0] == 200, "admit")
        t = h.wait_tips(1)[0]
        wait_for(lambda: fake.sent, timeout=30, what="the receipt through the fake bot API")
        time.sleep(1.5)
        check(len(fake.sent) == 1, "delivered %d times" % len(fake.sent))
        msg = fake.sent[0]
        check(msg["chat_id"] == who and t["id"] in msg["text"], repr(msg))
        check("TT " + t["id"][3:] in msg["text"], "receipt says how to ask the status")
        row = h.query("SELECT state, attempts, via FROM outbox WHERE kind = 'receipt'")[0]
        check(row["state"] == "sent" and row["attempts"] == 3 and row["via"] == "zalo_bot",
              repr(row))
        # a token the API refuses pauses the channel: the next reply is not lost
        fake.script("/sendMessage", times=1, status=401,
                    body={"ok": False, "error_code": 401, "description": "Unauthorized"})
        h.post_bot(bot_message(who, "TT " + t["id"], "b2"))
        wait_for(lambda: "token was refused" in h.log(), what="401 noticed")
        row = h.query("SELECT state FROM outbox WHERE kind = 'status'")[0]
        check(row["state"] == "queued", "a 401 must keep the message: %r" % row)
        check("12345689:abc-xyz" not in h.log(), "the bot token reached the log")
    finally:
        h.stop()
        fake.stop()


def test_oa_replies_and_a_single_token_refresh():
    fake = fake_api("unused-bot-token")
    h = Tinbao("oareply", http=True, oa_api=fake)
    h.full_roster()
    h.start()
    try:
        who = zalo_user()
        h.post_oa(h.oa_event(who, "Có người bán ma túy ở hẻm 12"))
        t = h.wait_tips(1)[0]
        sent = wait_for(lambda: fake.oa_sent, timeout=30, what="the receipt through the OA API")
        check(sent[0]["recipient"]["user_id"] == who and t["id"] in sent[0]["message"]["text"],
              repr(sent[0]))
        check(fake.refreshes == 1, "refreshes at start: %d" % fake.refreshes)
        health = wait_for(lambda: (lambda b: b if b["zalo"].get("oa", {}).get("state") == "ok"
                                   else None)(h.http("GET", "/healthz")[1]),
                          what="/healthz shows the OA token")
        check(health["zalo"]["oa"]["token_valid_until"] > time.time() + 20 * 3600, repr(health))
        # the access token dies while many replies are due: one refresh, all delivered
        fake_expire = fake.access_token
        with fake.lock:
            fake.access_token = "expired"
        import concurrent.futures
        users = [zalo_user() for _ in range(50)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=25) as pool:
            codes = list(pool.map(lambda iu: h.post_oa(h.oa_event(
                iu[1], "Tin số %d: có cờ bạc" % iu[0]))[0], enumerate(users)))
        check(codes == [200] * 50, "50 concurrent webhooks: %r" % set(codes))
        wait_for(lambda: len(fake.oa_sent) >= 51, timeout=90, what="50 more receipts")
        time.sleep(1)
        check(fake.refreshes == 2, "one refresh for the expired token, got %d" %
              (fake.refreshes - 1))
        check(len(fake.oa_sent) == 51, "each receipt once: %d" % len(fake.oa_sent))
        check(sorted(m["recipient"]["user_id"] for m in fake.oa_sent[1:]) == sorted(users),
              "every citizen got exactly their receipt")
        check(fake_expire not in h.log() and fake.access_token not in h.log(),
              "a token reached the log")
        # the pair in the database is sealed: the raw file holds no token
        raw = open(h.db, "rb").read() + (open(h.db + "-wal", "rb").read()
                                         if os.path.exists(h.db + "-wal") else b"")
        check(fake.refresh_token.encode() not in raw and fake.access_token.encode() not in raw,
              "a token stored in clear")
        # a refused refresh token: OA replies wait, and a new seed resumes them
        with fake.lock:
            fake.access_token = "expired-again"
            fake.refresh_token = "revoked-elsewhere"
        h.post_oa(h.oa_event(zalo_user(), "Tin sau khi token hết hạn"))
        wait_for(lambda: "authorised again" in h.log() or "authorized again" in h.log()
                 or "re-authorise" in h.log(), timeout=30, what="re-authorisation asked for")
        check(len(fake.oa_sent) == 51, "sent without a token")
        wait_for(lambda: h.http("GET", "/healthz")[1]["zalo"]["oa"]["state"] ==
                 "re-authorisation needed", what="/healthz shows the OA needs re-authorising")
        status, body = h.http("GET", "/healthz")
        check(status == 200 and body["status"] == "degraded" and
              any("re-authorisation" in p for p in body["problems"]), repr(body))
        h.cli("zalo-oa", "token", "--refresh", "revoked-elsewhere")
        wait_for(lambda: len(fake.oa_sent) >= 52, timeout=60, what="sent after the re-seed")
    finally:
        h.stop()
        fake.stop()


def test_officer_on_the_bot_with_sms_fallback():
    fake = fake_api("777:bot-token")
    h = Tinbao("fallback", http=True, bot_api=fake, outbox={"fallback_after": "3s"})
    name, phone, _ = OFFICERS["duty"]
    officer_bot_id = "b0000000000000000001"             # officers' ids are not secret
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", officer_bot_id,
          "--channel", "zalo_bot")
    h.cli("shift", "add", "--officer", phone, "--level", "1", "--always")
    h.start()
    try:
        from harness import citizen
        h.sms_in(citizen(), "Có người lạ cạy cửa nhà số 3")
        t = h.wait_tips(1)[0]
        got = wait_for(lambda: [m for m in fake.sent if m["chat_id"] == officer_bot_id],
                       timeout=20, what="the officer notified on the bot")
        check(t["id"] in got[0]["text"] and "TIN BÁO MỚI" in got[0]["text"],
              "Zalo keeps the diacritics: %r" % got[0]["text"])
        # now the bot API is down for good: the next notification falls back to SMS
        fake.script("/sendMessage", times=1000, status=503, raw_body="down")
        h.sms_in(citizen(), "Có tụ tập đánh bạc ở bãi xe")
        t2 = wait_for(lambda: [x for x in h.tips() if x["id"] != t["id"]], what="second tip")[0]
        sms = wait_for(lambda: [m for m in h.sent() if m["number"] == phone and
                                t2["id"] in m["text"]], timeout=30,
                       what="the officer's notification by SMS after the fallback window")
        check(sms[0]["coding"].startswith("Default"), "SMS to officers is GSM-7")
        row = h.query("SELECT state, last_error FROM outbox WHERE channel = 'zalo_bot' "
                      "AND tip_id = (SELECT id FROM tips WHERE code = ?)", t2["id"][3:])
        check(row and row[0]["state"] == "failed" and "SMS" in row[0]["last_error"], repr(row))
    finally:
        h.stop()
        fake.stop()


def test_duty_group_alert_and_acknowledgement_in_the_group():
    fake = fake_api("555:duty-bot")
    h = Tinbao("dutygroup", http=True, bot_api=fake, duty_group="g0000duty")
    name, phone, _ = OFFICERS["duty"]
    officer_bot_id = "b0000000000000000007"             # officers' ids are not secret
    h.cli("officer", "add", "--name", name, "--phone", phone, "--zalo-bot", officer_bot_id)
    h.cli("shift", "add", "--officer", phone, "--level", "1", "--always")
    h.start()
    try:
        from harness import citizen
        who = citizen()
        h.sms_in(who, "Có người bán ma túy ở hẻm 12 [@all]")
        t = h.wait_tips(1)[0]
        alert = wait_for(lambda: [m for m in fake.sent if m["chat_id"] == "g0000duty"],
                         timeout=20, what="the new tip announced in the duty group")
        check(t["id"] in alert[0]["text"] and "ma túy" in alert[0]["text"], alert[0]["text"])
        check("[@" not in alert[0]["text"], "a mention slipped into the group")
        check(who not in alert[0]["text"] and who[3:] not in alert[0]["text"], "sender named")
        update = {"event_name": "message.text.received", "message": {
            "message_id": "grp-ack-1", "date": int(time.time() * 1000),
            "from": {"id": officer_bot_id, "is_bot": False},
            "chat": {"id": "g0000duty", "chat_type": "GROUP"},
            "text": "@Bot CA Thạch Khôi OK " + t["id"][3:]}}
        check(h.post_bot(update)[0] == 200, "officer's group reply")
        wait_for(lambda: h.tip(t["id"])["status"] == "acknowledged", what="acknowledged in group")
        check(h.tip(t["id"])["acked_by"] == name, "acked by the officer")
        check(len(h.tips()) == 1, "the officer's group message became a tip")
    finally:
        h.stop()
        fake.stop()


def test_bot_api_down_then_up_delivers_everything_once():
    fake = fake_api("999:outage")
    h = Tinbao("outage", http=True, bot_api=fake, outbox={"max_attempts": "20"})
    h.full_roster()
    h.start()
    try:
        fake.script("/sendMessage", times=40, status=503, raw_body="<html>down</html>")
        users = [zalo_user() for _ in range(15)]
        for i, u in enumerate(users):
            check(h.post_bot(bot_message(u, "Tin %d khi Zalo hỏng" % i, "out-%d" % i))[0] == 200,
                  "admitted while Zalo is down")
        wait_for(lambda: len(fake.sent) >= 15, timeout=90, what="all delivered after recovery")
        time.sleep(2)
        check(len(fake.sent) == 15, "delivered %d times for 15 messages" % len(fake.sent))
        check(sorted(m["chat_id"] for m in fake.sent) == sorted(users), "each citizen once")
        failed = [r for r in fake.requests if "/sendMessage" in r["path"]]
        check(len(failed) >= 40, "the outage was really hit: %d calls" % len(failed))
    finally:
        h.stop()
        fake.stop()


def test_oa_attachments_are_fetched_and_kept():
    fake = fake_api("unused")
    # the fake CDN is plain http on loopback: reached through the test-only key
    h = Tinbao("attach", http=True, sections={"attachments": {"test_origin": fake.base}})
    h.full_roster()
    h.start()
    try:
        who = zalo_user()
        ts = str(int(time.time() * 1000))
        ev = {"app_id": "3608465249409039670", "event_name": "user_send_image", "timestamp": ts,
              "sender": {"id": who}, "recipient": {"id": "3886132808788086450"},
              "message": {"msg_id": "img-1", "text": "Biển số xe của bọn trộm", "attachments": [
                  {"type": "image", "payload": {"url": fake.base + "/_fake/file/bien-so.jpg"}},
                  {"type": "file", "payload": {"url": fake.base + "/_fake/file/big"}},
                  {"type": "image", "payload": {"url": "ftp://example.invalid/x.jpg"}}]}}
        body = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()
        check(h.post_oa(body)[0] == 200, "image event")
        t = h.wait_tips(1)[0]
        def settled():
            a = h.tip(t["id"])["attachments"]
            return a if len(a) == 3 and all(x["state"] != "pending" for x in a) else None
        a = wait_for(settled, timeout=60, what="attachments fetched or refused")
        check(a[0]["state"] == "fetched" and a[0]["size"] == 6000 and
              a[0]["content_type"] == "image/jpeg", repr(a[0]))
        check(a[1]["state"] == "failed" and "limit" in a[1]["error"], repr(a[1]))
        check(a[2]["state"] == "failed" and "https" in a[2]["error"], repr(a[2]))
        check("Biển số xe" in t["text"], t["text"])
    finally:
        h.stop()
        fake.stop()


def test_oa_rate_limit_and_closed_window():
    fake = fake_api("unused")
    h = Tinbao("oafaults", http=True, oa_api=fake)
    h.full_roster()
    h.start()
    try:
        a, b = zalo_user(), zalo_user()
        # the citizen wrote more than 7 days ago as far as Zalo knows: -230, no retry
        fake.script("/v3.0/oa/message/cs", times=1, status=200,
                    body={"error": -230, "message": "User has not interacted in 7 days"})
        h.post_oa(h.oa_event(a, "Tin thứ nhất"))
        wait_for(lambda: h.query("SELECT state FROM outbox WHERE state = 'failed'"),
                 timeout=30, what="the unreachable citizen's receipt failed")
        row = h.query("SELECT attempts, last_error FROM outbox WHERE state = 'failed'")[0]
        check(row["attempts"] == 1 and "no longer reachable" in row["last_error"], repr(row))
        # rate limited twice: backs off, then delivers once
        fake.script("/v3.0/oa/message/cs", times=2, status=200,
                    body={"error": -32, "message": "API call limit reached"})
        h.post_oa(h.oa_event(b, "Tin thứ hai"))
        wait_for(lambda: [m for m in fake.oa_sent if m["recipient"]["user_id"] == b],
                 timeout=40, what="delivered after the rate limit")
        calls = [r for r in fake.requests if r["path"] == "/v3.0/oa/message/cs"]
        check(len(calls) == 4, "calls: %d (1 window + 2 limited + 1 sent)" % len(calls))
        gap = calls[3]["time"] - calls[2]["time"]
        check(gap >= 4, "no back-off after the rate limit: %.1fs" % gap)
    finally:
        h.stop()
        fake.stop()


def test_healthz_503_when_the_database_is_locked():
    import sqlite3
    h = started("locked")
    try:
        con = sqlite3.connect(h.db, timeout=1, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")
        try:
            status, body = h.http("GET", "/healthz")
        finally:
            con.execute("ROLLBACK")
            con.close()
        check(status == 503 and body["database"]["writable"] is False and
              body["status"] == "down", "%s %r" % (status, body))
        check(h.http("GET", "/healthz")[0] == 200, "healthy again once the lock is gone")
    finally:
        h.stop()


def test_listen_on_a_unix_socket():
    import socket
    h = Tinbao("unixsock", http=True)
    sock = os.path.join(h.dir, "tinbao.sock")
    conf = open(h.conf).read().replace("listen = 127.0.0.1:%d" % h.port, "listen = " + sock)
    with open(h.conf, "w") as f:
        f.write(conf)
    h.start()
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(sock)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        check(data.startswith(b"HTTP/1.1 200") and b'"writable":true' in data, data[:200])
    finally:
        h.stop()
