"""The daemon as an administrator runs it: reload, stop, bad starts."""
import os
import signal
import subprocess

from harness import BUILD, Tinbao, check, citizen, wait_for


def test_sighup_reloads_the_configuration():
    h = Tinbao("reload")
    h.full_roster()
    h.start()
    try:
        h.sms_in(citizen(), "Có trộm ở chợ")
        first = wait_for(lambda: h.to_citizens("receipt"), what="first receipt")
        check("Phường Thạch Khôi" in first[0]["text"], first[0]["text"])
        conf = open(h.conf).read().replace("Phường Thạch Khôi", "Phường Bến Thành")
        with open(h.conf, "w") as f:
            f.write(conf)
        h.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "reloading" in h.log(), what="reload logged")
        h.sms_in(citizen(), "Có cờ bạc ở tổ 5")
        second = wait_for(lambda: (lambda r: r if len(r) >= 2 else None)(h.to_citizens("receipt")),
                          what="second receipt")
        check("Phường Bến Thành" in second[1]["text"], second[1]["text"])
        # a broken configuration is refused and the old one stays
        with open(h.conf, "a") as f:
            f.write("[gateway]\nnonsense = 1\n")
        h.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "keeping the old one" in h.log(), what="bad reload refused")
        check(h.proc.poll() is None, "tinbaod died on a bad reload")
    finally:
        h.stop()


def test_missing_key_is_a_clear_error():
    h = Tinbao("nokey")
    os.unlink(h.key)
    p = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf], capture_output=True,
                       text=True, timeout=30)
    check(p.returncode == 1, "exit %d" % p.returncode)
    check("tinbao key init" in p.stderr, p.stderr)
    p = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 1 and "key_file" in p.stderr, p.stderr)


def test_check_config_accepts_a_good_file():
    h = Tinbao("goodconf")
    p = subprocess.run([os.path.join(BUILD, "tinbaod"), "-c", h.conf, "--check-config"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0 and "good" in p.stdout, p.stdout + p.stderr)
