"""A citizen typing on a phone without diacritics: IDs with spaces or a
missing dash, "TT:" glued, "tinh trang", "bo sung <id>", and the receipt's
cost in SMS parts."""
import time

from harness import Tinbao, check, citizen, wait_for

NOLIMIT = {"abuse": {"tips_per_hour": "1000", "tips_per_day": "10000",
                     "replies_per_day": "10000"}}
ALPHA = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def started(name, **gw):
    h = Tinbao(name, gateway=dict({"unaccented_sms": "yes"}, **gw), sections=NOLIMIT)
    h.full_roster()
    return h.start()


def send(h, who, text):
    """The replies text made, and how many tips it made."""
    before, ntips = len(h.to_citizens()), len(h.tips())
    h.sms_in(who, text)
    rows = wait_for(lambda: (lambda r: r[before:] if len(r) > before else None)(h.to_citizens()),
                    what="a reply to %r" % text)
    time.sleep(0.5)
    return rows, len(h.tips()) - ntips


def unused_code(taken):
    for a in ALPHA:
        body = "2345" + a
        for c in ALPHA:
            code = body + c
            v = [ALPHA.index(x) for x in code]
            if sum((i + 1) * x for i, x in enumerate(v)) % 31 == 0 and code not in taken:
                return code


def test_status_queries_typed_loosely():
    h = started("loose-tt", followup_window="2s")
    try:
        who = citizen()
        h.sms_in(who, "Co nguoi la cay khoa xe may o hem 5 Le Loi")
        t = h.wait_tips(1)[0]
        code = t["id"][3:]
        wait_for(lambda: h.to_citizens("receipt"), what="receipt")
        forms = ["TT %s %s" % (code[:3], code[3:]), "TT TB- " + code, "TT TB -" + code,
                 "TT:" + code, "tt-tb-" + code.lower(), "TT ma " + code,
                 "tinh trang " + code, "KIEM TRA TB-" + code]
        for f in forms:
            time.sleep(2.5)               # past the follow-up window
            rows, made = send(h, who, f)
            check(made == 0, "%r made a new tip" % f)
            check([r["kind"] for r in rows] == ["status"] and
                  "da tiep nhan, dang cho can bo xu ly" in rows[0]["text"],
                  "%r: %r" % (f, [(r["kind"], r["text"]) for r in rows]))
    finally:
        h.stop()


def test_an_id_after_a_word_names_that_tip():
    h = started("bo-sung", followup_window="8s")
    try:
        who = citizen()
        h.sms_in(who, "Co danh bac o nha van hoa to 5")
        a = h.wait_tips(1)[0]
        time.sleep(9)
        h.sms_in(who, "Co nguoi la lang vang quanh truong hoc")
        b = [t for t in h.wait_tips(2) if t["id"] != a["id"]][0]
        wait_for(lambda: len(h.to_citizens("receipt")) >= 2, what="two receipts")
        text = "bo sung %s: ho choi xoc dia, khoang 10 nguoi" % a["id"]
        rows, made = send(h, who, text)
        check(made == 0, "a new tip")
        check(a["id"] in rows[0]["text"], rows[0]["text"])
        ins_a = [m["text"] for m in h.tip(a["id"])["messages"] if m["direction"] == "in"]
        ins_b = [m["text"] for m in h.tip(b["id"])["messages"] if m["direction"] == "in"]
        check(text in ins_a and text not in ins_b, "added to %s, not %s: %r / %r" % (
            b["id"], a["id"], ins_b, ins_a))
    finally:
        h.stop()


def test_a_quoted_id_does_not_say_whether_it_exists():
    h = started("oracle")
    try:
        a, b = citizen(), citizen()
        h.sms_in(a, "Co danh bac o nha van hoa to 5")
        ta = h.wait_tips(1)[0]
        h.sms_in(b, "Co nguoi la lang vang quanh truong hoc")
        h.wait_tips(2)
        wait_for(lambda: len(h.to_citizens("receipt")) >= 2, what="receipts")
        ghost = unused_code({t["id"][3:] for t in h.tips()})
        real, made_real = send(h, b, ta["id"][3:] + " xem giup")
        fake, made_fake = send(h, b, ghost + " xem giup")
        check((made_real, real[0]["kind"], real[0]["text"]) ==
              (made_fake, fake[0]["kind"], fake[0]["text"]),
              "someone else's ID answered %r, an unused one %r" % (
                  (made_real, real[0]["text"]), (made_fake, fake[0]["text"])))
    finally:
        h.stop()


def test_unaccented_receipt_is_one_sms_part():
    h = started("receipt-parts")
    try:
        who = citizen()
        h.sms_in(who, "co nguoi ban ma tuy o hem 12 le loi")
        t = h.wait_tips(1)[0]
        sent = wait_for(lambda: [m for m in h.sent() if m["number"] == who], what="receipt sent")
        check(t["id"] in sent[0]["text"] and "TT " + t["id"][3:] in sent[0]["text"],
              sent[0]["text"])
        check(sent[0]["coding"].startswith("Default") and sent[0]["parts"] == 1,
              "receipt: %s, %d parts, %d characters: %s" % (
                  sent[0]["coding"], sent[0]["parts"], len(sent[0]["text"]), sent[0]["text"]))
    finally:
        h.stop()


def test_a_bare_tt_after_the_tip_was_closed_says_so():
    h = started("tt-closed")
    try:
        who = citizen()
        h.sms_in(who, "Co nguoi la cay khoa xe may o hem 5 Le Loi")
        t = h.wait_tips(1)[0]
        wait_for(lambda: h.to_citizens("receipt"), what="receipt")
        h.cli("close", t["id"], "--officer", "+84900000001", "--note", "da xu ly")
        wait_for(lambda: h.to_citizens("closed_notice"), what="closed notice")
        rows, made = send(h, who, "TT")
        check(made == 0, "a bare TT made a tip")
        check([r["kind"] for r in rows] == ["status"] and
              "%s: da xu ly xong" % t["id"] in rows[0]["text"],
              repr([(r["kind"], r["text"]) for r in rows]))
    finally:
        h.stop()
