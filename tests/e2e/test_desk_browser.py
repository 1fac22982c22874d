"""The duty-desk console and the month's report in a real browser: Debian's
chromium, headless, loads GET / and GET /report from the real tinbaod with
tips in several states (new and paged at level 1, urgent and escalated to
level 2, acknowledged, closed), and the rendered DOM must show the tracking
IDs, who is being paged, the status strip and today's share; the
screenshot must be a PNG of the window's size that is not blank.

TINBAO_DESK_SCREENSHOT=FILE keeps the console's screenshot (doc/desk.png is
one)."""
import base64
import datetime
import os
import sys
import re
import shutil
import struct
import subprocess
import tempfile
import time
import zlib

from harness import (ARTIFACTS, OFFICERS, Tinbao, _lock, check, citizen, wait_for)

TOKEN = "desk-browser-token-0123456789"
DUTY, BACKUP = OFFICERS["duty"][1], OFFICERS["backup"][1]
ZONE = datetime.timezone(datetime.timedelta(hours=7))
WINDOW = (1366, 900)


def chromium(*args, timeout=90):
    """Runs headless chromium with a fresh profile; (stdout, stderr)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    check(exe, "chromium is not installed (deploy/install-deps.sh installs it)")
    profile = tempfile.mkdtemp(prefix="tinbao-chromium-")
    try:
        p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            "--user-data-dir=" + profile, "--lang=vi"] + list(args),
                           capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return p.stdout, p.stderr


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", path + " is not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", chunk[:10])
            check(depth == 8 and ctype in (2, 6), "PNG depth %d type %d" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def not_blank(path, size):
    w, h, bpp, rows = png_pixels(path)
    check((w, h) == size, "screenshot is %dx%d, wanted %dx%d" % (w, h, size[0], size[1]))
    colors, inked = set(), 0
    for y in range(0, h, 3):
        row = rows[y]
        for x in range(0, w, 3):
            px = row[x * bpp:x * bpp + 3]
            colors.add(px)
            inked += px != b"\xff\xff\xff"
    check(len(colors) > 50 and inked > (w // 3) * (h // 3) // 20,
          "the screenshot looks blank: %d colours, %d inked samples" % (len(colors), inked))
    return colors


def away_from_midnight():
    """'Today' on the page is the ward's day: do not straddle its midnight."""
    now = datetime.datetime.now(ZONE)
    left = (24 * 3600) - (now.hour * 3600 + now.minute * 60 + now.second)
    if left < 180:
        time.sleep(left + 2)


def fake_api(bot_token):
    """The local fake of Zalo's APIs (tests/fakes/fake_zalo.py), started."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
    from fake_zalo import FakeZalo
    fake = FakeZalo(bot_token)
    fake.start()
    return fake


def test_desk_console_and_report_in_chromium():
    away_from_midnight()
    fake = fake_api("12345689:desk-xyz")
    h = Tinbao("deskbrowser", http=True, admin_token=TOKEN, bot_api=fake,
               escalation={"ack_deadline": "10m", "level_deadline": "10m",
                           "urgent_deadline": "3s"})
    for key in ("duty", "backup", "chief"):        # nobody on level 3
        h.add_officer(key)
    h.add_officer("leader", always=False)
    h.start()
    try:
        texts = {
            "urgent": "Cháy nhà ở hẻm 5 đường Nguyễn Du, có người mắc kẹt",
            "new": "Có người lạ cạy khóa xe máy ở hẻm 4 <b>đêm qua</b>",
            "acked": "Nhóm thanh niên tụ tập đua xe trên đường Trần Phú",
            "closed": "Có người bán ma túy ở hẻm 12 đường Lê Lợi",
        }
        h.sms_in(citizen(), texts["urgent"])
        ids = {}
        wait_for(lambda: [t for t in h.tips() if t["level"] >= 2], what="the urgent tip escalated")
        for k in ("new", "acked", "closed"):
            h.sms_in(citizen(), texts[k])
        tips = h.wait_tips(4)
        for t in tips:
            for k, text in texts.items():
                if t["text"] == text:
                    ids[k] = t["id"]
        check(len(ids) == 4, repr(tips))
        h.cli("ack", ids["acked"], "--officer", DUTY)
        h.cli("ack", ids["closed"], "--officer", DUTY)
        h.cli("close", ids["closed"], "--officer", DUTY, "--note", "Đã xác minh")
        check(h.tip(ids["urgent"])["level"] == 2 and h.tip(ids["new"])["level"] == 1,
              "levels: %r" % [(t["id"], t["level"]) for t in h.tips()])

        base = "http://127.0.0.1:%d" % h.port
        auth = "http://trucban:%s@127.0.0.1:%d" % (TOKEN, h.port)
        # the console: its DOM as chromium built it
        dom, err = chromium("--dump-dom", "--window-size=%d,%d" % WINDOW, auth + "/")
        with _lock:
            ARTIFACTS.append(("chromium --dump-dom / (deskbrowser)", dom))
        check("<html" in dom, "no DOM from chromium: %s" % err[-2000:])
        for k, tid in ids.items():
            check(tid in dom, "%s (%s) not on the console" % (tid, k))
        opened = dom[dom.index('<table id="open">'):]
        opened = opened[:opened.index("</table>")]
        check(ids["closed"] not in opened and ids["closed"] in dom[dom.index('id="closed"'):],
              "the closed tip belongs below, closed today")
        acked_today = dom[dom.index('<table id="acked">'):]
        check(ids["acked"] in acked_today[:acked_today.index("</table>")], "acknowledged today")

        def row(tid):
            m = re.search(r'<tr class="tip" id="tip-%s">(.*?)</tr>' % re.escape(tid), dom, re.S)
            check(m, "no row for " + tid)
            return m.group(1)
        paged = re.search(r'<td class="paged">(.*?)</td>', row(ids["new"]), re.S)
        check(paged and OFFICERS["duty"][0] in paged.group(1), "who is paged for the new tip: "
              + row(ids["new"]))
        paged = re.search(r'<td class="paged">(.*?)</td>', row(ids["urgent"]), re.S)
        check(paged and OFFICERS["backup"][0] in paged.group(1) and
              OFFICERS["duty"][0] not in paged.group(1), "who is paged at level 2: "
              + row(ids["urgent"]))
        check("KHẨN" in row(ids["urgent"]) and "cấp 2" in row(ids["urgent"]), "urgent, level 2")
        check("còn " in row(ids["new"]) and "chuyển cấp lúc" in row(ids["new"]), "countdown")
        check("cháy, nổ" in row(ids["urgent"]), "readable category")
        check("&lt;b&gt;đêm qua&lt;/b&gt;" in row(ids["new"]), "tip text escaped")
        strip = dom[dom.index('<section id="status"'):]
        strip = strip[:strip.index("</section>")]
        for want in ("SMS sim1: đã kết nối", "Hàng đợi gửi", "Đang trực:",
                     OFFICERS["duty"][0], "cấp 3 <b>không có ai</b>", "Cơ sở dữ liệu: ghi được",
                     "Zalo Bot: hoạt động", "Zalo OA: nhận tin"):
            check(want in strip, "%r not in the status strip: %s" % (want, strip))
        check('id="share"' in dom and "Hôm nay:" in dom, "today's share")
        month = datetime.datetime.now(ZONE).strftime("%Y-%m")
        check('href="/report?month=%s"' % month in dom, "the link to this month's report")
        check("<script" not in dom, "a script on the console")

        # a reload shows the same: one row on the audit trail, counting two
        # reads, by the name typed at the login
        chromium("--dump-dom", auth + "/")
        reads = [e for e in h.cli_json("audit", "list") if e["action"] == "tip.read"
                 and (e["detail"] or "").startswith("GET / ")]
        check(len(reads) == 1 and reads[0]["reads"] == 2 and reads[0]["officer"] == "trucban"
              and reads[0]["actor"] == "desk page", "the reload on the audit trail: %r" % reads)

        # the screenshot
        shot = os.path.join(h.dir, "desk.png")
        chromium("--screenshot=" + shot, "--window-size=%d,%d" % WINDOW,
                 "--hide-scrollbars", auth + "/")
        not_blank(shot, WINDOW)
        keep = os.environ.get("TINBAO_DESK_SCREENSHOT")
        if keep:
            shutil.copyfile(shot, keep)

        # the month's report, linked from the console, with the same login
        dom, err = chromium("--dump-dom", auth + "/report?month=" + month)
        with _lock:
            ARTIFACTS.append(("chromium --dump-dom /report (deskbrowser)", dom))
        for want in ("BÁO CÁO TIẾP NHẬN VÀ XỬ LÝ TIN BÁO", 'id="headline"', "<svg",
                     "PHƯỜNG THẠCH KHÔI", "TRƯỞNG CÔNG AN PHƯỜNG"):
            check(want in dom, "%r not in the report: %s" % (want, dom[:1500]))
        check(len(re.findall(r"<svg", dom)) == 4, "four charts")
        shot = os.path.join(h.dir, "report.png")
        chromium("--screenshot=" + shot, "--window-size=1000,1400", auth + "/report?month=" + month)
        not_blank(shot, (1000, 1400))
        # without the login, nothing
        dom, _ = chromium("--dump-dom", base + "/report?month=" + month)
        check("BÁO CÁO" not in dom and ids["new"] not in dom, "the report without a login")
        status, text = h.http("GET", "/report?month=2026-13", headers={
            "Authorization": "Basic " + base64.b64encode(("x:" + TOKEN).encode()).decode()})
        check(status == 400, "a bad month: %d" % status)
        reads = [e for e in h.cli_json("audit", "list") if e["action"] == "tip.read"
                 and (e["detail"] or "").startswith("GET /report?month=" + month)]
        check(len(reads) == 1 and reads[0]["reads"] == 2 and ids["new"] not in reads[0]["detail"],
              "the report's reads on the audit trail: %r" % reads)
    finally:
        h.stop()
        fake.stop()
