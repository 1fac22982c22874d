"""First setup as root must leave a working service (issue 11 §4). The state
belongs to a service user (here `nobody`, as `tinbao` in production):

  * `tinbaod --check-config`, as that user (or as root, which checks as
    that user), opens the database for writing, the key file, each secret
    file and gammu's logfile as tinbaod will, and names each problem;
  * a root-owned database left in the service user's directory is refused
    with the chown that fixes it, by the check, by tinbaod and by tinbao;
  * `tinbao` run as root acts as the owner and leaves no root-owned file;
    tinbaod started as root runs as the owner;
  * a storage error repeated for ten seconds is logged once, with a count
    when it clears."""
import os
import pwd
import re
import subprocess
import time

from harness import BUILD, Tinbao, check, citizen, wait_for, zalo_user
from test_storage import fault_lines

NOBODY = pwd.getpwnam("nobody")


def as_nobody(args, **kw):
    return subprocess.run(["setpriv", "--reuid", str(NOBODY.pw_uid), "--regid",
                           str(NOBODY.pw_gid), "--clear-groups", "--"] + args,
                          capture_output=True, text=True, timeout=60, **kw)


def tinbaod(h, *args, nobody=False):
    cmd = [os.path.join(BUILD, "tinbaod"), "-c", h.conf] + list(args)
    return as_nobody(cmd) if nobody else subprocess.run(cmd, capture_output=True, text=True,
                                                         timeout=60)


def owners(path):
    return {f: os.stat(os.path.join(path, f)).st_uid for f in os.listdir(path)
            if f.startswith(("tinbao.db", "secret.key"))}


def service_state(name, **kw):
    """An installation whose database and key live in state/, which belongs
    to nobody; the rest of the directory is readable by nobody."""
    h = Tinbao(name, **kw)
    state = os.path.join(h.dir, "state")
    os.mkdir(state, 0o750)
    os.chown(state, NOBODY.pw_uid, NOBODY.pw_gid)
    os.chmod(h.dir, 0o711)
    os.chmod(h.conf, 0o644)
    with open(h.conf) as f:
        conf = f.read()
    db, key = os.path.join(state, "tinbao.db"), os.path.join(state, "secret.key")
    conf = conf.replace("database = " + h.db, "database = " + db)
    conf = conf.replace("key_file = " + h.key, "key_file = " + key)
    os.unlink(h.key)
    h.db, h.key, h.state = db, key, state
    for m in h.modems.values():
        subprocess.run(["chown", "-R", "nobody:", m["device"]], check=True)
        log = os.path.join(state, os.path.basename(m["log"]))   # as /var/log/tinbao
        conf = conf.replace("logfile = " + m["log"], "logfile = " + log)
        m["log"] = log
    with open(h.conf, "w") as f:
        f.write(conf)
    return h


def test_root_leaves_no_root_owned_file_and_the_check_sees_what_the_service_sees():
    h = service_state("setup")
    h.cli("key", "init")                      # as root: the key is nobody's
    check(owners(h.state) == {"secret.key": NOBODY.pw_uid}, "owners: %r" % owners(h.state))
    # the old trap: the database made by root in the service's directory
    subprocess.run(["sqlite3", h.db, "CREATE TABLE x(y); DROP TABLE x;"], check=True)
    os.chmod(h.db, 0o644)
    for nobody in (False, True):
        p = tinbaod(h, "--check-config", nobody=nobody)
        check(p.returncode == 1, "check-config passed a root-owned database: %s" % p.stdout)
        if nobody:
            check("tinbao.db: Permission denied for uid %d" % NOBODY.pw_uid in p.stderr and
                  "owner uid 0" in p.stderr, p.stderr)
        else:
            check("belongs to root" in p.stderr and "chown nobody:" in p.stderr, p.stderr)
    p = h.cli("officer", "list", expect=1)
    check("chown nobody:" in p.stderr and "then run the command again" in p.stderr, p.stderr)
    p = tinbaod(h, nobody=True)
    check(p.returncode == 1 and "may read the database but not write it" in p.stderr,
          "tinbaod ran on a database it cannot write: %d %s" % (p.returncode, p.stderr[-800:]))
    check(p.stderr.count("\n") < 5, "tinbaod logged on and on:\n" + p.stderr)
    os.unlink(h.db)

    # as root from the start: every file is nobody's
    h.full_roster()
    h.cli("tips")
    check(set(owners(h.state).values()) == {NOBODY.pw_uid}, "owners: %r" % owners(h.state))
    p = tinbaod(h, "--check-config")
    check(p.returncode == 0 and "checking as user nobody" in p.stdout and "good" in p.stdout,
          p.stdout + p.stderr)
    p = tinbaod(h, "--check-config", nobody=True)
    check(p.returncode == 0, p.stdout + p.stderr)

    # tinbaod started as root runs as the owner
    h.start()
    try:
        check("running as user nobody" in h.log(), h.log()[-1500:])
        with open("/proc/%d/status" % h.proc.pid) as f:
            uids = re.search(r"^Uid:\s+(\d+)\s+(\d+)", f.read(), re.M)
        check(uids and int(uids.group(1)) == NOBODY.pw_uid == int(uids.group(2)), repr(uids))
        h.sms_in(citizen(), "Có người lạ cạy khóa xe ở tổ 2")
        h.wait_tips(1)
        # a second tinbaod on the same database is refused
        p = tinbaod(h, nobody=True)
        check(p.returncode == 1 and "in use by a running tinbaod" in p.stderr, p.stderr[-600:])
    finally:
        h.stop()
    check(set(owners(h.state).values()) == {NOBODY.pw_uid}, "owners: %r" % owners(h.state))

    # each file tinbaod opens is opened by the check as tinbaod will
    secret = os.path.join(h.dir, "bot.token")
    with open(secret, "w") as f:
        f.write("1234:unreadable-by-the-service\n")
    os.chmod(secret, 0o600)                   # root's alone
    logdir = os.path.join(h.dir, "rootlogs")
    os.mkdir(logdir, 0o755)
    with open(h.conf) as f:
        conf = f.read()
    log = h.modems["sim1"]["log"]
    with open(h.conf, "w") as f:
        f.write(conf.replace("logfile = " + log, "logfile = " + os.path.join(logdir, "g.log")) +
                "\n[zalo_bot]\ntoken_file = %s\n" % secret)
    p = tinbaod(h, "--check-config")
    check(p.returncode == 1, p.stdout)
    check("[zalo_bot] token_file %s" % secret in p.stderr, p.stderr)
    check("logfile %s/g.log: Permission denied for uid %d" % (logdir, NOBODY.pw_uid) in p.stderr
          and "modem would stay down" in p.stderr, p.stderr)
    check(not os.path.exists(os.path.join(logdir, "g.log")), "the check left a logfile")


def test_a_storage_error_that_lasts_is_logged_once_with_a_count():
    """For ten seconds every write that records an audit event fails (a
    trigger refuses them, as a broken disk would): messages keep arriving,
    the router fails to route each of them again and again; each kind of
    failure is one line, and its end is one line with the count."""
    h = Tinbao("repeat", http=True)
    h.full_roster()
    h.start()
    try:
        h.sms_in(citizen(), "Có trộm ở tổ 1")
        h.wait_tips(1)
        time.sleep(1)
        mark = len(h.log())
        subprocess.run(["sqlite3", "-cmd", ".timeout 10000", h.db,
                        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN "
                        "SELECT RAISE(ABORT, 'the disk refused the write'); END;"], check=True)
        try:
            for i in range(20):
                h.post_oa(h.oa_event(zalo_user(), "Tin %d khi ổ đĩa lỗi" % i))
                time.sleep(0.5)
        finally:
            subprocess.run(["sqlite3", "-cmd", ".timeout 10000", h.db,
                            "DROP TRIGGER refuse_audit"], check=True)
        during = fault_lines(h.log()[mark:])
        h.sms_in(citizen(), "Tin sau khi ổ đĩa hết lỗi")      # routes once the router looks
        wait_for(lambda: "routing works again" in h.log()[mark:], timeout=45,
                 what="the end logged")
        sites = {}
        for line in during:
            site = re.sub(r"\d+", "N", line.split(": will", 1)[0].split(", will", 1)[0])
            sites[site] = sites.get(site, 0) + 1
        check(during and all(n == 1 for n in sites.values()) and len(during) <= 6,
              "%d lines in 10 s: %r" % (len(during), during))
        end = [l for l in h.log()[mark:].splitlines() if "routing works again" in l and
               "in all" in l]
        check(re.search(r"\d+ failures in all", end[0]), end[0])
        print("a storage error for 10 s: %d lines: %r; then %r" % (len(during), during,
                                                                   end[0][24:]))
    finally:
        h.stop()
