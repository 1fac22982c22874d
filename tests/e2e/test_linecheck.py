"""Checking the line works: `tinbao test` queues a test message that tinbaod
sends (never the command itself) and says when the channel took it;
`tinbao modem status` asks the running daemon on its admin socket."""
import os
import socket

from harness import OFFICERS, Tinbao, check, wait_for


def test_modem_status_through_the_admin_socket():
    h = Tinbao("linecheck")
    h.full_roster()
    an = OFFICERS["duty"][1]
    # tinbaod not running: both say so; nothing is queued
    p = h.cli("modem", "status", expect=1)
    check("tinbaod does not answer" in p.stderr and "running" in p.stderr, p.stderr)
    h.start()
    try:
        wait_for(lambda: h.cli_json("modem", "status")[0]["connected"], what="modem up")
        st = h.cli_json("modem", "status")[0]
        check(st["name"] == "sim1" and st["sim"] and st["model"] and st["last_error"] is None
              and st["connected_since"].endswith("+07:00"), repr(st))
        text = h.cli("modem", "status").stdout
        check("modem sim1: connected since" in text and "SIM " in text and "signal" in text,
              text)
        # the admin socket: mode 0660, one request a connection, bounded
        sock = h.conf.replace("tinbao.conf", "tinbaod.sock")
        check(oct(os.stat(sock).st_mode & 0o777) == "0o660", "socket mode")
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock)
            s.sendall(b"x" * 200)
            check(b"error" in s.recv(4096), "an overlong request is refused")
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock)
            s.sendall(b"shutdown\n")
            check(b"unknown request" in s.recv(4096), "only known requests")
    finally:
        h.stop()
    check(not os.path.exists(sock), "the socket file is removed on stop")
