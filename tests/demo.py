#!/usr/bin/env python3
"""make demo — a tip's whole path, told in plain words, in the order it
happened, on the ward's clock.

Builds a throw-away installation (SQLite file, key, gammu dummy modem, a
roster of four officers, 20-second deadlines, the HTTP side on a free
loopback port with a desk-page token, and a local fake of Zalo's Official
Account API), starts the real tinbaod and plays a scene: a citizen texts a
tip, gets a tracking ID, the duty officer ignores it, it escalates, the
backup officer acknowledges by SMS, the desk page shows it, the citizen asks
for the status, the officer asks the tipster through the relay, a second tip
comes in on Zalo, the first is closed. Then it keeps running so you can text
more, open the desk page or ask /healthz.

Every line is stamped with the ward's time ([gateway] timezone, the time the
messages themselves say), and a step's consequences (the messages tinbaod
sent, escalations) are printed, in the order they happened, before the next
step begins.
"""
import argparse
import base64
import datetime
import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "e2e"))
sys.path.insert(0, os.path.join(HERE, "fakes"))
import smslib  # noqa: E402
from fake_zalo import FakeZalo  # noqa: E402

WARD = "Phường Thạch Khôi"
ZONE = "Asia/Ho_Chi_Minh"
CLOCK = zoneinfo.ZoneInfo(ZONE)
ROSTER = [("Nguyễn Văn An", "+84900000001", 1, "duty officer (trực ban)"),
          ("Trần Thị Bình", "+84900000002", 2, "backup (trực dự bị)"),
          ("Lê Văn Cường", "+84900000003", 3, "shift leader (chỉ huy ca)"),
          ("Phạm Văn Dũng", "+84900000004", 4, "station chief (trưởng công an)")]
ROLE = {phone: "%s, level %d" % (name, level) for name, phone, level, _ in ROSTER}
CITIZEN = "+84987654321"
ZALO_CITIZEN = "2468458835291979001"      # a Zalo user id (the fake's user)
OA_APP_ID = "3608465249409039670"
OA_ID = "3886132808788086450"
OA_SECRET = "DemoOaSecretKey123"
CHANNEL = {"sms": "SMS", "zalo_oa": "Zalo OA", "zalo_bot": "Zalo bot"}


def stamp(t):
    return datetime.datetime.fromtimestamp(t, CLOCK).strftime("%H:%M:%S")


WIDTH = 100


def say(t, *lines):
    """Lines stamped with the ward's time t; long ones wrap under themselves."""
    out = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out += textwrap.wrap(line, WIDTH - 11, subsequent_indent=indent + "  ",
                             break_on_hyphens=False) or [""]
    for i, line in enumerate(out):
        print(("[%s] " % stamp(t) if i == 0 else " " * 11) + line, flush=True)


def free_port():
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


class Demo:
    def __init__(self, build):
        self.build = build
        self.dir = tempfile.mkdtemp(prefix="tinbao-demo-")
        self.dev = os.path.join(self.dir, "modem")
        for f in range(1, 6):
            os.makedirs(os.path.join(self.dev, "sms", str(f)))
        self.conf = os.path.join(self.dir, "tinbao.conf")
        self.db = os.path.join(self.dir, "tinbao.db")
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.zalo = FakeZalo("demo-bot-token", app_id=OA_APP_ID, refresh="demo-refresh-0")
        self.zalo.start()
        self.seen_out = 0          # last outbox id printed
        self.seen_esc = 0          # last escalation id printed
        self.daemon = None
        files = {"admin.token": self.token, "oa.secret": OA_SECRET,
                 "app.secret": self.zalo.app_secret, "refresh.token": self.zalo.refresh_token}
        for name, value in files.items():
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(value + "\n")
            os.chmod(os.path.join(self.dir, name), 0o600)
        with open(self.conf, "w") as f:
            f.write("""[gateway]
database = {d}/tinbao.db
key_file = {d}/secret.key
ward = {ward}
timezone = {zone}
admin_socket = {d}/tinbaod.sock

[escalation]
ack_deadline = 20s
level_deadline = 20s
repeat = 60s
call_levels =               ; the dummy modem places no calls

[http]
listen = 127.0.0.1:{port}
admin_token_file = {d}/admin.token

[zalo_oa]
app_id = {app}
oa_id = {oa}
oa_secret_key_file = {d}/oa.secret
app_secret_key_file = {d}/app.secret
refresh_token_file = {d}/refresh.token
api_base = {fake}
oauth_base = {fake}

[modem demo]
device = {dev}
connection = none
model = dummy
logfile = {d}/gammu.log
logformat = textall
poll = 1s
""".format(d=self.dir, dev=self.dev, ward=WARD, zone=ZONE, port=self.port, app=OA_APP_ID,
           oa=OA_ID, fake=self.zalo.base))

    # ----------------------------------------------------------- programs
    def tinbao(self, *a):
        return subprocess.run([os.path.join(self.build, "tinbao"), "-c", self.conf] + list(a),
                              capture_output=True, text=True, check=True).stdout

    def start(self):
        self.log = open(os.path.join(self.dir, "tinbaod.log"), "w")
        self.daemon = subprocess.Popen([os.path.join(self.build, "tinbaod"), "-c", self.conf],
                                       stdout=self.log, stderr=subprocess.STDOUT)
        end = time.time() + 20
        while time.time() < end and " started: database" not in self.logtext():
            if self.daemon.poll() is not None:
                break
            time.sleep(0.2)
        if self.daemon.poll() is not None or " started: database" not in self.logtext():
            print(self.logtext())
            sys.exit("tinbaod did not start")

    def logtext(self):
        with open(os.path.join(self.dir, "tinbaod.log"), errors="replace") as f:
            return f.read()

    def stop(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(timeout=30)
        self.zalo.stop()

    def http(self, method, path, body=None, headers=None):
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            con.request(method, path, body=body, headers=headers or {})
            r = con.getresponse()
            return r.status, r.read().decode("utf-8", "replace")
        finally:
            con.close()

    # ------------------------------------------------------------ the world
    def query(self, sql, *args):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=5)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def sms(self, sender, text):
        """A text reaches the modem now; returns the time it was sent."""
        t = time.time()
        smslib.write_dummy_sms(self.dev, sender, text)
        return t

    def oa_message(self, text):
        """The fake Zalo delivers a citizen's OA message to tinbaod's webhook,
        signed as Zalo signs it; returns (time, HTTP status)."""
        t = time.time()
        ev = {"app_id": OA_APP_ID, "user_id_by_app": "5521772797175877300",
              "event_name": "user_send_text", "timestamp": str(int(t * 1000)),
              "sender": {"id": ZALO_CITIZEN}, "recipient": {"id": OA_ID},
              "message": {"msg_id": "demo%x" % int(t * 1000), "text": text}}
        body = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()
        mac = hashlib.sha256(OA_APP_ID.encode() + body + ev["timestamp"].encode() +
                             OA_SECRET.encode()).hexdigest()
        status, _ = self.http("POST", "/zalo/oa", body, {
            "Content-Type": "application/json", "X-ZEvent-Signature": "mac=" + mac})
        return t, status

    def events(self):
        """What tinbaod did since the last call, in the order it happened:
        (time, lines) of every message it sent and every escalation."""
        out = []
        for oid, dest, officer, channel, kind, text, at in self.query(
                "SELECT o.id, o.dest, f.phone, o.channel, o.kind, o.text, o.sent_at "
                "FROM outbox o LEFT JOIN officers f ON f.id = o.officer_id "
                "WHERE o.state = 'sent' AND o.id > ? ORDER BY o.id", self.seen_out):
            self.seen_out = max(self.seen_out, oid)
            who = ROLE.get(officer or dest, officer or dest) if (officer or dest) else "citizen"
            head = "tinbaod → %s, by %s [%s]:" % (who, CHANNEL.get(channel, channel), kind)
            out.append((at, oid, [head] + ["  " + ln for ln in text.split("\n")]))
        for eid, code, frm, to, reason, at in self.query(
                "SELECT e.id, t.code, e.from_level, e.to_level, e.reason, e.at FROM escalations e "
                "JOIN tips t ON t.id = e.tip_id WHERE e.id > ? ORDER BY e.id", self.seen_esc):
            self.seen_esc = max(self.seen_esc, eid)
            what = ("level %d notified again" % to if frm == to else
                    "escalated from level %d to level %d" % (frm, to))
            out.append((at, -1, ["tinbaod: TB-%s %s (%s)" % (code, what, reason)]))
        out.sort(key=lambda e: (e[0], e[1]))
        return out

    def busy(self):
        """Something admitted is not routed yet, or a message is due to go."""
        now = int(time.time())
        return self.query(
            "SELECT (SELECT count(*) FROM inbound WHERE processed_at IS NULL) + "
            "(SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending') "
            "AND next_attempt <= ?)", now + 2)[0][0] > 0

    def settle(self, until=None, timeout=40):
        """Wait for a step's consequences: until (a predicate on the new
        events) holds and nothing is left to route or send; then print them
        all, in order. Returns the events."""
        got, end, calm = [], time.time() + timeout, 0
        while time.time() < end:
            got += self.events()
            if self.daemon.poll() is not None:
                sys.exit("tinbaod stopped: see %s/tinbaod.log" % self.dir)
            done = until is None or until(got)
            calm = calm + 1 if done and not self.busy() else 0
            if calm >= 4:
                break
            time.sleep(0.3)
        got += self.events()
        for at, _, lines in sorted(got, key=lambda e: (e[0], e[1])):
            say(at, *lines)
        return got


def kinds(*want):
    return lambda got: all(any(("[%s]" % k) in lines[0] for _, _, lines in got) for k in want)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--scene-only", action="store_true", help="stop after the scene")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.environ.setdefault("TINBAO_LOCALEDIR", os.path.join(build, "locale"))
    d = Demo(build)
    now = datetime.datetime.now(CLOCK)
    print("tinbao demo — %s. Every time below is the ward's clock (%s, UTC%s),\n"
          "the time the messages themselves give. Everything lives in %s.\n"
          % (WARD, ZONE, now.strftime("%z")[:3], d.dir))
    d.tinbao("key", "init")
    for name, phone, level, role in ROSTER:
        d.tinbao("officer", "add", "--name", name, "--phone", phone)
        d.tinbao("shift", "add", "--officer", phone, "--level", str(level), "--always")
    say(time.time(), "Roster: 4 officers on duty, one per level. Deadlines are 20 seconds for "
        "the demo.", *["level %d: %s, %s, %s" % (lv, n, p, r) for n, p, lv, r in ROSTER])
    d.start()
    base = "http://127.0.0.1:%d" % d.port
    say(time.time(), "tinbaod started (log: %s/tinbaod.log): SMS on a gammu dummy modem; the "
        "Zalo OA webhook, the desk page and /healthz at %s; Zalo's API faked at %s." % (
            d.dir, base, d.zalo.base))
    status, body = d.http("GET", "/healthz")
    h = json.loads(body)
    say(time.time(), "GET %s/healthz → %d: database %s, modem %s %s, Zalo OA: %s" % (
        base, status, "writable" if h["database"]["writable"] else "NOT writable",
        h["modems"][0]["name"], "connected" if h["modems"][0]["connected"] else "down",
        h["zalo"]["oa"]["state"]))

    # 1. an SMS tip, its receipt, the duty officer's notification
    text = "Có người bán ma túy ở hẻm 12 đường Lê Lợi, tối nào cũng có người ra vào."
    say(d.sms(CITIZEN, text), "A citizen texts the tip line:", "  " + text,
        "(The number is sealed on arrival: officers, logs and the desk never see it.)")
    d.settle(kinds("receipt", "notify"))
    tid = json.loads(d.tinbao("tips", "--json"))[0]["id"]
    code = tid[3:]
    say(time.time(), "Tip %s waits for the duty officer, %s. He does not answer..." %
        (tid, ROSTER[0][0]))

    # 2. nobody answers within 20 seconds: level 2
    d.settle(kinds("escalate"), timeout=60)

    # 3. the backup officer takes it by SMS
    reply = "OK " + code
    say(d.sms(ROSTER[1][1], reply), "The backup officer, %s, replies by SMS: %s" %
        (ROSTER[1][0], reply))
    d.settle(kinds("confirm", "ack_notice"))

    # 4. the desk page, as the duty desk sees it
    auth = base64.b64encode(("Lê Văn Cường:" + d.token).encode()).decode()
    status, page = d.http("GET", "/", headers={"Authorization": "Basic " + auth})
    sub = re.search(r"<h2>(Tin báo đang mở[^<]*)</h2>", page)
    share = re.search(r'<div class="share[^"]*" id="share">(.*?)</div>', page)
    owner = re.search(r"Đã nhận: ([^<]+)<", page)
    say(time.time(), "The duty desk opens the desk page: %s/ (user name: the officer's name, "
        "for the audit trail; password: %s) → HTTP %d:" % (base, d.token, status),
        "  \"%s\"; %s: \"Đã nhận: %s\", with its 24-hour and 3-working-day deadlines." % (
            sub.group(1) if sub else "?", tid, owner.group(1) if owner else "?"),
        "  At the top: \"%s\"; below, a status strip (modem, Zalo, outbox, who is on duty)." %
        (re.sub(r"<[^>]+>", "", share.group(1)) if share else "?"),
        "(Each reload is a read on the audit trail; identical ones make one row per 10 "
        "minutes.)")

    # 5. the citizen asks how it stands
    say(d.sms(CITIZEN, "TT " + code), "The citizen asks for the status: TT %s" % code)
    d.settle(kinds("status"))

    # 6. the officer asks the tipster through the relay; the answer comes back
    ask = "HOI %s Xe máy màu gì, biển số bao nhiêu?" % code
    say(d.sms(ROSTER[1][1], ask), "%s asks the tipster through the gateway: %s" %
        (ROSTER[1][0], ask), "(Neither side sees the other's number.)")
    d.settle(kinds("relay_question", "reply"))
    answer = "%s Xe Wave màu đỏ, biển 59-X1 234.56" % code
    say(d.sms(CITIZEN, answer), "The citizen answers: %s" % answer)
    d.settle(kinds("relay_answer", "followup_ack"))

    # 7. a second tip, on Zalo (the local fake of Zalo posts it to the webhook)
    ztext = "Nhóm thanh niên tụ tập đua xe, gây ồn ở đường Trần Phú mỗi tối sau 23 giờ."
    t, status = d.oa_message(ztext)
    say(t, "On Zalo, a citizen writes to the ward's Official Account; Zalo (here the local "
        "fake) posts it, signed, to %s/zalo/oa → HTTP %d:" % (base, status), "  " + ztext)
    d.settle(kinds("receipt", "notify"))
    ztid = [tp["id"] for tp in json.loads(d.tinbao("tips", "--json")) if tp["id"] != tid][0]
    say(time.time(), "The receipt went back through Zalo's OA API (the fake received %d "
        "message%s); the tip is %s." % (len(d.zalo.oa_sent), "" if len(d.zalo.oa_sent) == 1
                                         else "s", ztid))
    say(d.sms(ROSTER[0][1], "OK " + ztid[3:]), "This time %s answers at once: OK %s" %
        (ROSTER[0][0], ztid[3:]))
    d.settle(kinds("confirm", "ack_notice"))

    # 8. the first tip is closed
    done = "XONG %s Đã bắt quả tang, bàn giao Công an phường" % code
    say(d.sms(ROSTER[1][1], done), "%s closes the tip: %s" % (ROSTER[1][0], done))
    d.settle(kinds("closed_notice", "confirm"))

    print()
    print("$ tinbao tip show %s" % tid)
    print(d.tinbao("tip", "show", tid))
    print("$ tinbao audit list --tip %s      # every step, hash-chained" % tid)
    print(d.tinbao("audit", "list", "--tip", tid))
    say(time.time(), "tinbao audit verify: " + d.tinbao("audit", "verify").strip())
    status, body = d.http("GET", "/healthz")
    m = json.loads(body)["modems"][0]
    say(time.time(), "GET %s/healthz → %d: modem %s received %d and sent %d SMS, %d failed; "
        "Zalo OA: %s." % (base, status, m["name"], m["received"], m["sent"],
                          m["send_failures"], json.loads(body)["zalo"]["oa"]["state"]))
    month = datetime.datetime.now(CLOCK).strftime("%Y-%m")
    pdf = os.path.join(d.dir, "bao-cao-%s.pdf" % month)
    html = os.path.join(d.dir, "bao-cao-%s.html" % month)
    d.tinbao("report", "--month", month, "--pdf", pdf, "--html", html)
    say(time.time(), "This month's report, to print and sign: %s" % pdf,
        "(the same as one web page: %s, and at %s/report?month=%s)" % (html, base, month))
    if args.scene_only:
        d.stop()
        return
    print("""
The daemon keeps running. From another terminal:
  text as a citizen:   python3 {h}/e2e/smslib.py send {dev} +84912345678 "Có trộm ở chợ"
  text as an officer:  python3 {h}/e2e/smslib.py send {dev} +84900000001 "DS"
                       (OK <mã>, XONG <mã> ghi chú, HOI <mã> câu hỏi, DS)
  the desk page:       {base}/   (user name: your name; password: {token})
  health:              curl {base}/healthz
  the tips:            TINBAO_LOCALEDIR={b}/locale {b}/tinbao -c {conf} tips
                       (LANG=vi_VN.UTF-8 for Vietnamese)
Press Ctrl-C to stop.""".format(h=HERE, dev=d.dev, b=build, conf=d.conf, base=base,
                                token=d.token))
    try:
        while True:
            d.settle(timeout=3600)
    except KeyboardInterrupt:
        d.stop()
        print("\nstopped. Files kept in %s" % d.dir)


if __name__ == "__main__":
    main()
