"""Storage faults under the real tinbaod: the database locked by another
process, made read-only, and the disk full. While the fault lasts a webhook
gets 503 (Zalo sends it again) instead of a 200 that could not be kept, an
SMS stays on the modem, and the fault is logged once, not once per request.
When it clears, the retried webhook is admitted once and the SMS too.

Read-only: root ignores file modes, so the files are made immutable
(chattr +i), which refuses writes even through descriptors already open.
Disk full: the database lives on a small tmpfs that a filler file fills.
Both need root in CI; where the kernel or the container refuses, the test
says so and fails rather than pretend."""
import os
import re
import subprocess
import tempfile
import time

from harness import Tinbao, check, citizen, wait_for, zalo_user

WEBHOOKS = 3


def fault_lines(log):
    """Warning and error lines, without their timestamps."""
    out = []
    for line in log.splitlines():
        m = re.match(r"^\S+ \S+ tinbaod (warning|error|crit) (.*)$", line)
        if m:
            out.append(m.group(2))
    return out


def storage_fault(name, begin, end, gateway=None, setup=None):
    h = Tinbao(name, http=True, gateway=gateway)
    if setup:
        setup(h)
    h.full_roster()
    h.start()
    try:
        who = zalo_user()
        check(h.post_oa(h.oa_event(who, "Trước sự cố", msg_id="before%s" % name))[0] == 200,
              "the first webhook")
        h.wait_tips(1)
        time.sleep(1)              # the router and senders settle before the fault
        mark = len(h.log())
        begin(h)
        try:
            sms = h.sms_in(citizen(), "Tin nhắn SMS gửi khi ổ đĩa lỗi")
            body = h.oa_event(who, "Có cháy nhỏ ở tổ 4", msg_id="during%s" % name)
            answers = [h.post_oa(body)[0] for _ in range(WEBHOOKS)]
            check(answers == [503] * WEBHOOKS, "answers during the fault: %r" % answers)
            time.sleep(3)          # several modem polls
            check(os.path.exists(sms), "the SMS left the modem while it could not be stored")
            check(h.proc.poll() is None, "tinbaod died:\n" + h.log()[-2000:])
            status, health = h.http("GET", "/healthz")
            check(status == 503, "/healthz during the fault: %s %r" % (status, health))
            during = fault_lines(h.log()[mark:])
        finally:
            end(h)
        # recovery: Zalo's retry is admitted once, the SMS is read and deleted
        status, _ = h.post_oa(body)
        check(status == 200, "the retried webhook after the fault: %s" % status)
        wait_for(lambda: not os.path.exists(sms), what="the SMS read after the fault")
        rows = h.query("SELECT channel, channel_msg_id FROM inbound ORDER BY id")
        check(len([r for r in rows if r["channel_msg_id"] == "during%s" % name]) == 1,
              "the retried webhook is not one row: %r" % rows)
        check(len([r for r in rows if r["channel"] == "sms"]) == 1, "SMS rows: %r" % rows)
        wait_for(lambda: "committed again" in h.log()[mark:], what="recovery logged")
        # one line per condition: the writer says it once, however many requests
        writer = [l for l in during if l.startswith("writer:")]
        check(len(writer) == 1, "writer lines during the fault: %r" % writer)
        repeated = sorted({l for l in during if during.count(l) > 1})
        check(not repeated, "lines repeated during the fault: %r" % repeated)
        check(len(during) <= 6, "%d warning/error lines during the fault: %r" % (len(during),
                                                                              during))
        wait_for(lambda: h.http("GET", "/healthz")[0] == 200, what="healthy again")
        print("storage %s: %d lines logged during the fault: %r" % (name, len(during), during))
    finally:
        h.stop()


def test_database_locked_by_another_process():
    holder = {}

    def begin(h):
        p = subprocess.Popen(["sqlite3", h.db], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        p.stdin.write("BEGIN EXCLUSIVE;\nINSERT INTO counters VALUES ('lock-test', 1);\n"
                      "SELECT 'locked';\n")
        p.stdin.flush()
        check(p.stdout.readline().strip() == "locked", "sqlite3 did not take the lock")
        holder["p"] = p

    def end(h):
        p = holder["p"]
        p.stdin.write("ROLLBACK;\n.quit\n")
        p.stdin.close()
        p.wait(timeout=10)

    storage_fault("locked", begin, end)


def _chattr(flag, paths):
    for p in paths:
        if os.path.exists(p):
            r = subprocess.run(["chattr", flag, p], capture_output=True, text=True)
            check(r.returncode == 0, "chattr %s %s: %s (needs root on ext4/xfs/tmpfs)" % (
                flag, p, r.stderr.strip()))


def test_database_read_only():
    files = lambda h: [h.db, h.db + "-wal"]
    storage_fault("readonly", lambda h: _chattr("+i", files(h)),
                  lambda h: _chattr("-i", files(h)))


def test_disk_full():
    mnt = tempfile.mkdtemp(prefix="tinbao-full-")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tinbao-full", mnt],
                       capture_output=True, text=True)
    check(r.returncode == 0, "cannot mount a tmpfs for the disk-full test (needs root): %s"
          % r.stderr.strip())
    filler = os.path.join(mnt, "filler")

    def setup(h):
        h.db = os.path.join(mnt, "tinbao.db")

    def begin(h):
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\1" * 65536) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(fd)

    def end(h):
        os.unlink(filler)

    try:
        storage_fault("full", begin, end, gateway={"database": os.path.join(mnt, "tinbao.db")},
                      setup=setup)
    finally:
        subprocess.run(["umount", "-l", mnt])
        os.rmdir(mnt)
