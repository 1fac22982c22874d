#!/usr/bin/env python3
"""make bench: signed OA webhooks POSTed to the real tinbaod by many clients
at once. Every 200 comes after the event's commit (synchronous=FULL), so this
measures durable admissions per second through HTTP, the latency a client
sees (p50/p99), and how many admissions each commit held. The ratio is
against the in-process writer of bench_admit (the HTTP side's cost), when
its figure is given with --writer-rate."""
import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))


def client(port, worker, count, out):
    import harness
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat, bad = [], 0
    for i in range(count):
        ts = str(int(time.time() * 1000))
        ev = {"app_id": harness.OA_APP_ID, "event_name": "user_send_text", "timestamp": ts,
              "sender": {"id": "24684588%011d" % (worker * 100000 + i)},
              "recipient": {"id": harness.OA_ID},
              "message": {"msg_id": "bench-%d-%d" % (worker, i), "text": "Tin thử tải %d" % i}}
        body = json.dumps(ev, separators=(",", ":")).encode()
        mac = hashlib.sha256(ev["app_id"].encode() + body + ts.encode()
                             + harness.OA_SECRET.encode()).hexdigest()
        t0 = time.perf_counter()
        con.request("POST", "/zalo/oa", body, {"Content-Type": "application/json",
                                               "X-ZEvent-Signature": "mac=" + mac})
        r = con.getresponse()
        r.read()
        lat.append(time.perf_counter() - t0)
        bad += r.status != 200
    out.put((lat, bad))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--each", type=int, default=100)
    ap.add_argument("--writer-rate", type=float, default=0)
    args = ap.parse_args()
    os.environ["TINBAO_BUILD"] = os.path.abspath(args.build)
    import harness
    h = harness.Tinbao("benchhttp", http=True, gateway={"log_level": "info"})
    h.start()
    try:
        q = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=client, args=(h.port, w, args.each, q))
                 for w in range(args.clients)]
        t0 = time.perf_counter()
        for p in procs:
            p.start()
        results = [q.get() for _ in procs]
        for p in procs:
            p.join()
        secs = time.perf_counter() - t0
        rows = h.query("SELECT COUNT(*) AS n FROM inbound")[0]["n"]
    finally:
        h.stop()
    lat = sorted(x for r in results for x in r[0])
    bad = sum(r[1] for r in results)
    total = args.clients * args.each
    m = re.findall(r"admissions (\d+) in (\d+) commits \(largest (\d+)\)", h.log())
    adm, commits, largest = (int(x) for x in m[-1]) if m else (0, 0, 0)
    rate = total / secs
    print("%d signed OA webhooks from %d clients: %d answered 200, %d not; %d rows admitted"
          % (total, args.clients, total - bad, bad, rows))
    print("durable admissions through HTTP: %.0f/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (rate, 1000 * statistics.median(lat), 1000 * lat[int(len(lat) * 0.99) - 1],
             1000 * lat[-1]))
    if commits:
        print("commits: %d for %d admissions, %.1f per commit (largest %d)"
              % (commits, adm, adm / commits, largest))
    if args.writer_rate:
        print("ratio HTTP/in-process writer: %.2f" % (rate / args.writer_rate))
    if bad or rows != total:
        sys.exit(1)


if __name__ == "__main__":
    main()
