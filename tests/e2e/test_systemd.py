"""tinbaod under systemd's notify protocol, without systemd: NOTIFY_SOCKET is
a datagram socket this test reads, WATCHDOG_USEC is set the way systemd sets
it for WatchdogSec=. READY=1 must come only once the listener answers and the
database exists; WATCHDOG=1 must keep coming while every thread reports in,
and stop when one thread stops (frozen from outside with ptrace, the way a
debugger stops one thread of a running process — no hook in the daemon)."""
import ctypes
import os
import socket
import threading
import time

from harness import Tinbao, check, citizen, wait_for

PTRACE_DETACH = 17
PTRACE_SEIZE = 0x4206
PTRACE_INTERRUPT = 0x4207
WALL = 0x40000000


class NotifySocket:
    """Collects (time, message) of every datagram tinbaod sends."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.messages = []
        self.lock = threading.Lock()
        self.stop = False
        self.on_ready = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                data = self.sock.recv(4096).decode()
            except socket.timeout:
                continue
            now = time.monotonic()
            for line in data.split("\n"):
                if line:
                    if line == "READY=1" and self.on_ready:
                        self.on_ready()
                    with self.lock:
                        self.messages.append((now, line))

    def times(self, msg):
        with self.lock:
            return [t for t, m in self.messages if m == msg]

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    libc.ptrace.restype = ctypes.c_long
    return libc


def _thread_named(pid, name):
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
            if f.read().strip() == name:
                return int(tid)
    return None


def test_ready_and_watchdog_pings_stop_when_a_thread_is_stuck():
    h = Tinbao("notify", http=True)
    h.full_roster()
    ns = NotifySocket(os.path.join(h.dir, "notify.sock"))
    at_ready = {}

    def on_ready():
        # at READY=1 the database and the listener must already be there
        at_ready["db"] = os.path.exists(h.db)
        try:
            at_ready["health"] = h.http("GET", "/healthz")[0]
        except OSError as e:
            at_ready["health"] = repr(e)

    ns.on_ready = on_ready
    libc = _libc()
    try:
        h.start(env={"NOTIFY_SOCKET": ns.path, "WATCHDOG_USEC": "2000000"})
        wait_for(lambda: ns.times("READY=1"), what="READY=1")
        wait_for(lambda: "health" in at_ready, what="the check made at READY=1")
        check(at_ready == {"db": True, "health": 200}, "at READY=1: %r" % at_ready)
        # pings come while everything runs, and tips still flow
        wait_for(lambda: len(ns.times("WATCHDOG=1")) >= 4, timeout=15, what="4 watchdog pings")
        h.sms_in(citizen(), "Có người lạ cạy cửa nhà số 5")
        wait_for(lambda: h.to_citizens("receipt"), what="a receipt while pinging")

        # freeze the writer thread only; the rest of the process runs on
        tid = _thread_named(h.proc.pid, "tb-writer")
        check(tid is not None, "no thread named tb-writer")
        check(libc.ptrace(PTRACE_SEIZE, tid, None, None) == 0,
              "ptrace seize: errno %d" % ctypes.get_errno())
        check(libc.ptrace(PTRACE_INTERRUPT, tid, None, None) == 0, "ptrace interrupt")
        os.waitpid(tid, WALL)
        frozen_at = time.monotonic()
        try:
            # the writer's bound is 20 s; then the pings stop for as long as it stays stuck
            wait_for(lambda: "thread writer has not reported" in h.log(), timeout=40,
                     what="the stuck writer noticed")
            stopped_at = time.monotonic()
            time.sleep(3)
            late = [t for t in ns.times("WATCHDOG=1") if t > stopped_at]
            check(not late, "%d watchdog pings while the writer was stuck" % len(late))
            check(h.proc.poll() is None, "tinbaod died")
            check(stopped_at - frozen_at >= 15, "writer called stuck after only %.1f s" % (
                stopped_at - frozen_at))
        finally:
            libc.ptrace(PTRACE_DETACH, tid, None, 0)
        # it runs again: the pings resume
        thawed = time.monotonic()
        wait_for(lambda: [t for t in ns.times("WATCHDOG=1") if t > thawed], timeout=10,
                 what="pings after the writer runs again")
        check("watchdog pings resume" in h.log(), "recovery not logged")
        h.stop()
        check(ns.times("STOPPING=1"), "no STOPPING=1 at SIGTERM")
    finally:
        h.close()
        ns.close()
