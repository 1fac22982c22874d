#!/usr/bin/env python3
"""The test side of the SMS channel (Python standard library only).

Dummy modem (gammu `connection = none`, a directory as the "phone"):
- write_dummy_sms / write_dummy_multipart: drop an incoming SMS into
  DIR/sms/<folder>/<location> in gammu's SMS-backup format (PDU = Deliver),
  atomically, while the daemon runs.
- dummy_sent: what the daemon sent, read from the modem's gammu debug log
  (`logfile = ...`, `logformat = textall`). The dummy driver writes nothing
  else anywhere. What that log holds, for each GSM_SendSMS:

      Entering GSM_SendSMS
      SMS Submit
      Recipient number "+84901234567"
      ...
      UDH, length 6                      (only with a UDH)
      <empty line>
      05 |00 |03 |42B|02 |01             (hex dump, 16 bytes a line)
      Unicode SMS, length 67             (UCS-2: characters; then a hex dump
      <empty line>                        of the UTF-16BE user data, exact,
      00 |43C|1E |A3 |00 |6Dm|...         then the text again, lossy)
      C?m ?n b?n ...
      Leaving GSM_SendSMS

  A GSM-7 part has no dump: "7 bit SMS, length <octets>, <septets>" and then
  the text as gammu prints it with the daemon's locale (the C locale: every
  non-ASCII character becomes "?"). So GSM-7 text is exact only for ASCII
  (which is all unaccented texts are); such parts say exact=False when a "?"
  could stand for something else, and log_form() gives the form to compare
  with. The log is truncated each time the modem (re)connects.

Fake AT modem (../shared/tools/fake-at-modem.py on a pty):
- fake_at_inject: an incoming SMS through the tool's inject mode.
- fake_at_sent: every SMS-SUBMIT PDU the daemon wrote (sent.log), decoded.

Sent messages come back joined by concatenation reference, as dicts:
  number, text, coding ("Default_No_Compression", "Unicode_No_Compression",
  "8bit"), udh (hex of the first part's UDH, "" for none), parts (how many
  the message announced), part (the part numbers seen), exact, and
  incomplete=True when a part is missing. The *_parts() variants return the
  parts unjoined (part and parts as numbers).

Command line:
  smslib.py send DEVICE_DIR SENDER TEXT     drop one SMS into a dummy modem
  smslib.py sent GAMMU_LOG                  print what a dummy modem sent
  smslib.py at-sent SPOOL                   print what the fake AT modem sent
  smslib.py selftest                        check the encoders and decoders
"""
import json
import os
import subprocess
import sys
import threading
import time

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                    "tools", "fake-at-modem.py")

CODING_GSM7 = "Default_No_Compression"
CODING_UCS2 = "Unicode_No_Compression"
CODING_8BIT = "8bit"

# ------------------------------------------------------------ dummy modem

DUMMY_MAX_LOCATION = 9999       # gammu: location + folder * 10000
BACKUP_MAX_UNITS = 160          # gammu cuts a backup's text past this, silently
BACKUP_HEX_PER_LINE = 200       # gammu's own writer: Text00, Text01, ... 200 hex each
SMSC = "+84980200030"

_lock = threading.Lock()
_seq = [0]
_stamps = {}                    # (device, sender, text) -> SMSC seconds used


def _check_number(sender):
    if not sender or len(sender) > 40 or any(c in sender for c in '"\r\n\\'):
        raise ValueError("sender %r cannot go into a backup file" % (sender,))


def _check_udh(udh):
    if udh is None:
        return None
    udh = udh.replace(" ", "").upper()
    if not udh or len(udh) % 2 or any(c not in "0123456789ABCDEF" for c in udh):
        raise ValueError("UDH %r is not hex" % (udh,))
    if int(udh[:2], 16) != len(udh) // 2 - 1:
        raise ValueError("UDH %r: its length octet says %d" % (udh, int(udh[:2], 16)))
    return udh


def _stamp(device_dir, sender, text, when):
    """The SMSC time: `when` (unix seconds) if given; otherwise now, made
    later by whole seconds when this sender already sent this very text in
    that second (a real SMSC stamps every message; without this, two equal
    texts written in one second would be one message to the daemon)."""
    if when is not None:
        return int(when)
    t = int(time.time())
    key = (os.path.abspath(device_dir), sender, text)
    with _lock:
        used = _stamps.setdefault(key, set())
        while t in used:
            t += 1
        used.add(t)
    return t


def backup_text(sender, text, udh=None, folder=1, when=None, smsc=SMSC):
    """One incoming SMS as a gammu SMS-backup file (str)."""
    _check_number(sender)
    udh = _check_udh(udh)
    units = len(text.encode("utf-16-be")) // 2
    if units > BACKUP_MAX_UNITS:
        raise ValueError("%d UTF-16 units: gammu would cut the text at %d" % (
            units, BACKUP_MAX_UNITS))
    hexs = text.encode("utf-16-be").hex().upper()
    lines = ["[SMSBackup000]", 'SMSC = "%s"' % smsc, "PDU = Deliver",
             "DateTime = " + time.strftime("%Y%m%dT%H%M%S", time.gmtime(when or 0)),
             "State = UnRead", 'Number = "%s"' % sender, "Coding = Unicode_No_Compression",
             "Folder = %d" % folder]
    if udh:
        lines.append("UDH = " + udh)
    for i in range(0, max(len(hexs), 1), BACKUP_HEX_PER_LINE):
        lines.append("Text%02d = %s" % (i // BACKUP_HEX_PER_LINE,
                                         hexs[i:i + BACKUP_HEX_PER_LINE]))
    return "\n".join(lines) + "\n"


def write_dummy_sms(device_dir, sender, text, udh=None, folder=1, location=None, when=None):
    """Write one incoming SMS as DEVICE_DIR/sms/FOLDER/LOCATION, atomically
    (written under a temporary name, then linked into place, so the daemon
    never reads half a file and an existing file is never replaced).
    Creates sms/1..5 if missing. Picks the lowest free location unless one
    is given (FileExistsError if taken). Returns the path."""
    if folder not in (1, 2, 3, 4, 5):
        raise ValueError("folder %r: the dummy phone has folders 1..5" % (folder,))
    if location is not None and not 1 <= location <= DUMMY_MAX_LOCATION:
        raise ValueError("location %r outside 1..%d" % (location, DUMMY_MAX_LOCATION))
    for f in range(1, 6):
        os.makedirs(os.path.join(device_dir, "sms", str(f)), exist_ok=True)
    stamp = _stamp(device_dir, sender, text, when)
    body = backup_text(sender, text, udh=udh, folder=folder, when=stamp)
    d = os.path.join(device_dir, "sms", str(folder))
    with _lock:
        _seq[0] += 1
        n = _seq[0]
    tmp = os.path.join(device_dir, ".smslib-%d-%d.tmp" % (os.getpid(), n))
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    try:
        candidates = [location] if location else range(1, DUMMY_MAX_LOCATION + 1)
        for loc in candidates:
            target = os.path.join(d, str(loc))
            if not location and os.path.exists(target):
                continue
            try:
                os.link(tmp, target)          # fails if it exists: no overwrite
                return target
            except FileExistsError:
                if location:
                    raise
        raise OSError("no free location in %s" % d)
    finally:
        os.unlink(tmp)


def concat_udh(ref, total, seq):
    """The concatenation UDH (hex): 8-bit reference below 256, else 16-bit."""
    if not (1 <= total <= 255 and 1 <= seq <= total):
        raise ValueError("part %r of %r" % (seq, total))
    if 0 <= ref <= 0xFF:
        return "050003%02X%02X%02X" % (ref, total, seq)
    if 0 <= ref <= 0xFFFF:
        return "060804%04X%02X%02X" % (ref, total, seq)
    raise ValueError("reference %r" % (ref,))


def write_dummy_multipart(device_dir, sender, parts, ref, **kw):
    """Write each part of a concatenated SMS, in order; returns the paths."""
    return [write_dummy_sms(device_dir, sender, t, udh=concat_udh(ref, len(parts), i + 1), **kw)
            for i, t in enumerate(parts)]


# ----------------------------------------------------------- UDH and GSM-7

def udh_concat(udh):
    """(ref, total, seq) from a UDH (bytes) with a concatenation element, or None."""
    i = 1
    end = min(len(udh), 1 + (udh[0] if udh else 0))
    while i + 1 < end:
        iei, iedl = udh[i], udh[i + 1]
        data = udh[i + 2:i + 2 + iedl]
        if iei == 0x00 and iedl == 3 and len(data) == 3:
            return data[0], data[1], data[2]
        if iei == 0x08 and iedl == 4 and len(data) == 4:
            return (data[0] << 8) | data[1], data[2], data[3]
        i += 2 + iedl
    return None


# GSM 03.38 default alphabet and its extension table (after 0x1B)
GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~",
            0x3E: "]", 0x40: "|", 0x65: "€"}
_GSM7_INDEX = {c: i for i, c in enumerate(GSM7) if i != 0x1B}
_GSM7_EXT_INDEX = {c: i for i, c in GSM7_EXT.items()}


def gsm7_septets(text):
    """The septets of text in the default alphabet (ValueError if it does not fit)."""
    out = []
    for c in text:
        if c in _GSM7_INDEX:
            out.append(_GSM7_INDEX[c])
        elif c in _GSM7_EXT_INDEX:
            out += [0x1B, _GSM7_EXT_INDEX[c]]
        else:
            raise ValueError("%r is not in the GSM-7 alphabet" % c)
    return out


def gsm7_decode(septets):
    out, esc = [], False
    for s in septets:
        if esc:
            out.append(GSM7_EXT.get(s, GSM7[s]))    # unknown escapes read as the base
            esc = False
        elif s == 0x1B:
            esc = True
        else:
            out.append(GSM7[s])
    return "".join(out)


def unpack7(ud, first, count):
    """`count` septets from user data bytes, starting at septet `first`."""
    bits = int.from_bytes(ud, "little")
    return [(bits >> (7 * k)) & 0x7F for k in range(first, first + count)]


def pack7(septets, fill_bits=0):
    bits, n = 0, fill_bits
    for s in septets:
        bits |= s << n
        n += 7
    return bits.to_bytes((n + 7) // 8, "little")


def log_form(text):
    """How gammu's textall log shows a GSM-7 text in the C locale."""
    return "".join(c if ord(c) < 128 else "?" for c in text)


# ------------------------------------------------------------- dummy_sent

def _dump_bytes(lines, i, nbytes):
    """Read an nbytes hex dump (DumpMessage: 16 bytes a line, byte j at
    columns 4j..4j+1) starting at lines[i], after its leading empty line.
    Returns (bytes, next index)."""
    if i < len(lines) and lines[i] == "":
        i += 1
    out = bytearray()
    while len(out) < nbytes and i < len(lines):
        line = lines[i]
        for j in range(min(16, nbytes - len(out))):
            if len(line) < 4 * j + 2:
                raise ValueError("hex dump cut short")
            out.append(int(line[4 * j:4 * j + 2], 16))
        i += 1
    if len(out) != nbytes:
        raise ValueError("hex dump cut short")
    return bytes(out), i


def _septet_len(text):
    return sum(2 if c in _GSM7_EXT_INDEX else 1 for c in text)


def dummy_sent_parts(logfile):
    """Every part a dummy modem sent, in order, from its textall log."""
    try:
        with open(logfile, encoding="utf-8", errors="replace", newline="") as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return []
    parts, i = [], 0
    while i < len(lines):
        if lines[i] != "Entering GSM_SendSMS":
            i += 1
            continue
        try:
            p, i = _sent_entry(lines, i + 1)
        except ValueError:
            # gammu may be writing the last entry right now: an entry cut
            # short with nothing after it is not finished yet; anywhere
            # else it is a log we cannot read.
            if any(l.startswith(("Leaving GSM_SendSMS", "GSM_SendSMS failed"))
                   for l in lines[i + 1:]):
                raise
            break
        if p is not None:
            parts.append(p)
    return parts


def _sent_entry(lines, i):
    """One GSM_SendSMS entry from lines[i] on: (the part or None, next index)."""
    p = {"number": None, "text": "", "coding": None, "udh": b"", "exact": True}
    failed = submit = done = False
    while i < len(lines) and not done:
        line = lines[i]
        if line == "Leaving GSM_SendSMS":
            done = True
        elif line.startswith("GSM_SendSMS failed with error"):
            failed = True
        elif line == "SMS Submit":
            submit = True
        elif line.startswith('Recipient number "') and line.endswith('"'):
            p["number"] = line[len('Recipient number "'):-1]
        elif line.startswith("UDH, length "):
            p["udh"], i = _dump_bytes(lines, i + 1, int(line.split()[-1]))
            continue
        elif line.startswith("Unicode SMS, length "):
            raw, i = _dump_bytes(lines, i + 1, 2 * int(line.split()[-1]))
            p["coding"] = CODING_UCS2
            p["text"] = raw.decode("utf-16-be", errors="replace")
            # then the same text again through the locale: skip to the end
            while i < len(lines) and not lines[i].startswith(("Leaving GSM_SendSMS",
                                                               "GSM_SendSMS failed")):
                i += 1
            continue
        elif line.startswith("8 bit SMS, length "):
            raw, i = _dump_bytes(lines, i + 1, int(line.split()[-1]))
            p["coding"], p["text"] = CODING_8BIT, raw.hex()
            continue
        elif line.startswith("7 bit SMS, length "):
            septets = int(line.split()[-1])
            udh_septets = (len(p["udh"]) * 8 + 6) // 7
            text_lines = []
            i += 1
            while i < len(lines) and not lines[i].startswith(("Leaving GSM_SendSMS",
                                                               "GSM_SendSMS failed")):
                text_lines.append(lines[i])
                i += 1
            # the text may hold line breaks; gammu ends it with one more
            text = "\n".join(text_lines)
            p["coding"], p["text"] = CODING_GSM7, text
            p["exact"] = "?" not in text and _septet_len(text) == septets - udh_septets
            continue
        i += 1
    if done and submit and not failed and p["number"] is not None:
        c = udh_concat(p["udh"])
        p["ref"], p["parts"], p["part"] = c if c else (None, 1, 1)
        p["udh"] = p["udh"].hex()
        return p, i
    return None, i


def join_parts(parts):
    """Join parts into messages by (number, reference, total), in order of
    their first part."""
    msgs, open_groups = [], {}
    for p in parts:
        if p.get("ref") is None or p["parts"] < 2:
            msgs.append({"number": p["number"], "text": p["text"], "coding": p["coding"],
                         "udh": p["udh"], "parts": 1, "part": [1], "exact": p["exact"]})
            continue
        key = (p["number"], p["ref"], p["parts"])
        g = open_groups.get(key)
        if g is None or p["part"] in g["got"]:
            # a new message (or the reference came round again)
            g = {"got": {}, "msg": {"number": p["number"], "coding": p["coding"],
                                    "udh": p["udh"], "parts": p["parts"]}}
            open_groups[key] = g
            msgs.append(g["msg"])
        g["got"][p["part"]] = p
        got = g["got"]
        m = g["msg"]
        m["text"] = "".join(got[k]["text"] for k in sorted(got))
        m["part"] = sorted(got)
        m["exact"] = all(x["exact"] for x in got.values())
        m["udh"] = got[min(got)]["udh"]
        m["coding"] = got[min(got)]["coding"]
        if len(got) == p["parts"]:
            m.pop("incomplete", None)
            del open_groups[key]
        else:
            m["incomplete"] = True
    return msgs


def dummy_sent(logfile):
    """Messages sent through a dummy modem, joined, from its textall log."""
    return join_parts(dummy_sent_parts(logfile))


# ---------------------------------------------------------- fake AT modem

def fake_at_inject(spool, sender, text, part=None):
    """One incoming SMS (UCS-2) for the fake modem; part = (ref, total, seq)
    makes it one part of a concatenated message (8-bit reference)."""
    args = [sys.executable, FAKE, "inject", spool, sender, text]
    if part is not None:
        ref, total, seq = (int(x) for x in part)
        if not (0 <= ref <= 255 and 1 <= seq <= total <= 255):
            raise ValueError("part %r" % (part,))
        args += [str(ref), str(total), str(seq)]
    subprocess.run(args, check=True, timeout=30)


def _semi_octets(b, ndigits):
    s = "".join("%X%X" % (x & 0x0F, x >> 4) for x in b)
    return s[:ndigits].rstrip("F")


def _address(b, i, digits_len):
    """An address at b[i] (TOA first); digits_len in semi-octets. -> (str, next)"""
    toa = b[i]
    nbytes = (digits_len + 1) // 2
    raw = b[i + 1:i + 1 + nbytes]
    if len(raw) != nbytes:
        raise ValueError("address cut short")
    if (toa & 0x70) == 0x50:                      # alphanumeric, GSM-7 packed
        number = gsm7_decode(unpack7(raw, 0, digits_len * 4 // 7))
    else:
        number = _semi_octets(raw, digits_len)
        if (toa & 0x70) == 0x10:
            number = "+" + number
    return number, i + 1 + nbytes


def dcs_alphabet(dcs):
    """The alphabet of a TP-DCS: "gsm7", "8bit" or "ucs2" (and compressed?)."""
    group = dcs >> 4
    if group <= 0x7:                               # general data coding
        if dcs & 0x20:
            return "compressed"
        return {0: "gsm7", 1: "8bit", 2: "ucs2", 3: "gsm7"}[(dcs >> 2) & 3]
    if group in (0xC, 0xD):
        return "gsm7"
    if group == 0xE:
        return "ucs2"
    if group == 0xF:
        return "8bit" if dcs & 0x04 else "gsm7"
    return "gsm7"


def decode_submit(pdu, with_sca=True):
    """Decode an SMS-SUBMIT PDU (hex, with the SCA as AT+CMGS sends it)."""
    b = bytes.fromhex(pdu.strip())
    i = 0
    smsc = ""
    if with_sca:
        n = b[0]
        if n:
            smsc, _ = _address(b, 1, (n - 1) * 2)
        i = 1 + n
    first = b[i]
    if first & 0x03 != 0x01:
        raise ValueError("not an SMS-SUBMIT (first octet %02X)" % first)
    mr = b[i + 1]
    number, i = _address(b, i + 3, b[i + 2])
    pid, dcs = b[i], b[i + 1]
    i += 2
    vpf = (first >> 3) & 3
    vp = b[i:i + {0: 0, 1: 7, 2: 1, 3: 7}[vpf]]
    i += len(vp)
    udl = b[i]
    ud = b[i + 1:]
    udhi = bool(first & 0x40)
    udh = ud[:ud[0] + 1] if udhi and ud else b""
    alphabet = dcs_alphabet(dcs)
    if alphabet == "gsm7":
        skip = (len(udh) * 8 + 6) // 7            # the UDH and its fill bits
        if (udl * 7 + 7) // 8 != len(ud):
            raise ValueError("UDL %d septets, %d octets of user data" % (udl, len(ud)))
        text = gsm7_decode(unpack7(ud, skip, udl - skip))
        coding = CODING_GSM7
    else:
        if udl != len(ud):
            raise ValueError("UDL %d, %d octets of user data" % (udl, len(ud)))
        body = ud[len(udh):]
        if alphabet == "ucs2":
            text, coding = body.decode("utf-16-be", errors="replace"), CODING_UCS2
        else:
            text, coding = body.hex(), CODING_8BIT
    c = udh_concat(udh)
    ref, total, seq = c if c else (None, 1, 1)
    return {"number": number, "text": text, "coding": coding, "udh": udh.hex(),
            "ref": ref, "parts": total, "part": seq, "exact": True, "smsc": smsc,
            "first_octet": first, "mr": mr, "pid": pid, "dcs": dcs, "vp": vp.hex(),
            "udhi": udhi}


def fake_at_sent_parts(spool):
    """Every SMS-SUBMIT the fake modem received (sent.log), in order."""
    try:
        with open(os.path.join(spool, "sent.log"), encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    parts = []
    for line in lines:
        if " pdu=" not in line:
            continue
        head, pdu = line.split(" pdu=", 1)
        p = decode_submit(pdu)
        b = bytes.fromhex(pdu.strip())
        tpdu_len = len(b) - b[0] - 1
        if "len=%d" % tpdu_len not in head.split():
            raise ValueError("AT+CMGS length does not match the PDU: %r" % line)
        parts.append(p)
    return parts


def fake_at_sent(spool):
    """Messages sent through the fake AT modem, joined."""
    return join_parts(fake_at_sent_parts(spool))


# ---------------------------------------------------------------- selftest

def encode_submit(number, text, udh=b"", ucs2=None, smsc="", mr=0):
    """An SMS-SUBMIT PDU (hex) as gammu sends it: relative VP FF."""
    def addr(num):
        digits = num.lstrip("+")
        sem = digits + ("F" if len(digits) % 2 else "")
        return bytes([0x91 if num.startswith("+") else 0x81]) + bytes.fromhex(
            "".join(sem[k + 1] + sem[k] for k in range(0, len(sem), 2)))
    if ucs2 is None:
        try:
            gsm7_septets(text)
            ucs2 = False
        except ValueError:
            ucs2 = True
    sca = addr(smsc) if smsc else b""
    out = bytes([len(sca)]) + sca
    out += bytes([0x11 | (0x40 if udh else 0), mr, len(number.lstrip("+"))]) + addr(number)
    if ucs2:
        ud = udh + text.encode("utf-16-be")
        out += bytes([0x00, 0x08, 0xFF, len(ud)]) + ud
    else:
        skip = (len(udh) * 8 + 6) // 7
        septets = gsm7_septets(text)
        body = pack7(septets, skip * 7 - len(udh) * 8)
        out += bytes([0x00, 0x00, 0xFF, skip + len(septets)]) + udh + body
    return out.hex().upper()


T7 = ("Hello {world} [x] ~ | \\ € ^ and @ £ $ ¥ è é ù ì ò Ç Ø ø Å å Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ "
      "Æ æ ß É ¤ ¡ Ä Ö Ñ Ü § ¿ ä ö ñ ü à. Then a long tail of plain ASCII to force a second "
      "part of this GSM-7 message, ok.")
TU = ("Phần 1: có cháy ở kho hàng đường Hai Bà Trưng, khói rất nhiều. Cần hỗ trợ gấp tại "
      "ngã tư 😀 ok")
# What gammu 1.42's AT driver wrote to the fake modem (`gammu sendsms TEXT ... -autolen
# 600 [-unicode -16bit]`): GSM-7 with extension characters and fill bits after an
# 8-bit concatenation UDH; UCS-2 with a 16-bit reference and a surrogate pair; a
# short code (type of number 0x81) without a UDH.
GAMMU_SENT = """\
19:33:16 len=154 pdu=07914889200030F051000B914809214365F70000FFA0050003130201906536FB0DDAA0EE6F399BBC4981363CFCC607DAF4401B2068F3026DCAA00D051476934100500024000D4004500164001D40085002B40031400ED0030401454012D0044401554016D005840165401A1007D40179401F100904046D415C5017E4057D4160D01EC407F5417ED0DF05A2A2CB6E5018C47EBBCF207A38CD06BDCD20383B9C768382
19:33:17 len=68 pdu=07914889200030F051000B914809214365F70000FF3D050003130202A6C36412447F83CC6FF9B80C0A83E6E5F1DB4D06C1C3723AE86D06D1D1E939E8386DB66EA076793E0F9FCB2CD07BED02
19:33:21 len=153 pdu=07914889200030F051000B914809214365F70008FF8B06080413180201005000681EA7006E00200031003A0020006300F300200063006800E1007900201EDF0020006B0068006F0020006800E0006E00670020011101B01EDD006E006700200048006100690020004200E000200054007201B0006E0067002C0020006B006800F30069002000721EA500740020006E006800691EC10075002E002000431EA7006E
19:33:22 len=77 pdu=07914889200030F051000B914809214365F70008FF3F06080413180202002000681ED70020007400721EE3002000671EA50070002000741EA100690020006E006700E30020007401B00020D83DDE000020006F006B
19:33:26 len=19 pdu=07914889200030F01100048191000000FF0A73F45B4E078DDFE432
"""
# A dummy modem's textall log as gammu 1.42 wrote it for a UCS-2 message in 2
# parts (with a "|" in it), a GSM-7 message with a line break and one with a
# non-ASCII GSM-7 letter; the last entry, a failed send, is made up.
DUMMY_LOG = """\
Entering GSM_SendSMS
SMS Submit
Getting SMSC from phone, location 1
Recipient number "+84901234567"
SMSC number "123456"
SMS class -1
SMS validity ff
TPMR: 00 0
UDL: 6, UDHL: 5
UDH, length 6

05 |00 |03 |42B|02 |01                                          ...B..          
Unicode SMS, length 67

00 |43C|1E |A3 |00 |6Dm|00 |20 |01 |A1 |00 |6En|00 |20 |00 |62b .C...m. ...n. .b
1E |A1 |00 |6En|00 |20 |01 |11 |00 |E3 |00 |20 |00 |62b|00 |E1  ...n. ..... .b..
00 |6Fo|00 |20 |00 |74t|00 |69i|00 |6En|00 |20 |00 |7C||00 |20  .o. .t.i.n. .|. 
00 |43C|00 |68h|00 |FA |00 |6En|00 |67g|00 |20 |00 |74t|00 |F4  .C.h...n.g. .t..
00 |69i|00 |20 |01 |11 |00 |E3 |00 |20 |00 |74t|00 |69i|1E |BF  .i. ..... .t.i..
00 |70p|00 |20 |00 |6En|00 |68h|1E |AD |00 |6En|00 |20 |00 |76v .p. .n.h...n. .v
00 |E0 |00 |20 |00 |73s|1E |BD |00 |20 |00 |78x|1E |ED |00 |20  ... .s... .x... 
00 |6Cl|00 |FD |00 |20 |00 |6En|00 |67g|00 |61a|00 |79y|00 |2E. .l... .n.g.a.y..
00 |20 |00 |4DM|00 |E3                                          . .M..          
C?m ?n b?n ?? b?o tin | Ch?ng t?i ?? ti?p nh?n v? s? x? l? ngay. M?
Leaving GSM_SendSMS
Entering GSM_SendSMS
SMS Submit
Getting SMSC from phone, location 1
Recipient number "+84901234567"
SMSC number "123456"
SMS class -1
SMS validity ff
TPMR: 00 0
UDL: 6, UDHL: 5
UDH, length 6

05 |00 |03 |42B|02 |02                                          ...B..          
Unicode SMS, length 31

00 |20 |00 |74t|00 |69i|00 |6En|00 |3A:|00 |20 |00 |54T|00 |42B . .t.i.n.:. .T.B
00 |2D-|00 |41A|00 |42B|00 |43C|00 |322|00 |333|00 |344|00 |2E. .-.A.B.C.2.3.4..
00 |20 |00 |4EN|00 |68h|1E |AF |00 |6En|00 |20 |00 |54T|00 |54T . .N.h...n. .T.T
00 |20 |00 |41A|00 |42B|00 |43C|00 |322|00 |333|00 |344         . .A.B.C.2.3.4  
 tin: TB-ABC234. Nh?n TT ABC234
Leaving GSM_SendSMS
Entering GSM_SendSMS
SMS Submit
Getting SMSC from phone, location 1
Recipient number "+84900000001"
SMSC number "123456"
SMS class -1
SMS validity ff
TPMR: 00 0
7 bit SMS, length 14, 16
OK {TB}
dong 2
Leaving GSM_SendSMS
Entering GSM_SendSMS
SMS Submit
Getting SMSC from phone, location 1
Recipient number "+84900000003"
SMSC number "123456"
SMS class -1
SMS validity ff
TPMR: 00 0
7 bit SMS, length 5, 5
? ok?
Leaving GSM_SendSMS
Entering GSM_SendSMS
SMS Submit
Recipient number "+84900000002"
7 bit SMS, length 3, 3
abc
GSM_SendSMS failed with error NOTCONNECTED[26]: Phone is not connected.
Leaving GSM_SendSMS
"""


def selftest():
    import tempfile
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append("%s: got %r, want %r" % (what, got, want))

    # gammu's own PDUs
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "sent.log"), "w") as f:
            f.write(GAMMU_SENT)
        parts = fake_at_sent_parts(d)
        msgs = fake_at_sent(d)
    expect("parts", len(parts), 5)
    p = parts[0]
    expect("smsc", p["smsc"], "+84980200030")
    expect("first octet", p["first_octet"], 0x51)
    expect("number", p["number"], "+84901234567")
    expect("vp", p["vp"], "ff")
    expect("udh", p["udh"], "050003130201")
    expect("mr", p["mr"], 0)
    expect("part 2", (parts[1]["ref"], parts[1]["parts"], parts[1]["part"]), (0x13, 2, 2))
    expect("16-bit", (parts[2]["ref"], parts[2]["parts"], parts[2]["part"]), (0x1318, 2, 1))
    expect("messages", len(msgs), 3)
    expect("gsm7 text", msgs[0]["text"], T7)
    expect("gsm7 coding", msgs[0]["coding"], CODING_GSM7)
    expect("gsm7 parts", (msgs[0]["parts"], msgs[0]["part"]), (2, [1, 2]))
    expect("ucs2 text", msgs[1]["text"], TU)
    expect("ucs2 coding", msgs[1]["coding"], CODING_UCS2)
    expect("short code", (msgs[2]["number"], msgs[2]["text"], msgs[2]["udh"]),
           ("1900", "short code", ""))
    # the prefix of gammu.md 6.3 with its UDL made to fit the characters shown
    head = "07914889200030F051000B914809214365F70008FF"
    ud = "050003010201" + "00431EA3006D0020"
    d = decode_submit(head + "%02X" % (len(ud) // 2) + ud)
    expect("doc prefix", (d["number"], d["text"], d["udh"], d["smsc"]),
           ("+84901234567", "Cảm ", "050003010201", "+84980200030"))
    # the classic: "hellohello" to +46708251358, no SCA
    d = decode_submit("0011000B916407281553F80000AA0AE8329BFD4697D9EC37")
    expect("classic", (d["number"], d["text"], d["vp"]), ("+46708251358", "hellohello", "aa"))
    # our encoder against our decoder, UDH fill bits for 8- and 16-bit references
    for udh in (b"", bytes.fromhex("0500030A0302"), bytes.fromhex("0608040A0B0302")):
        for text in ("hello {x} €", "Chào anh, có tai nạn ở đường Lê Lợi", "@" * 7, "a\nb\rc"):
            pdu = encode_submit("+84912345678", text, udh=udh, smsc="+84980200030", mr=7)
            d = decode_submit(pdu)
            expect("round trip %r/%s" % (text, udh.hex()),
                   (d["number"], d["text"], d["udh"], d["mr"]),
                   ("+84912345678", text, udh.hex(), 7))
    # the dummy modem's log
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "gammu.log")
        with open(log, "w", newline="") as f:
            f.write(DUMMY_LOG)
        parts = dummy_sent_parts(log)
        msgs = dummy_sent(log)
    expect("log parts", len(parts), 4)
    expect("log ucs2", (msgs[0]["text"], msgs[0]["coding"], msgs[0]["part"], msgs[0]["udh"],
                        msgs[0]["exact"]),
           ("Cảm ơn bạn đã báo tin | Chúng tôi đã tiếp nhận và sẽ xử lý ngay. Mã tin: "
            "TB-ABC234. Nhắn TT ABC234", CODING_UCS2, [1, 2], "050003420201", True))
    expect("log gsm7", (msgs[1]["text"], msgs[1]["exact"], msgs[1]["number"]),
           ("OK {TB}\ndong 2", True, "+84900000001"))
    expect("log lossy", (msgs[2]["text"], msgs[2]["exact"]), (log_form("è ok?"), False))
    expect("log failed send skipped", [m["number"] for m in msgs],
           ["+84901234567", "+84900000001", "+84900000003"])
    expect("log form", log_form("Đà Nẵng ok"), "?? N?ng ok")
    # incomplete groups and a reference that comes round again
    base = {"number": "+1", "coding": CODING_UCS2, "udh": "", "exact": True, "ref": 5,
            "parts": 2}
    j = join_parts([dict(base, part=1, text="a"), dict(base, part=1, text="c"),
                    dict(base, part=2, text="d")])
    expect("join", [(m["text"], m.get("incomplete", False)) for m in j],
           [("a", True), ("cd", False)])
    # backup files
    with tempfile.TemporaryDirectory() as d:
        t = "Phần 1 của 2, có cháy " * 7          # 154 units: 4 Text lines
        paths = write_dummy_multipart(d, "+84907654321", [t, "phần 2."], 0xAB)
        expect("locations", [os.path.basename(x) for x in paths], ["1", "2"])
        body = open(paths[0]).read()
        lines = body.split("\n")
        texts = [x for x in lines if x.startswith("Text")]
        expect("text lines", [len(x.split(" = ")[1]) for x in texts], [200, 200, 200, 16])
        expect("text back", bytes.fromhex("".join(x.split(" = ")[1] for x in texts)).decode(
            "utf-16-be"), t)
        expect("udh line", "UDH = 050003AB0201" in lines, True)
        expect("final newline", body.endswith("\n") and not body.endswith("\n\n"), True)
        expect("folders", sorted(os.listdir(os.path.join(d, "sms"))), ["1", "2", "3", "4", "5"])
        a = write_dummy_sms(d, "+84901234567", "TT ABC234")
        b = write_dummy_sms(d, "+84901234567", "TT ABC234")
        stamps = [x for x in open(a).read().split("\n") + open(b).read().split("\n")
                  if x.startswith("DateTime")]
        expect("equal texts get their own second", stamps[0] != stamps[1], True)
        try:
            write_dummy_sms(d, "+84901234567", "x", location=1)
            failures.append("an existing location was overwritten")
        except FileExistsError:
            pass
        try:
            write_dummy_sms(d, "+84901234567", "ệ" * 161)
            failures.append("a text gammu would cut was written")
        except ValueError:
            pass
        expect("no temporary files left", [x for x in os.listdir(d) if x.endswith(".tmp")], [])
    for f in failures:
        print("FAIL", f)
    print("smslib selftest: %s" % ("ok" if not failures else "%d failed" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "send":
        print(write_dummy_sms(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] in ("sent", "at-sent"):
        msgs = dummy_sent(sys.argv[2]) if sys.argv[1] == "sent" else fake_at_sent(sys.argv[2])
        print(json.dumps(msgs, ensure_ascii=False, indent=1))
    elif len(sys.argv) == 2 and sys.argv[1] == "selftest":
        sys.exit(selftest())
    else:
        sys.exit(__doc__)
