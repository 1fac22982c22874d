#!/usr/bin/env python3
"""make bench: how long from an SMS being read off the modem to the officer's
notification being queued, measured from tinbaod's own log timestamps (ms)
over N tips on the dummy modem; and the same for the whole trip to the
notification being sent. Compares against the modem's poll interval, the
floor set by polling."""
import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))


def stamp(line):
    m = re.match(r"\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d)\.(\d{3})", line)
    h, mi, s, ms = (int(x) for x in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000 + ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=40)
    args = ap.parse_args()
    os.environ["TINBAO_BUILD"] = os.path.abspath(args.build)
    import harness
    h = harness.Tinbao("bench", gateway={"log_level": "info"})
    h.full_roster()
    h.start()
    try:
        for i in range(args.n):
            h.sms_in(harness.citizen(), "Tin thử số %d: có trộm ở chợ" % i)
            time.sleep(0.05)
        harness.wait_for(lambda: len(h.tips()) >= args.n, timeout=120, what="all tips")
        harness.wait_for(lambda: len(h.outbox("o.state = 'sent'")) >= 2 * args.n, timeout=120,
                         what="all messages sent")
    finally:
        h.stop()
    lines = h.log().splitlines()
    received = [stamp(l) for l in lines if "received 1 part" in l]
    queued = [stamp(l) for l in lines if "level 1 notified" in l]
    sent = [stamp(l) for l in lines if "sent notify message" in l]
    if not (len(received) == len(queued) == len(sent) == args.n):
        sys.exit("log lines: %d received, %d queued, %d sent" % (len(received), len(queued),
                                                                 len(sent)))
    route = [q - r for r, q in zip(received, queued)]
    trip = [s - r for r, s in zip(received, sent)]
    q = statistics.quantiles
    print("%d tips: SMS read -> officer notification queued: median %d ms, p95 %d ms, max %d ms"
          % (args.n, statistics.median(route), q(route, n=20)[-1], max(route)))
    print("%d tips: SMS read -> officer notification sent:   median %d ms, p95 %d ms, max %d ms"
          % (args.n, statistics.median(trip), q(trip, n=20)[-1], max(trip)))
    print("ratio to the 1000 ms poll interval (the floor a polled modem sets): routing %.3f"
          % (statistics.median(route) / 1000.0))


if __name__ == "__main__":
    main()
