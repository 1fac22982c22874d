#!/usr/bin/env python3
"""Runs the end-to-end tests (tests/e2e/test_*.py, functions test_*), a few at
a time, then the identity check over everything they produced. Prints one
line per test and ends with "N passed, N failed".

  run.py [--build DIR] [-k SUBSTRING] [-j JOBS]
"""
import argparse
import concurrent.futures
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=None)
    ap.add_argument("-k", default="")
    ap.add_argument("-j", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep temporary directories")
    args = ap.parse_args()
    if args.build:
        os.environ["TINBAO_BUILD"] = os.path.abspath(args.build)
    import harness
    import identity_check

    tests = []
    for fn in sorted(os.listdir(HERE)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fn[:-3], os.path.join(HERE, fn))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for name in sorted(dir(mod)):
            if name.startswith("test_") and callable(getattr(mod, name)):
                full = "%s.%s" % (fn[:-3], name)
                if args.k in full:
                    tests.append((full, getattr(mod, name)))

    results = {}

    def run(item):
        full, fn = item
        start = time.time()
        try:
            fn()
            return full, True, "", time.time() - start
        except Exception as e:  # a test's failure, reported with its trace
            return full, False, "".join(traceback.format_exception(e)), time.time() - start

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        for full, ok, why, secs in pool.map(run, tests):
            results[full] = ok
            print("%s %s (%.1fs)" % ("ok  " if ok else "FAIL", full, secs), flush=True)
            if not ok:
                print(why, flush=True)

    if not args.k or "identity" in args.k:
        full, ok, why, secs = run(("identity_check.no_citizen_identity_anywhere",
                                   identity_check.no_citizen_identity_anywhere))
        results[full] = ok
        print("%s %s (%.1fs)" % ("ok  " if ok else "FAIL", full, secs), flush=True)
        if not ok:
            print(why, flush=True)

    for inst in harness.INSTANCES:
        inst.close()
        if not args.keep and all(results.values()):
            import shutil
            shutil.rmtree(inst.dir, ignore_errors=True)
    passed = sum(1 for v in results.values() if v)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
