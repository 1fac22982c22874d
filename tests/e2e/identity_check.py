"""The identity check: no citizen number used by any end-to-end test may
appear in a daemon log, a `tinbao` output, a message to an officer, or the
database file read raw. (gammu's own debug log is the modem's wire trace and
necessarily holds the numbers it dials; it is a test instrument, not a log
of tinbao's, and production configs leave `logfile` unset.)"""
import glob
import os

import harness


def forms(number):
    digits = number.lstrip("+")
    local = "0" + digits[2:] if digits.startswith("84") else digits
    return {number, digits, local}


def no_citizen_identity_anywhere():
    numbers = list(harness.CITIZENS)
    harness.check(numbers, "no citizen numbers were used, nothing to check")
    places = list(harness.ARTIFACTS)
    for inst in harness.INSTANCES:
        places.append(("log of %s" % inst.name, inst.log()))
        if os.path.exists(inst.db):
            try:
                for r in inst.outbox("o.officer_id IS NOT NULL"):
                    places.append(("officer message %s/%s" % (inst.name, r["id"]), r["text"]))
            except Exception:
                pass
            for f in glob.glob(inst.db + "*"):
                with open(f, "rb") as fh:
                    places.append(("database file %s" % f, fh.read().decode("latin-1")))
    hits = []
    for label, text in places:
        for n in numbers:
            for form in forms(n):
                if form in text:
                    hits.append("%s contains %s" % (label, form))
    harness.check(not hits, "citizen identity leaked:\n  " + "\n  ".join(hits[:20]))
    return len(places)
