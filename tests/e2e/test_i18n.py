"""The duty desk reads Vietnamese: `tinbao` and `tinbaod --help/--check-config`
speak it under LANG=vi_VN.UTF-8 and English under LANG=C, from the
catalogue built from po/vi.po (gettext); the help lists every command; the
manual cites nothing that `make install` does not install."""
import os
import re
import subprocess
import tempfile

from harness import BUILD, OFFICERS, TOP, Tinbao, check, citizen, lang_env, wait_for

VI = "vi_VN.UTF-8"
# Letters only Vietnamese has: a text with none of them is not Vietnamese.
VI_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def vietnamese(text):
    return len(VI_LETTERS.findall(text)) >= 3


def english(text):
    return not VI_LETTERS.search(text)


def run(args, lang):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=lang_env(lang))


def commands():
    """The commands of tinbao's dispatch table (gateway/cli/tinbao.c)."""
    with open(os.path.join(TOP, "gateway", "cli", "tinbao.c")) as f:
        src = f.read()
    table = src[src.index("commands[] = {"):]
    table = table[:table.index("};")]
    names = re.findall(r'\{ "([a-z-]+)", cli_\w+ \}', table)
    check(len(names) >= 15, "the command table was not found: %r" % names)
    return names


def test_help_lists_every_command_in_both_languages():
    tinbao = os.path.join(BUILD, "tinbao")
    for lang in ("C", VI):
        p = run([tinbao, "--help"], lang)
        check(p.returncode == 0, p.stderr)
        for name in commands():
            # at the start of a line, or after a gap or a "|" between two synopses
            check(re.search(r"(^  |   |\| )%s( |$)" % re.escape(name), p.stdout, re.M),
                  "tinbao --help (LANG=%s) does not list %s:\n%s" % (lang, name, p.stdout))
        check("zalo-oa token --refresh TOKEN" in p.stdout, p.stdout)
    check(english(run([tinbao, "--help"], "C").stdout), "LANG=C help is not English")
    # and tinbao(1)'s synopsis has every one of them
    with open(os.path.join(TOP, "doc", "tinbao.1")) as f:
        man = f.read()
    synopsis = man[man.index(".SH SYNOPSIS"):man.index(".SH DESCRIPTION")].replace("\\-", "-")
    for name in commands():
        check(re.search(r"^\.BI? %s( |$)" % re.escape(name), synopsis, re.M),
              "the synopsis of tinbao(1) lacks %s" % name)
    check(vietnamese(run([tinbao, "--help"], VI).stdout), "LANG=vi help is not Vietnamese")


def test_daemon_help_and_check_config():
    h = Tinbao("i18n-daemon")
    tinbaod = os.path.join(BUILD, "tinbaod")
    en, vi = run([tinbaod, "--help"], "C"), run([tinbaod, "--help"], VI)
    check(en.returncode == 0 and english(en.stdout) and "usage: tinbaod" in en.stdout, en.stdout)
    check(vi.returncode == 0 and vietnamese(vi.stdout) and "cách dùng: tinbaod" in vi.stdout,
          vi.stdout)
    en = run([tinbaod, "-c", h.conf, "--check-config"], "C")
    vi = run([tinbaod, "-c", h.conf, "--check-config"], VI)
    check(en.returncode == 0 and "configuration is good (1 modem)" in en.stdout, en.stdout)
    check(vi.returncode == 0 and "cấu hình hợp lệ (1 modem)" in vi.stdout, vi.stdout)
    # and the daemon itself logs in English whatever LANG says
    h.start(env={"LANG": VI})
    try:
        h.full_roster()
        h.sms_in(citizen(), "Có người đánh nhau ở đầu ngõ 5")
        h.wait_tips(1)
        wait_for(lambda: "tip " in h.log() or "TB-" in h.log(), what="a log line about the tip")
    finally:
        h.stop()
    check(english(h.log()), "tinbaod logged Vietnamese under LANG=vi:\n" + h.log()[-3000:])


def installed_tree():
    """`make install` of what is built (-o all: nothing is rebuilt, whatever
    flags it was built with) into a temporary DESTDIR: the installed paths."""
    dest = tempfile.mkdtemp(prefix="tinbao-install-")
    p = subprocess.run(["make", "-s", "--no-print-directory", "-C", TOP, "-o", "all",
                        "install", "BUILD=" + BUILD, "DESTDIR=" + dest], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "make install failed:\n" + p.stdout + p.stderr)
    files = set()
    for root, _, names in os.walk(dest):
        for n in names:
            files.add(os.path.join(root, n)[len(dest):])
    return files


def test_install_has_the_catalogue_and_the_manual_cites_only_installed_files():
    files = installed_tree()
    mo = [f for f in files if f.endswith("/share/locale/vi/LC_MESSAGES/tinbao.mo")]
    check(len(mo) == 1, "tinbao.mo not installed: %r" % sorted(files))
    prefix = mo[0][:mo[0].index("/share/locale/")]
    pages = {os.path.basename(f): f for f in files if re.search(r"/share/man/man\d/", f)}
    for page in ("tinbao.1", "tinbaod.8", "tinbao.conf.5"):
        check(page in pages, "%s not installed: %r" % (page, sorted(pages)))
    with open(os.path.join(TOP, "doc", "tinbao.1")) as f:
        man = f.read()
    # our own pages it refers to are installed
    for name, sec in re.findall(r"\b(tinbao[a-z.]*)\\?f?[BR]?\s*\((\d)\)", man):
        check("%s.%s" % (name, sec) in pages, "tinbao(1) cites %s(%s), not installed" % (name, sec))
    # files of the source tree (README.md, docs/..., deploy/...) are not where
    # a reader of the installed page is: it may cite them only as installed
    for path in re.findall(r"(?<![/\w.-])((?:[\w.-]+/)+[\w.-]+\.\w+)", man):
        check(path.startswith("/"), "tinbao(1) cites the source file %s" % path)
    for path in re.findall(r"(/usr/[\w./-]+|\$\(PREFIX\)[\w./-]+)", man):
        rel = path.replace("$(PREFIX)", prefix)
        rel = rel.replace("/usr/local", prefix).rstrip(".")
        check(rel in files or any(f.startswith(rel + "/") for f in files),
              "tinbao(1) cites %s, which make install does not install" % path)


def test_the_desk_commands_speak_the_desk_language():
    """The same commands under LANG=C and LANG=vi_VN.UTF-8: words of each
    language where people read, the same JSON in both, categories by name."""
    h = Tinbao("i18n-cli", escalation={"ack_deadline": "2s", "level_deadline": "1h"})
    h.full_roster()
    h.start()
    try:
        h.sms_in(citizen(), "Có nhóm thanh niên tụ tập đua xe, đánh nhau ở đầu ngõ 5 Lê Lợi")
        tid = h.wait_tips(1)[0]["id"]
        wait_for(lambda: h.tip(tid)["level"] == 2, what="the tip escalated")
        # each: the command, a phrase the English says, one the Vietnamese says
        cases = [
            (("tips",), "RECEIVED", "NHẬN LÚC"),
            (("tip", "show", tid), "Escalations:", "Chuyển cấp:"),
            (("tip", "show", tid), "no acknowledgement after", "không ai nhận sau"),
            (("officer", "list"), "REACHED BY", "LIÊN LẠC QUA"),
            (("shift", "list"), "ON DUTY", "THỜI GIAN TRỰC"),
            (("due",), "pass on", "chuyển CQĐT"),
            (("audit", "verify"), "chain intact", "chuỗi nguyên vẹn"),
            (("holiday", "list"), "no holidays", "chưa có ngày lễ nào"),
            (("tips", "--help"), "Who sent a tip is never shown",
             "Không bao giờ hiện ai đã gửi tin"),
        ]
        for args, en, vi in cases:
            pe, pv = h.cli(*args, lang="C"), h.cli(*args, lang=VI)
            check(en in pe.stdout and vi not in pe.stdout, "LANG=C tinbao %s:\n%s" % (args, pe.stdout))
            check(vi in pv.stdout and en not in pv.stdout,
                  "LANG=vi tinbao %s:\n%s" % (args, pv.stdout))
        # the category is shown by its name in both, never by its code
        for lang in ("C", VI):
            out = h.cli("tips", lang=lang).stdout + h.cli("tip", "show", tid, lang=lang).stdout
            check("gây rối" in out and "gay_roi" not in out, out)
        # answers and errors
        backup = OFFICERS["backup"][1]
        pv = h.cli("ack", tid, "--officer", backup, lang=VI)
        check("đã ghi nhận Đ/c Trần Thị Bình nhận xử lý" in pv.stdout, pv.stdout)
        pe = h.cli("ack", tid, "--officer", backup, lang="C")
        check("was already acknowledged" in pe.stdout and english(pe.stdout.replace(
            "Trần Thị Bình", "")), pe.stdout)
        pv = h.cli("notice", tid, "--officer", backup, lang=VI)
        check("đã ghi nhận thông báo kết quả tiếp nhận" in pv.stdout, pv.stdout)
        pe = h.cli("notice", tid, "--officer", backup, lang="C")
        check("already recorded" in pe.stdout, pe.stdout)
        pv = h.cli("close", tid, lang=VI, expect=2)
        check("bắt buộc có --officer" in pv.stderr, pv.stderr)
        pe = h.cli("tip", "show", "TB-0000", lang="C", expect=2)
        check("is not a tracking ID" in pe.stderr, pe.stderr)
        pv = h.cli("frobnicate", lang=VI, expect=2)
        check("không có lệnh này" in pv.stderr, pv.stderr)
        # JSON: keys and codes whatever the language
        for args in (("tips",), ("tip", "show", tid), ("officer", "list"), ("due",)):
            je = h.cli(*args, "--json", lang="C").stdout
            jv = h.cli(*args, "--json", lang=VI).stdout
            check(je == jv, "tinbao %s --json differs by language:\n%s\n%s" % (args, je, jv))
        check('"category": "gay_roi"' in h.cli("tips", "--json", lang=VI).stdout, "JSON code")
    finally:
        h.stop()
