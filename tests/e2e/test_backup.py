"""Backups a ward can restore (issue 11 §5): `tinbao backup` while tinbaod
takes webhooks and SMS, `tinbao restore` into a new directory with the key
file kept apart, and then the audit chain, the tips and the sealed reply
addresses (a relayed question reaches the tipster) hold; restore refuses
while tinbaod runs, a damaged copy, a copy whose audit chain was edited and a
key file that does not open the copy."""
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import time

from harness import OFFICERS, Tinbao, check, wait_for
from test_crashtest import Producer
from test_zalo_in import fake_api

DUTY = OFFICERS["duty"][1]


def tips_in(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return {r[0] for r in con.execute("SELECT code FROM tips")}
    finally:
        con.close()


def test_backup_under_load_restores_into_a_new_directory():
    fake = fake_api("9191:backup")
    h = Tinbao("backup", http=True, bot_api=fake, escalation={"ack_deadline": "1h"})
    h.full_roster()
    h.start()
    rnd = random.Random(11)
    producers = [Producer(h, "sms", rnd), Producer(h, "bot", rnd)]
    copy = os.path.join(h.dir, "copies", "manual.db")
    os.makedirs(os.path.dirname(copy))
    try:
        for p in producers:
            p.start()
        wait_for(lambda: {r["channel"]: r["n"] for r in h.query(
            "SELECT channel, count(*) AS n FROM tips GROUP BY channel")}.get("sms", 0) >= 2 and
            len(h.query("SELECT id FROM tips")) >= 6, timeout=30, what="tips under load")
        out = h.cli("backup", copy).stdout
        check("backed up" in out and "apart" in out, out)
        for _ in range(3):                    # a directory of copies, the newest 2 kept
            h.cli("backup", os.path.dirname(copy), "--keep", "2")
            time.sleep(1.1)
        time.sleep(2)
    finally:
        for p in producers:
            p.done.set()
        for p in producers:
            p.join(timeout=30)
    try:
        wait_for(lambda: not h.query("SELECT id FROM inbound WHERE processed_at IS NULL"),
                 what="everything routed")
        h.cli("backup", copy, expect=1)       # never replaces a file
        live = {t["id"]: t for t in h.tips()}
        refused = h.cli("restore", copy, expect=1).stderr
        check("in use by a running tinbaod" in refused and "stop it first" in refused, refused)
    finally:
        h.stop()
        fake.stop()
    st = os.stat(copy)
    check(stat.S_IMODE(st.st_mode) == 0o600, "copy mode %o" % stat.S_IMODE(st.st_mode))
    check(not os.path.exists(copy + "-wal"), "a -wal beside the copy")
    kept = sorted(f for f in os.listdir(os.path.dirname(copy)) if f.startswith("tinbao-"))
    check(len(kept) == 2, "--keep 2 left %r" % kept)
    in_copy = tips_in(copy)
    check(6 <= len(in_copy) < len(live), "the copy holds %d of %d tips: not taken under load?"
          % (len(in_copy), len(live)))

    # a new directory: the configuration, the key file (kept apart), the copy
    fake2 = fake_api("9292:restored")
    r = Tinbao("restored", http=True, bot_api=fake2)
    shutil.copyfile(h.key, r.key)
    os.chmod(r.key, 0o600)
    out = r.cli("restore", copy).stdout
    check("restored" in out and "chain intact" in out, out)
    check("chain intact" in r.cli("audit", "verify").stdout, "audit verify after restore")
    restored = {t["id"]: t for t in r.tips()}
    check(set(restored) == {"TB-" + c for c in in_copy}, "tips: %d restored, %d in the copy"
          % (len(restored), len(in_copy)))
    for tid, t in restored.items():
        check(t == live[tid], "%s differs after the restore:\n%r\n%r" % (tid, t, live[tid]))
    acts = [e["action"] for e in r.cli_json("audit", "list")]
    check("db.backup" in acts and "db.restore" in acts, repr(acts[-5:]))

    # the sealed addresses open with the key: the relay reaches the tipsters
    sms_tip = next(t for t in restored.values() if t["channel"] == "sms")
    bot_tip = next(t for t in restored.values() if t["channel"] == "zalo_bot")
    sms_from = next(who for who, _, text in producers[0].accepted if text == sms_tip["text"])
    bot_from = next(who for who, _, text in producers[1].accepted if text == bot_tip["text"])
    check(len(r.cli_json("officer", "list")) == len(OFFICERS), "the roster came back")
    r.start()
    try:
        r.sms_in(DUTY, "HOI %s Đối tượng đi xe gì?" % sms_tip["id"][3:])
        r.sms_in(DUTY, "HOI %s Ở số nhà nào?" % bot_tip["id"][3:])
        wait_for(lambda: [m for m in r.sent() if m["number"] == sms_from and
                          "xe gì" in m["text"]], timeout=30, what="the question by SMS")
        wait_for(lambda: [m for m in fake2.sent if m.get("chat_id") == bot_from and
                          "số nhà" in m.get("text", "")], timeout=30,
                 what="the question on Zalo")
    finally:
        r.stop()
        fake2.stop()

    # refused: a damaged copy, an edited chain, a key that does not open it
    bad = os.path.join(r.dir, "damaged.db")
    shutil.copyfile(copy, bad)
    with open(bad, "r+b") as f:
        f.seek(os.path.getsize(bad) // 2)
        f.write(b"\xff" * 4096)
    err = r.cli("restore", bad, expect=1).stderr
    check("damaged" in err and "nothing was changed" in err, err)
    edited = os.path.join(r.dir, "edited.db")
    shutil.copyfile(copy, edited)
    subprocess.run(["sqlite3", edited, "UPDATE audit SET actor = 'someone' WHERE id = 3"],
                   check=True)
    err = r.cli("restore", edited, expect=1).stderr
    check("audit chain does not verify" in err, err)
    os.unlink(r.key)
    r.cli("key", "init")
    err = r.cli("restore", copy, expect=1).stderr
    check("does not open this backup's sealed" in err, err)
    check({t["id"] for t in r.tips()} >= set(restored), "a refused restore changed the database")
    kept = [f for f in os.listdir(r.dir) if ".before-restore-" in f]
    check(not kept, "a refused restore kept a copy: %r" % kept)
