"""`make demo` tells one story: one clock (the ward's), each event in the
order it happened, and the HTTP side (the desk page, a Zalo OA tip from the
local fake, /healthz)."""
import datetime
import os
import re
import subprocess
import sys
import zoneinfo

from harness import BUILD, HERE, check


def test_demo_scene_in_order_on_the_wards_clock():
    before = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    p = subprocess.run([sys.executable, os.path.join(os.path.dirname(HERE), "demo.py"),
                        "--build", BUILD, "--scene-only"], capture_output=True, text=True,
                       timeout=300)
    out = p.stdout
    check(p.returncode == 0, "demo failed (%d):\n%s\n%s" % (p.returncode, out, p.stderr))
    stamps = re.findall(r"^\[(\d\d:\d\d:\d\d)\] ", out, re.M)
    check(len(stamps) > 30, out)
    # the ward's clock: the first stamp is Hà Nội's time now, not the machine's UTC
    first = datetime.datetime.strptime(stamps[0], "%H:%M:%S")
    delta = abs((first.hour * 60 + first.minute) - (before.hour * 60 + before.minute))
    check(delta <= 2 or delta >= 24 * 60 - 2, "first stamp %s, Hà Nội %s" % (stamps[0], before))
    # in the order it happened (a scene shorter than a day, not across midnight)
    if stamps[-1] >= stamps[0]:
        check(stamps == sorted(stamps), "stamps out of order:\n" + out)
    # the messages say the same clock as the stamps: the officer's notification
    # "TIN BAO MOI TB-XXXXXX HH:MM" is stamped HH:MM
    m = re.search(r"^\[(\d\d:\d\d):\d\d\] tinbaod → [^\n]*\[notify\]:\n\s+TIN BAO MOI \S+ "
                  r"(\d\d:\d\d)", out, re.M)
    check(m and m.group(1) == m.group(2), "the notification's time and its stamp differ:\n" + out)
    # a step's consequences come before the next step
    order = ["[relay_question]", "[reply]", "The citizen answers", "[relay_answer]",
             "/zalo/oa → HTTP 200", "by Zalo OA [receipt]", "closes the tip", "[closed_notice]"]
    at = [out.find(s) for s in order]
    check(all(a >= 0 for a in at) and at == sorted(at), "%r:\n%s" % (list(zip(order, at)), out))
    for want in ("/healthz → 200", "password: ", "Đã nhận: Trần Thị Bình", "chain intact",
                 "escalated from level 1 to level 2"):
        check(want in out, "%r not in the demo:\n%s" % (want, out))
    # it ends with this month's report, and says where it is
    m = re.search(r"This month's report, to print and sign: (\S+\.pdf)\n", out)
    check(m and os.path.getsize(m.group(1)) > 10000, "the report's path:\n" + out[-1500:])
    with open(m.group(1), "rb") as f:
        check(f.read(5) == b"%PDF-", "not a PDF: " + m.group(1))
