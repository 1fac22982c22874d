#!/usr/bin/env python3
"""make demo — a tip's whole path, told in plain words.

Builds a throw-away installation (SQLite file, key, gammu dummy modem, a
roster of four officers, 20-second deadlines), starts the real tinbaod and
plays a scene: a citizen texts a tip, gets a tracking ID, the duty officer
ignores it, it escalates, the backup officer acknowledges by SMS, and the
citizen asks for the status. Then it keeps running so you can text more.
"""
import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "e2e"))
import smslib  # noqa: E402

ROSTER = [("Nguyễn Văn An", "+84900000001", 1, "duty officer (trực ban)"),
          ("Trần Thị Bình", "+84900000002", 2, "backup (trực dự bị)"),
          ("Lê Văn Cường", "+84900000003", 3, "shift leader (chỉ huy ca)"),
          ("Phạm Văn Dũng", "+84900000004", 4, "station chief (trưởng công an)")]
CITIZEN = "+84987654321"
NAMES = {phone: name for name, phone, _, _ in ROSTER}


def say(*lines):
    stamp = time.strftime("%H:%M:%S")
    for i, line in enumerate(lines):
        print(("[%s] " % stamp if i == 0 else " " * 11) + line, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--scene-only", action="store_true", help="stop after the scene")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.environ.setdefault("TINBAO_LOCALEDIR", os.path.join(build, "locale"))
    d = tempfile.mkdtemp(prefix="tinbao-demo-")
    dev = os.path.join(d, "modem")
    for f in range(1, 6):
        os.makedirs(os.path.join(dev, "sms", str(f)))
    conf = os.path.join(d, "tinbao.conf")
    db = os.path.join(d, "tinbao.db")
    with open(conf, "w") as f:
        f.write("""[gateway]
database = {d}/tinbao.db
key_file = {d}/secret.key
ward = Phường Thạch Khôi
timezone = Asia/Ho_Chi_Minh

[escalation]
ack_deadline = 20s
level_deadline = 20s
repeat = 60s

[modem demo]
device = {dev}
connection = none
model = dummy
logfile = {d}/gammu.log
logformat = textall
poll = 1s
""".format(d=d, dev=dev))

    def tinbao(*a):
        return subprocess.run([os.path.join(build, "tinbao"), "-c", conf] + list(a),
                              capture_output=True, text=True, check=True).stdout

    print("tinbao demo — everything lives in %s\n" % d)
    tinbao("key", "init")
    for name, phone, level, role in ROSTER:
        tinbao("officer", "add", "--name", name, "--phone", phone)
        tinbao("shift", "add", "--officer", phone, "--level", str(level), "--always")
    say("Roster: 4 officers on duty, one per level. Deadlines are 20 seconds for the demo.",
        *["level %d: %s, %s, %s" % (lv, n, p, r) for n, p, lv, r in ROSTER])
    log = open(os.path.join(d, "tinbaod.log"), "w")
    daemon = subprocess.Popen([os.path.join(build, "tinbaod"), "-c", conf], stdout=log,
                              stderr=subprocess.STDOUT)
    time.sleep(1)
    if daemon.poll() is not None:
        print(open(os.path.join(d, "tinbaod.log")).read())
        sys.exit("tinbaod did not start")
    say("tinbaod started (log: %s/tinbaod.log)." % d)

    seen = set()

    def outbox():
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
        try:
            return con.execute("SELECT id, dest, kind, text, state FROM outbox WHERE state = 'sent' "
                               "ORDER BY id").fetchall()
        finally:
            con.close()

    def show_new(until=None, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            got = False
            for oid, dest, kind, text, state in outbox():
                if oid in seen:
                    continue
                seen.add(oid)
                got = True
                who = ("officer %s (%s)" % (NAMES.get(dest, dest), dest)) if dest else "the citizen"
                say("SMS sent to %s [%s]:" % (who, kind), *["  " + l for l in text.split("\n")])
                if until and until(kind, dest, text):
                    return True
            if daemon.poll() is not None:
                sys.exit("tinbaod stopped: see %s/tinbaod.log" % d)
            if not got:
                time.sleep(0.3)
        return False

    text = "Có người bán ma túy ở hẻm 12 đường Lê Lợi, tối nào cũng có người ra vào."
    say("A citizen texts the tip line:", "  " + text,
        "(Their number is sealed on arrival: officers and logs never see it.)")
    smslib.write_dummy_sms(dev, CITIZEN, text)
    show_new(until=lambda k, dest, t: k == "notify", timeout=30)
    tips = json.loads(tinbao("tips", "--json"))
    tid = tips[0]["id"]
    code = tid[3:]
    say("Tip %s is waiting for the duty officer. He does not answer..." % tid)
    show_new(until=lambda k, dest, t: k == "escalate", timeout=40)
    say("Nobody acknowledged within 20 seconds: the tip moved to level 2.")
    reply = "OK " + code
    say("The backup officer, %s, replies by SMS: %s" % (ROSTER[1][0], reply))
    smslib.write_dummy_sms(dev, ROSTER[1][1], reply)
    show_new(until=lambda k, dest, t: k == "confirm", timeout=30)
    show_new(timeout=2)
    t = json.loads(tinbao("tip", "show", tid, "--json"))
    say("Tip %s is %s by %s at level %d." % (tid, t["status"], t["acked_by"], t["level"]))
    say("The citizen asks for the status: TT %s" % code)
    smslib.write_dummy_sms(dev, CITIZEN, "TT " + code)
    show_new(until=lambda k, dest, t: k == "status", timeout=30)
    ask = "HOI %s Xe máy màu gì, biển số bao nhiêu?" % code
    say("%s asks the tipster through the gateway: %s" % (ROSTER[1][0], ask),
        "(Neither side sees the other's number.)")
    smslib.write_dummy_sms(dev, ROSTER[1][1], ask)
    show_new(until=lambda k, dest, t: k == "relay_question", timeout=30)
    answer = "%s Xe Wave màu đỏ, biển 59-X1 234.56" % code
    say("The citizen answers: %s" % answer)
    smslib.write_dummy_sms(dev, CITIZEN, answer)
    show_new(until=lambda k, dest, t: k == "relay_answer", timeout=30)
    done = "XONG %s Đã bắt quả tang, bàn giao Công an phường" % code
    say("%s closes the tip: %s" % (ROSTER[1][0], done))
    smslib.write_dummy_sms(dev, ROSTER[1][1], done)
    show_new(until=lambda k, dest, t: k == "closed_notice", timeout=30)
    show_new(timeout=2)
    print()
    print(tinbao("tip", "show", tid))
    say("Every step is on the hash-chained audit trail:", "  " + tinbao("audit", "verify").strip())
    if args.scene_only:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        return
    print("""The daemon keeps running. From another terminal:
  text as a citizen:   python3 {h}/e2e/smslib.py send {dev} +84912345678 "Có trộm ở chợ"
  text as an officer:  python3 {h}/e2e/smslib.py send {dev} +84900000001 "DS"
                       (OK <mã>, XONG <mã> ghi chú, HOI <mã> câu hỏi, DS)
  see the tips:        {b}/tinbao -c {conf} tips
Press Ctrl-C to stop.""".format(h=HERE, dev=dev, b=build, conf=conf))
    try:
        while True:
            show_new(timeout=3600)
    except KeyboardInterrupt:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        print("\nstopped. Files kept in %s" % d)


if __name__ == "__main__":
    main()
