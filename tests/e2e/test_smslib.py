"""The test instruments check themselves: smslib's PDU and backup-file
encoders and decoders against known values."""
import smslib

from harness import check


def test_smslib_selftest():
    check(smslib.selftest() == 0, "smslib selftest failed")
