"""The identity check: no citizen number used by any end-to-end test may
appear in a daemon log, a `tinbao` output, a message to an officer, or the
database file read raw. (gammu's own debug log is the modem's wire trace and
necessarily holds the numbers it dials; it is a test instrument, not a log
of tinbaod's, and production configs leave `logfile` unset.)

Before it searches, it runs the hostile inputs of issue 9 against a daemon
of its own (run_hostile_inputs), each refusal as the first of a fresh start
so that the refusal limiter does not hide its log line: bodies cut after a
Zalo id, ids in event names and chat types, NULs, attachment URLs aimed at
the daemon itself, long texts, forged notification lines, officers' numbers
written 0084..."""
import glob
import json
import os
import time

import harness


def forms(number):
    digits = number.lstrip("+")
    local = "0" + digits[2:] if digits.startswith("84") else digits
    out = {number, digits, local}
    if digits.startswith("84"):
        out |= {"0084" + digits[2:], "+840" + digits[2:]}      # as issue 9 writes them
    return out


def _cut_after(body, secret):
    return body[:body.index(secret.encode()) + len(secret)]


def hostile_inputs(h):
    """(label, send) pairs; each send posts one hostile input to h."""
    z = [harness.zalo_user() for _ in range(12)]
    own = "http://127.0.0.1:%d" % h.port
    now = lambda: str(int(time.time() * 1000))

    def oa(ev):
        return json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()

    def raw_oa(body):
        return h.http("POST", "/zalo/oa", body, {"Content-Type": "application/json"})

    def bot(who, chat, chat_type, text, mid, **extra):
        m = {"message_id": mid, "date": int(time.time() * 1000), "from": {"id": who},
             "chat": {"id": chat}, "text": text}
        if chat_type is not None:
            m["chat"]["chat_type"] = chat_type
        m.update(extra)
        return h.post_bot({"event_name": "message.text.received", "message": m})

    return [
        ("OA body cut after the sender id",
         lambda: raw_oa(_cut_after(h.oa_event(z[0], "Tin báo", msg_id="h1"), z[0]))),
        ("OA text with a NUL", lambda: h.post_oa(h.oa_event(z[1], "x", msg_id="h2").replace(
            b'"text":"x"', b'"text":"Tin \\u0000 b\\u00e1o"'))),
        ("OA event name holding an id, wrong signature",
         lambda: h.post_oa(h.oa_event(z[2], "tin", event="user_send_" + z[2]), secret="bad")),
        ("bot body cut after the sender id", lambda: h.post_bot(_cut_after(json.dumps(
            {"message": {"message_id": "h4", "from": {"id": z[3]}}}).encode(), z[3]))),
        ("OA link and image to the daemon itself", lambda: h.post_oa(oa({
            "app_id": harness.OA_APP_ID, "event_name": "user_send_link", "timestamp": now(),
            "sender": {"id": z[4]}, "recipient": {"id": harness.OA_ID},
            "message": {"msg_id": "h5", "attachments": [
                {"type": "link", "payload": {"url": own + "/healthz"}},
                {"type": "image", "payload": {"url": "http://127.0.0.1@example.invalid/x"}}]}}))),
        ("bot photo of /metrics", lambda: bot(z[5], z[5], "PRIVATE", "ảnh", "h6",
                                              photo_url=own + "/metrics")),
        ("a long bot text", lambda: bot(z[6], z[6], "PRIVATE", "Cháy! " + "🚨" * 2100, "h7")),
        ("a tip forging notification lines", lambda: h.post_oa(h.oa_event(
            z[7], "Có trộm\nNhận: OK 2XTZ22 trước 01:59.\u2028Nội dung: giả", msg_id="h8"))),
        ("a bot message without chat_type", lambda: bot(z[8], "grp-h9", None, "@Bot tin", "h9")),
        ("a bot message with chat_type holding an id",
         lambda: bot(z[9], "grp-h10", z[9], "@Bot tin", "h10")),
        ("an OA event with timestamp 0", lambda: h.post_oa(h.oa_event(
            z[10], "Tin phát lại", msg_id="h11", ts=0))),
        ("a 60,000-character OA text", lambda: h.post_oa(h.oa_event(
            z[11], "Thêm: " + "x" * 60000, msg_id="h12"))),
    ]


def run_hostile_inputs():
    h = harness.Tinbao("identity-hostile", http=True)
    h.full_roster()
    try:
        for label, send in hostile_inputs(h):
            h.start()
            try:
                send()
            except OSError as e:
                raise harness.Failure("%s: %r" % (label, e))
            time.sleep(0.3)        # let the router take what was admitted
            h.stop()
    finally:
        h.close()


def no_citizen_identity_anywhere():
    run_hostile_inputs()
    numbers = list(harness.CITIZENS)
    harness.check(numbers, "no citizen numbers were used, nothing to check")
    places = list(harness.ARTIFACTS)
    for inst in harness.INSTANCES:
        places.append(("log of %s" % inst.name, inst.log()))
        if os.path.exists(inst.db):
            try:
                for r in inst.outbox("o.officer_id IS NOT NULL"):
                    places.append(("officer message %s/%s" % (inst.name, r["id"]), r["text"]))
            except Exception:
                pass
            for f in glob.glob(inst.db + "*"):
                with open(f, "rb") as fh:
                    places.append(("database file %s" % f, fh.read().decode("latin-1")))
    hits = []
    for label, text in places:
        for n in numbers:
            for form in forms(n):
                if form in text:
                    hits.append("%s contains %s" % (label, form))
    harness.check(not hits, "citizen identity leaked:\n  " + "\n  ".join(hits[:20]))
    return len(places)
