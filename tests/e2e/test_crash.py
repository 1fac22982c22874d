"""SIGKILL during routing, then restart: no tip lost, none duplicated, and a
deadline that passed while the daemon was down fires once."""
import random
import time

from harness import Tinbao, check, citizen, wait_for


def test_sigkill_during_routing_loses_nothing():
    h = Tinbao("crash", escalation={"ack_deadline": "6s", "level_deadline": "1h",
                                     "repeat": "1h"})
    h.full_roster()
    senders = [citizen() for _ in range(24)]
    h.start()
    try:
        rnd = random.Random(7)
        kills = 0
        for i, who in enumerate(senders):
            h.sms_in(who, "Tin số %d: có trộm đột nhập nhà dân" % i)
            if i % 6 == 5:
                time.sleep(rnd.uniform(0.3, 1.5))
                h.kill9()
                kills += 1
                h.start()
        wait_for(lambda: len(h.tips()) >= len(senders) and not h.inbox_files(),
                 timeout=90, what="every SMS admitted and routed")
        tips = h.tips()
        check(len(tips) == len(senders), "%d tips for %d senders" % (len(tips), len(senders)))
        inbound = h.query("SELECT COUNT(*) AS n, COUNT(DISTINCT tip_id) AS t FROM inbound")
        check(inbound[0]["n"] == len(senders) and inbound[0]["t"] == len(senders), repr(inbound))
        receipts = h.query("SELECT tip_id, COUNT(*) AS n FROM outbox WHERE kind = 'receipt' "
                           "GROUP BY tip_id")
        check(len(receipts) == len(senders) and all(r["n"] == 1 for r in receipts),
              "each tip gets exactly one receipt: %r" % receipts)
        # kill again and stay down past the level-1 deadline
        h.kill9()
        kills += 1
        time.sleep(8)
        h.start()
        wait_for(lambda: all(t["level"] == 2 for t in h.tips()), timeout=30,
                 what="every tip escalated to level 2 after the restart")
        time.sleep(2)
        esc = h.query("SELECT tip_id, COUNT(*) AS n FROM escalations GROUP BY tip_id")
        check(len(esc) == len(senders) and all(e["n"] == 1 for e in esc),
              "each missed deadline fires exactly once: %r" % esc)
        check(kills >= 5, "kills: %d" % kills)
    finally:
        h.stop()
