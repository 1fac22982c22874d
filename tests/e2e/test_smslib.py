"""The test instruments check themselves: smslib's PDU and backup-file
encoders and decoders against known values."""
import os
import subprocess
import sys

from harness import check


def test_smslib_selftest():
    here = os.path.dirname(os.path.abspath(__file__))
    p = subprocess.run([sys.executable, os.path.join(here, "smslib.py"), "selftest"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and "ok" in p.stdout, "smslib selftest: %s%s" % (p.stdout, p.stderr))
