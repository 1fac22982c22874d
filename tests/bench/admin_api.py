#!/usr/bin/env python3
"""make bench: the admin API and the duty-desk page with N open tips: time
per request (each one opens its own database connection and writes one
audited read) for GET /api/tips?open=1, GET /api/tips/ID and GET /, one
client at a time and from 4 clients at once. Baseline in the same run:
GET /healthz (a database write check, no audit)."""
import argparse
import base64
import concurrent.futures
import http.client
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

TOKEN = "bench-token-0123456789abcdef"


def get(port, path, headers):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    t0 = time.perf_counter()
    con.request("GET", path, headers=headers)
    r = con.getresponse()
    r.read()
    con.close()
    assert r.status == 200, (path, r.status)
    return (time.perf_counter() - t0) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=100, help="open tips")
    ap.add_argument("-r", type=int, default=100, help="requests per path")
    args = ap.parse_args()
    os.environ["TINBAO_BUILD"] = os.path.abspath(args.build)
    import harness
    h = harness.Tinbao("benchapi", http=True, admin_token=TOKEN, gateway={"log_level": "info"})
    h.full_roster()
    h.start()
    try:
        for i in range(args.n):
            h.sms_in(harness.citizen(), "Tin thử số %d: có trộm ở chợ <b>%d</b>" % (i, i))
        tips = harness.wait_for(lambda: (lambda t: t if len(t) >= args.n else None)(h.tips()),
                                timeout=180, what="all tips")
        bearer = {"Authorization": "Bearer " + TOKEN}
        basic = {"Authorization": "Basic " + base64.b64encode(("d:" + TOKEN).encode()).decode()}
        paths = [("/healthz", {}), ("/api/tips?open=1", bearer),
                 ("/api/tips/" + tips[args.n // 2]["id"], bearer), ("/", basic)]
        print("%d open tips, %d requests per path (ms per request)" % (args.n, args.r))
        for path, hdr in paths:
            one = [get(h.port, path, hdr) for _ in range(args.r)]
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                t0 = time.perf_counter()
                list(pool.map(lambda _: get(h.port, path, hdr), range(args.r)))
                wall = time.perf_counter() - t0
            print("%-22s median %6.2f  p95 %6.2f  | 4 clients: %6.1f req/s" % (
                "/api/tips/ID" if path.startswith("/api/tips/") else path,
                statistics.median(one), sorted(one)[int(len(one) * 0.95) - 1], args.r / wall))
        reads = h.query("SELECT count(*) AS n FROM audit WHERE actor = 'api'")[0]["n"]
        print("audit rows written by the API: %d (expected %d)" % (reads, 6 * args.r))
    finally:
        h.stop()
        h.close()
        import shutil
        shutil.rmtree(h.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
