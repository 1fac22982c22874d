#!/usr/bin/env python3
"""The test side of the SMS channel (Python standard library only).

- write_dummy_sms / write_dummy_multipart: drop an incoming SMS into a gammu
  dummy modem's folder, in gammu's SMS-backup format (PDU = Deliver).
- dummy_sent: what the daemon sent through a dummy modem, read from the
  modem's gammu debug log (logformat = textall).
- fake_at_inject / fake_at_sent: the same for ../shared/tools/fake-at-modem.py
  (SMS-SUBMIT PDUs decoded from its sent.log).

Command line:
  smslib.py send DEVICE_DIR SENDER TEXT     drop one SMS into a dummy modem
  smslib.py selftest                        check the PDU decoder
"""
import os
import subprocess
import sys
import time

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                    "tools", "fake-at-modem.py")
_seq = [0]


def _free_location(folder_dir):
    taken = {int(x) for x in os.listdir(folder_dir) if x.isdigit()}
    n = 1
    while n in taken:
        n += 1
    return n


def write_dummy_sms(device_dir, sender, text, udh=None, folder=1, location=None, when=None):
    """Write one incoming SMS as DIR/sms/FOLDER/LOCATION, atomically."""
    for f in range(1, 6):
        os.makedirs(os.path.join(device_dir, "sms", str(f)), exist_ok=True)
    d = os.path.join(device_dir, "sms", str(folder))
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(when or time.time()))
    hexs = text.encode("utf-16-be").hex().upper()
    lines = ["[SMSBackup000]", 'SMSC = "+84980200030"', "PDU = Deliver",
             "DateTime = " + stamp, "State = UnRead", 'Number = "%s"' % sender,
             "Coding = Unicode_No_Compression", "Folder = %d" % folder]
    if udh:
        lines.append("UDH = " + udh)
    # gammu's backup reader joins Text00, Text01, ... (200 hex digits a line)
    for i in range(0, max(len(hexs), 1), 200):
        lines.append("Text%02d = %s" % (i // 200, hexs[i:i + 200]))
    body = "\n".join(lines) + "\n"
    _seq[0] += 1
    tmp = os.path.join(device_dir, ".tmp-%d-%d" % (os.getpid(), _seq[0]))
    with open(tmp, "w") as f:
        f.write(body)
    while True:
        loc = location or _free_location(d)
        target = os.path.join(d, str(loc))
        if not os.path.exists(target):
            os.rename(tmp, target)
            return target
        if location:
            raise FileExistsError(target)


def write_dummy_multipart(device_dir, sender, parts, ref):
    """Write each part of a concatenated SMS (8-bit reference `ref`)."""
    return [write_dummy_sms(device_dir, sender, t,
                            udh="050003%02X%02X%02X" % (ref, len(parts), i + 1))
            for i, t in enumerate(parts)]


def _hexdump_bytes(lines):
    out = bytearray()
    for line in lines:
        for cell in line.split("|")[:16]:
            cell = cell.strip()
            if len(cell) >= 2:
                try:
                    out.append(int(cell[:2], 16))
                except ValueError:
                    pass
    return bytes(out)


def _join(parts):
    """Join concatenated parts (same recipient and UDH reference) into messages."""
    msgs, groups = [], {}
    for p in parts:
        udh = p.get("udh") or b""
        if len(udh) >= 6 and udh[1] == 0x00:
            key = (p["number"], udh[3], udh[4])
            groups.setdefault(key, {})[udh[5]] = p
            g = groups[key]
            if len(g) == udh[4]:
                first = g[1]
                msgs.append({"number": p["number"], "coding": first["coding"],
                             "text": "".join(g[i]["text"] for i in sorted(g)),
                             "parts": udh[4], "udh": udh.hex()})
                del groups[key]
        else:
            msgs.append({"number": p["number"], "coding": p["coding"], "text": p["text"],
                         "parts": 1, "udh": udh.hex()})
    for g in groups.values():       # incomplete: report what there is
        first = g[min(g)]
        msgs.append({"number": first["number"], "coding": first["coding"],
                     "text": "".join(g[i]["text"] for i in sorted(g)), "parts": len(g),
                     "udh": (first.get("udh") or b"").hex(), "incomplete": True})
    return msgs


def dummy_sent(logfile):
    """Messages sent through a dummy modem, from its textall gammu log."""
    try:
        lines = open(logfile, encoding="utf-8", errors="replace").read().split("\n")
    except FileNotFoundError:
        return []
    parts, i = [], 0
    while i < len(lines):
        if lines[i].strip() != "SMS Submit":
            i += 1
            continue
        p = {"number": None, "coding": None, "text": "", "udh": b""}
        i += 1
        while i < len(lines) and not lines[i].startswith("Leaving GSM_SendSMS"):
            line = lines[i]
            if line.startswith("Recipient number"):
                p["number"] = line.split('"')[1]
            elif line.startswith("UDH, length"):
                dump = []
                i += 2
                while i < len(lines) and "|" in lines[i]:
                    dump.append(lines[i])
                    i += 1
                p["udh"] = _hexdump_bytes(dump)
                continue
            elif line.startswith("Unicode SMS, length"):
                dump = []
                i += 2
                while i < len(lines) and "|" in lines[i]:
                    dump.append(lines[i])
                    i += 1
                p["coding"] = "Unicode_No_Compression"
                p["text"] = _hexdump_bytes(dump).decode("utf-16-be", errors="replace")
                continue
            elif line.startswith("7 bit SMS, length"):
                p["coding"] = "Default_No_Compression"
                p["text"] = lines[i + 1] if i + 1 < len(lines) else ""
                i += 2
                continue
            i += 1
        if p["number"]:
            parts.append(p)
    return _join(parts)


# ------------------------------------------------------------ fake AT modem

def fake_at_inject(spool, sender, text, part=None):
    args = [sys.executable, FAKE, "inject", spool, sender, text]
    if part:
        args += [str(x) for x in part]
    subprocess.run(args, check=True)


GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


def _bcd_number(digits_hex, ndigits):
    s = ""
    for i in range(0, len(digits_hex), 2):
        s += digits_hex[i + 1] + digits_hex[i]
    return s[:ndigits].rstrip("F")


def decode_submit(pdu):
    """Decode an SMS-SUBMIT PDU (with SCA) into number, coding, udh, text."""
    b = bytes.fromhex(pdu)
    i = 1 + b[0]                      # skip SCA
    first = b[i]
    i += 1
    i += 1                            # TP-MR
    ndig = b[i]
    toa = b[i + 1]
    nbytes = (ndig + 1) // 2
    number = _bcd_number(b[i + 2:i + 2 + nbytes].hex().upper(), ndig)
    if toa == 0x91:
        number = "+" + number
    i += 2 + nbytes
    i += 1                            # PID
    dcs = b[i]
    i += 1
    vpf = (first >> 3) & 3
    i += {0: 0, 1: 7, 2: 1, 3: 7}[vpf]
    udl = b[i]
    i += 1
    ud = b[i:]
    udhi = bool(first & 0x40)
    udh = b""
    if udhi:
        udh = ud[:ud[0] + 1]
    ucs2 = (dcs & 0x0C) == 0x08
    if ucs2:
        text = ud[len(udh):udl].decode("utf-16-be", errors="replace")
        coding = "Unicode_No_Compression"
    else:
        coding = "Default_No_Compression"
        bits = int.from_bytes(ud, "little")
        skip = (len(udh) * 8 + 6) // 7 if udh else 0
        chars = []
        for k in range(skip, udl):
            chars.append(GSM7[(bits >> (7 * k)) & 0x7F])
        text = "".join(chars)
    return {"number": number, "coding": coding, "udh": udh, "text": text}


def fake_at_sent(spool):
    try:
        lines = open(os.path.join(spool, "sent.log")).read().splitlines()
    except FileNotFoundError:
        return []
    parts = []
    for line in lines:
        if "pdu=" in line:
            parts.append(decode_submit(line.split("pdu=", 1)[1].strip()))
    return _join(parts)


def selftest():
    ucs2 = ("07914889200030F051000B914809214365F70008FF0C050003010201"
            "00430068006F")
    d = decode_submit(ucs2)
    assert d["number"] == "+84901234567", d
    assert d["udh"].hex() == "050003010201", d
    assert d["text"] == "Cho", d
    # GSM-7 "hello" to +84900000001, no UDH
    d = decode_submit("001100" "0B914809000000F1" "0000FF" "05E8329BFD06")
    assert d["number"] == "+84900000001", d
    assert d["text"] == "hello", d
    print("smslib selftest ok")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "send":
        print(write_dummy_sms(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif len(sys.argv) == 2 and sys.argv[1] == "selftest":
        selftest()
    else:
        sys.exit(__doc__)
