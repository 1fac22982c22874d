"""The end-to-end harness: runs the real tinbaod and tinbao binaries against a
real SQLite file and gammu's dummy modem, and looks at the results from the
outside (the modem's folders and debug log, `tinbao ... --json`, the database).

Every citizen number a test uses comes from `citizen()`, and every log, CLI
output and officer message is kept, so the identity check at the end of the
run can search all of them for those numbers.
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

import smslib

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("TINBAO_BUILD", os.path.join(TOP, "build"))
# A command every tinbaod is started under (make valgrind sets it).
WRAP = os.environ.get("TINBAO_WRAP", "").split()

# Every program the tests start speaks English (the texts they check) and
# finds its translations in the build tree; a test that wants Vietnamese
# passes lang_env("vi_VN.UTF-8").
for _var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"
os.environ["TINBAO_LOCALEDIR"] = os.path.join(BUILD, "locale")


def lang_env(lang):
    """The environment of a program run under LANG=lang."""
    return dict(os.environ, LANG=lang)

_lock = threading.Lock()
_citizen_seq = [0]
CITIZENS = []            # every citizen number handed out
ARTIFACTS = []           # (label, text) of logs and CLI outputs
INSTANCES = []           # every Tinbao made, for the identity check


def zalo_user():
    """A fresh Zalo user id (19 digits), kept secret like a phone number."""
    with _lock:
        _citizen_seq[0] += 1
        uid = "24684588%011d" % (35291979 + _citizen_seq[0] * 7919 + os.getpid() % 1000)
        CITIZENS.append(uid)
        return uid


def free_port():
    import socket
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        return sk.getsockname()[1]


OA_APP_ID = "3608465249409039670"
OA_ID = "3886132808788086450"
OA_SECRET = "TestOaSecretKey123"
BOT_SECRET = "bot-webhook-secret-42"


def citizen():
    """A fresh citizen number (+849...)."""
    with _lock:
        _citizen_seq[0] += 1
        n = "+8491%07d" % (4000000 + _citizen_seq[0] * 37 + os.getpid() % 1000)
        CITIZENS.append(n)
        return n


def unaccent(s):
    """The không dấu form officers' SMS use."""
    import unicodedata
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return s.replace("đ", "d").replace("Đ", "D")


class Failure(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def wait_for(pred, timeout=20.0, step=0.2, what="condition"):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        last = pred()
        if last:
            return last
        time.sleep(step)
    raise Failure("timed out after %.0fs waiting for %s (last: %r)" % (timeout, what, last))


OFFICERS = {
    "duty": ("Nguyễn Văn An", "+84900000001", 1),
    "backup": ("Trần Thị Bình", "+84900000002", 2),
    "leader": ("Lê Văn Cường", "+84900000003", 3),
    "chief": ("Phạm Văn Dũng", "+84900000004", 4),
}


def write_secret(path, value):
    """A secret file as an installation has it: readable by its owner and
    group only (tinbaod warns about one that others may read)."""
    with open(path, "w") as f:
        f.write(value + "\n")
    os.chmod(path, 0o640)


class Tinbao:
    """One tinbao installation in a temporary directory."""

    def __init__(self, name, gateway=None, escalation=None, modems=None, poll="1s", http=False,
                 bot_api=None, oa_api=None, outbox=None, duty_group=None, sections=None,
                 modem_extra=None, admin_token=None, metrics_token=None,
                 zalo_extra=None):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="tinbao-%s-" % name)
        self.db = os.path.join(self.dir, "tinbao.db")
        self.key = os.path.join(self.dir, "secret.key")
        self.conf = os.path.join(self.dir, "tinbao.conf")
        self.logfile = os.path.join(self.dir, "tinbaod.log")
        self.proc = None
        self.log_fh = None
        gw = {
            "database": self.db, "key_file": self.key, "ward": "Phường Thạch Khôi",
            "timezone": "Asia/Ho_Chi_Minh", "tracking_prefix": "TB",
            "followup_window": "30m", "unaccented_sms": "no", "multipart_timeout": "10m",
            "log_level": "debug", "daily_summary": "off",
            "admin_socket": os.path.join(self.dir, "tinbaod.sock"),
        }
        gw.update(gateway or {})
        # no calls unless a test asks: the default call_hours would make a test's
        # messages depend on the hour it runs at
        esc = {"ack_deadline": "10m", "level_deadline": "5m", "repeat": "10m",
               "urgent_deadline": "2m", "call_levels": ""}
        esc.update(escalation or {})
        self.modems = {}
        lines = ["[gateway]"] + ["%s = %s" % kv for kv in gw.items()]
        lines += ["", "[escalation]"] + ["%s = %s" % kv for kv in esc.items()]
        ob = {"retry_base": "1s", "retry_max": "5s"}
        ob.update(outbox or {})
        lines += ["", "[outbox]"] + ["%s = %s" % kv for kv in ob.items()]
        for sname, keys in (sections or {}).items():
            lines += ["", "[%s]" % sname] + ["%s = %s" % kv for kv in keys.items()]
        for mname, spec in (modems or {"sim1": "dummy"}).items():
            lines += ["", "[modem %s]" % mname]
            if spec == "dummy":
                dev = os.path.join(self.dir, "modem-" + mname)
                for f in range(1, 6):
                    os.makedirs(os.path.join(dev, "sms", str(f)), exist_ok=True)
                log = os.path.join(self.dir, "gammu-%s.log" % mname)
                lines += ["device = " + dev, "connection = none", "model = dummy",
                          "logfile = " + log, "logformat = textall"]
                self.modems[mname] = {"device": dev, "log": log}
            else:
                lines += ["%s = %s" % kv for kv in spec.items()]
                self.modems[mname] = dict(spec)
            lines += ["poll = " + poll, "send_timeout = 10s"]
            lines += ["%s = %s" % kv for kv in (modem_extra or {}).items()]
        self.port = None
        if http:
            self.port = free_port()
            oa_secret = os.path.join(self.dir, "oa.secret")
            bot_secret = os.path.join(self.dir, "bot.secret")
            with open(oa_secret, "w") as f:
                f.write(OA_SECRET + "\n")
            with open(bot_secret, "w") as f:
                f.write(BOT_SECRET + "\n")
            for secret in (oa_secret, bot_secret):
                os.chmod(secret, 0o640)          # as an installation has them
            oa_lines = []
            if oa_api:
                app_secret = os.path.join(self.dir, "app.secret")
                refresh = os.path.join(self.dir, "refresh.token")
                write_secret(app_secret, oa_api.app_secret)
                write_secret(refresh, oa_api.refresh_token)
                oa_lines = ["app_secret_key_file = " + app_secret,
                            "refresh_token_file = " + refresh,
                            "api_base = " + oa_api.base, "oauth_base = " + oa_api.base]
            self.admin_token_file = os.path.join(self.dir, "admin.token")
            http_lines = []
            if admin_token:
                write_secret(self.admin_token_file, admin_token)
                http_lines = ["admin_token_file = " + self.admin_token_file]
            if metrics_token:
                self.metrics_token_file = os.path.join(self.dir, "metrics.token")
                write_secret(self.metrics_token_file, metrics_token)
                http_lines.append("metrics_token_file = " + self.metrics_token_file)
            lines += ["", "[http]", "listen = 127.0.0.1:%d" % self.port, "body_limit = 65536"
                      ] + http_lines + [
                      "", "[zalo_oa]", "app_id = " + OA_APP_ID, "oa_id = " + OA_ID,
                      "oa_secret_key_file = " + oa_secret] + oa_lines + [
                      "%s = %s" % kv for kv in (zalo_extra or {}).items()] + [
                      "", "[zalo_bot]", "webhook_secret_file = " + bot_secret] + [
                      "%s = %s" % kv for kv in (zalo_extra or {}).items()]
            if bot_api:
                token = os.path.join(self.dir, "bot.token")
                write_secret(token, bot_api.token)
                lines += ["token_file = " + token, "api_base = " + bot_api.base]
                if duty_group:
                    lines.append("duty_group = " + duty_group)
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        with _lock:
            INSTANCES.append(self)
        self.cli("key", "init")

    # ------------------------------------------------------------ programs
    def cli(self, *args, expect=0, lang=None):
        """Runs tinbao; lang: its LANG (default C.UTF-8, English)."""
        p = subprocess.run([os.path.join(BUILD, "tinbao"), "-c", self.conf] + list(args),
                           capture_output=True, text=True, timeout=60,
                           env=lang_env(lang) if lang else None)
        with _lock:
            ARTIFACTS.append(("tinbao %s (%s)" % (" ".join(args), self.name),
                              p.stdout + p.stderr))
        if expect is not None and p.returncode != expect:
            raise Failure("tinbao %s: exit %d, wanted %d\nstdout: %s\nstderr: %s" % (
                " ".join(args), p.returncode, expect, p.stdout, p.stderr))
        return p

    def cli_json(self, *args):
        return json.loads(self.cli(*args, "--json").stdout)

    def start(self, env=None, wrap=None):
        """env: extra environment; wrap: a command prefix (e.g. valgrind)."""
        starts = self.log().count(" started: database")     # a restart: the log goes on
        self.log_fh = open(self.logfile, "a")
        self.proc = subprocess.Popen((wrap or WRAP) + [os.path.join(BUILD, "tinbaod"), "-c",
                                                     self.conf],
                                     stdout=self.log_fh, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, **(env or {})))
        wait_for(lambda: self.log().count(" started: database") > starts or
                 self.proc.poll() is not None,
                 timeout=20, what="tinbaod to start")
        check(self.proc.poll() is None, "tinbaod exited at start:\n" + self.log())
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise Failure("tinbaod did not stop on SIGTERM within 30 s")
        rc = self.proc.returncode if self.proc else 0
        self.proc = None
        if self.log_fh:
            self.log_fh.close()
            self.log_fh = None
        log = self.log()
        for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
            check(marker not in log, "sanitizer report in the tinbaod log of %s:\n%s" % (
                self.name, log[log.find(marker) - 200:][:3000]))
        check(rc == 0, "tinbaod exited with status %d on SIGTERM:\n%s" % (rc, log[-4000:]))
        return rc

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None
        self.log_fh.close()
        self.log_fh = None

    def log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def close(self):
        try:
            self.stop()
        except Failure:
            pass

    # ------------------------------------------------------------- roster
    def add_officer(self, key, always=True, level=None, channel="sms"):
        name, phone, lvl = OFFICERS[key]
        self.cli("officer", "add", "--name", name, "--phone", phone, "--channel", channel)
        if always:
            self.cli("shift", "add", "--officer", phone, "--level", str(level or lvl), "--always")
        return phone

    def full_roster(self):
        for k in OFFICERS:
            self.add_officer(k)

    # --------------------------------------------------------------- SMS
    def sms_in(self, sender, text, modem="sim1", udh=None):
        return smslib.write_dummy_sms(self.modems[modem]["device"], sender, text, udh=udh)

    def inbox_files(self, modem="sim1"):
        out = []
        for f in range(1, 6):
            d = os.path.join(self.modems[modem]["device"], "sms", str(f))
            out += [os.path.join(d, x) for x in os.listdir(d)]
        return out

    def sent(self, modem="sim1"):
        """What the dummy modem sent, from its gammu debug log."""
        return smslib.dummy_sent(self.modems[modem]["log"])

    # --------------------------------------------------------------- HTTP
    def http(self, method, path, body=b"", headers=None):
        """(status, parsed JSON or text) of one request to the daemon."""
        import http.client
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            con.request(method, path, body=body, headers=headers or {})
            r = con.getresponse()
            data = r.read().decode("utf-8", "replace")
        finally:
            con.close()
        try:
            return r.status, json.loads(data)
        except ValueError:
            return r.status, data

    def oa_event(self, sender, text, msg_id=None, event="user_send_text", ts=None):
        """The raw body of an OA text event, as Zalo sends it."""
        ts = ts if ts is not None else int(time.time() * 1000)
        msg_id = msg_id or "m%x" % (int(time.time() * 1e6) ^ hash(text) & 0xffffff)
        ev = {"app_id": OA_APP_ID, "user_id_by_app": "5521772797175877300", "event_name": event,
              "timestamp": str(ts), "sender": {"id": sender}, "recipient": {"id": OA_ID},
              "message": {"msg_id": msg_id, "text": text}}
        return json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()

    def post_oa(self, body, sign=True, secret=OA_SECRET, headers=None):
        import hashlib
        h = {"Content-Type": "application/json"}
        if sign:
            ev = json.loads(body)
            mac = hashlib.sha256(ev["app_id"].encode() + body + ev["timestamp"].encode()
                                 + secret.encode()).hexdigest()
            h["X-ZEvent-Signature"] = "mac=" + mac
        h.update(headers or {})
        return self.http("POST", "/zalo/oa", body, h)

    def post_bot(self, update, secret=BOT_SECRET, headers=None):
        h = {"Content-Type": "application/json"}
        if secret is not None:
            h["X-Bot-Api-Secret-Token"] = secret
        h.update(headers or {})
        body = update if isinstance(update, bytes) else json.dumps(update,
                                                                   ensure_ascii=False).encode()
        return self.http("POST", "/zalo/bot", body, h)

    # ---------------------------------------------------------- database
    def query(self, sql, *args):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=10)
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql, args)]
        finally:
            con.close()

    def outbox(self, where="1", *args):
        return self.query("SELECT o.*, f.phone AS officer_phone FROM outbox o "
                          "LEFT JOIN officers f ON f.id = o.officer_id WHERE %s ORDER BY o.id"
                          % where, *args)

    def to_officer(self, key, kind=None):
        phone = OFFICERS[key][1]
        rows = self.outbox("o.dest = ?", phone)
        return [r for r in rows if kind is None or r["kind"] == kind]

    def to_citizens(self, kind=None):
        rows = self.outbox("o.dest_sealed IS NOT NULL")
        return [r for r in rows if kind is None or r["kind"] == kind]

    def tips(self):
        return self.cli_json("tips")

    def tip(self, tid):
        return self.cli_json("tip", "show", tid)

    def wait_tips(self, n, timeout=20):
        return wait_for(lambda: (lambda t: t if len(t) >= n else None)(self.tips()),
                        timeout=timeout, what="%d tips" % n)

    def wait_sent(self, pred, timeout=20, what="a sent message"):
        return wait_for(lambda: [r for r in self.outbox("o.state = 'sent'") if pred(r)],
                        timeout=timeout, what=what)
