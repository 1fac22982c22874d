"""A full modem inbox: more messages than one poll may read."""
from harness import Tinbao, check, wait_for


def count(h, rows):
    return h.query("SELECT count(*) AS n FROM " + rows)[0]["n"]


def test_a_full_inbox_is_read_in_as_few_polls_as_it_needs():
    # 1,000 SMS waiting when tinbaod starts: a poll reads at most 500, so
    # the first says it reads on; the second reads the other 500 and stops
    # there, because the modem said it held 1,000 (asking once more only to
    # hear "empty" walks every location of the memory: 50,000 file names on
    # the dummy driver). Every message becomes one tip, none twice.
    n = 1000
    h = Tinbao("inbox-full")
    h.full_roster()
    for i in range(n):
        h.sms_in("+8491%07d" % (3000000 + i), "Tin thử số %d: có trộm xe ở chợ" % i)
    h.start()
    try:
        wait_for(lambda: count(h, "inbound WHERE processed_at IS NOT NULL") >= n, timeout=120,
                 what="every SMS routed")
        wait_for(lambda: not h.inbox_files(), timeout=30, what="the inbox emptied")
        check(count(h, "inbound") == n, "admitted once each")
        check(count(h, "tips") == n, "one tip each")
        said = h.log().count("read the most messages one poll may (500); reading on")
        check(said == 1, "polls that read on: %d, wanted 1" % said)
    finally:
        h.stop()
