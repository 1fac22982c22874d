"""`tinbao key rotate` while tinbaod admits SMS and Zalo tips: every sealed
value moves to the new key, no tip loses its reply, and after a second
rotation the daemon works with only the newest key in the file."""
import json
import os
import sys
import threading
import time

from harness import OFFICERS, Tinbao, check, citizen, wait_for, zalo_user

DUTY = OFFICERS["duty"][1]


def fake_api():
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    from fake_zalo import FakeZalo
    fake = FakeZalo("unused-bot-token")
    fake.start()
    return fake


def key_layout(path):
    """(number of sealing keys, master, the keys) of a key file."""
    data = open(path, "rb").read()
    if len(data) == 32:
        return 1, data, None
    check(data[:8] == b"TINBAOK1", "key file magic: %r" % data[:8])
    n = data[40]
    check(len(data) == 8 + 32 + 1 + 32 * n, "key file length %d for %d keys" % (len(data), n))
    return n, data[8:40], [data[41 + 32 * i:73 + 32 * i] for i in range(n)]


def test_rotation_under_load_loses_nothing():
    fake = fake_api()
    h = Tinbao("keyrotate", http=True, oa_api=fake)
    h.full_roster()
    h.start()
    sms_users, oa_users = [], []
    lock = threading.Lock()

    def one_sms(text):
        who = citizen()
        with lock:
            sms_users.append(who)
        h.sms_in(who, text)

    def one_oa(text):
        who = zalo_user()
        with lock:
            oa_users.append(who)
        status, _ = h.post_oa(h.oa_event(who, text))
        check(status == 200, "OA webhook answered %s" % status)

    try:
        for i in range(10):                       # sealed under the first key
            one_sms("Tin trước khi đổi khóa số %d: có cờ bạc" % i)
            one_oa("Tin Zalo trước khi đổi khóa số %d: trộm xe" % i)
        h.wait_tips(20, timeout=60)
        stop = threading.Event()
        errors, sends = [], []

        def load():
            i = 0
            try:
                while not stop.is_set() or i < 10:
                    one_sms("Tin trong lúc đổi khóa số %d: đua xe" % i)
                    one_oa("Tin Zalo trong lúc đổi khóa số %d: gây rối" % i)
                    sends.append(time.time())
                    i += 1
                    time.sleep(0.1)
            except Exception as e:          # reported below
                errors.append(e)

        t = threading.Thread(target=load)
        t.start()
        try:
            time.sleep(0.3)
            began = time.time()
            rot = json.loads(h.cli("key", "rotate", "--json").stdout)
            ended = time.time()
        finally:
            stop.set()
            t.join()
        check(not errors, repr(errors))
        during = len([x for x in sends if began <= x <= ended])
        check(during >= 5, "only %d SMS+Zalo pairs arrived while the key rotated" % during)
        check(rot["daemon_confirmed"] and rot["unreadable"] == 0, repr(rot))
        check(rot["resealed"] >= 20 and rot["keys_in_file"] == 2, repr(rot))
        wait_for(lambda: "sealing with the new key" in h.log(), what="the daemon's key swap")
        total = len(sms_users) + len(oa_users)
        h.wait_tips(total, timeout=90)
        # every tip got its receipt, on its own channel, exactly once
        wait_for(lambda: len(fake.oa_sent) >= len(oa_users), timeout=90, what="OA receipts")
        wait_for(lambda: len(h.outbox("o.kind = 'receipt' AND o.state = 'sent'")) >= total,
                 timeout=120, what="every receipt sent")
        check(sorted(m["recipient"]["user_id"] for m in fake.oa_sent) == sorted(oa_users),
              "each Zalo tipster got exactly their receipt")
        to = [m["number"] for m in h.sent() if "TB-" in m["text"]]
        check(sorted(n for n in to if n in sms_users) == sorted(sms_users),
              "each SMS tipster got exactly their receipt")
        check("cannot be opened" not in h.log(), "a sealed address did not open")

        # a second rotation, quiet this time; the first key leaves the file
        n1, master1, keys1 = key_layout(h.key)
        rot2 = json.loads(h.cli("key", "rotate", "--json").stdout)
        check(rot2["daemon_confirmed"] and rot2["unreadable"] == 0, repr(rot2))
        check(rot2["resealed"] >= total and rot2["key"] != rot["key"], repr(rot2))
        n2, master2, keys2 = key_layout(h.key)
        check(n2 == 2 and master2 == master1 and keys2[0] == keys1[1], "prune kept the wrong keys")
        check(oct(os.stat(h.key).st_mode & 0o777) == "0o600", "key file mode")
        h.stop()
        # nothing needs a retired key any more: keep only the newest one
        with open(h.key, "wb") as f:
            f.write(b"TINBAOK1" + master2 + bytes([1]) + keys2[1])
        os.chmod(h.key, 0o600)
        h.start()
        oa_before = len(fake.oa_sent)
        for tip in h.tips():
            h.cli("ack", tip["id"], "--officer", DUTY)
        wait_for(lambda: len(h.outbox("o.kind = 'ack_notice' AND o.state = 'sent'")) >= total,
                 timeout=120, what="every ack notice sent with only the newest key")
        check(sorted(m["recipient"]["user_id"] for m in fake.oa_sent[oa_before:]) ==
              sorted(oa_users), "every Zalo tipster got the ack notice")
        check(not h.outbox("o.state = 'failed'"), repr(h.outbox("o.state = 'failed'")))
        check("cannot be opened" not in h.log(), "a sealed address did not open")
        audit = [r["action"] for r in h.query("SELECT action FROM audit WHERE action LIKE 'key%' "
                                                   "ORDER BY id")]
        check(audit == ["key_rotated", "key_resealed"] * 2, repr(audit))
    finally:
        h.stop()
        fake.stop()
