# tinbao — one Makefile. See README.md.
#   make            build tinbaod and tinbao into build/
#   make test       unit + end-to-end tests (installs Debian packages if missing)
#   make check      the same tests built with ASan+UBSan
#   make demo       watch a tip travel the whole path on a dummy modem
#   make lint       cppcheck, banned functions, header boundaries
#   make fuzz       libFuzzer targets (clang)
#   make valgrind   end-to-end tests with tinbaod under valgrind (definite leaks fail)
#   make crashtest  SIGKILL tinbaod under load CRASH_KILLS times (CRASH_SEED=N replays)
#   make install    PREFIX=/usr/local DESTDIR=
#   make pot        re-extract po/tinbao.pot from the sources and merge it into
#                   po/*.po (then translate the new entries; see po/README.md)

PREFIX  ?= /usr/local
DESTDIR ?=
UNITDIR ?= $(PREFIX)/lib/systemd/system
BUILD   ?= build
CC      ?= cc
LOCALEDIR ?= $(PREFIX)/share/locale

PKG_CFLAGS := $(shell pkg-config --cflags gammu libsodium jansson inih sqlite3 libsystemd libmicrohttpd libcurl pangocairo fontconfig 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs gammu libsodium jansson inih sqlite3 libsystemd libmicrohttpd libcurl pangocairo fontconfig 2>/dev/null) -lunistring -lpthread

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wno-format-truncation
# (format-truncation: every snprintf here is bounded on purpose; gcc cannot see
#  that the texts fit, and a cut message is preferable to an overflow)
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) $(EXTRA_CFLAGS) \
              -I. -I$(BUILD) $(PKG_CFLAGS)
LDFLAGS_ALL := -pie -Wl,-z,relro,-z,now $(LDFLAGS) $(EXTRA_LDFLAGS)

# Every .c directly under gateway/ db/ modem/ webhook/ is library code except
# the daemon's main. The command line (gateway/cli/, main in tinbao.c) is
# linked into tinbao only, never into libtinbao.a or tinbaod.
MAINS   := gateway/tinbaod.c
LIBSRC  := $(filter-out $(MAINS),$(wildcard gateway/*.c db/*.c modem/*.c webhook/*.c))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
CLISRC  := $(wildcard gateway/cli/*.c)
CLIOBJ  := $(CLISRC:%.c=$(BUILD)/%.o)
UNITSRC := $(wildcard tests/unit/test_*.c)
UNITBIN := $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)

# Translations (gettext): po/LINGUAS names the languages, po/LANG.po holds
# each; msgfmt compiles them into BUILD/locale, the tree the tests and the
# demo use (TINBAO_LOCALEDIR), and `make install` copies them to LOCALEDIR.
LINGUAS := $(shell cat po/LINGUAS)
MOFILES := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/tinbao.mo)
# The sources with strings to translate: every file that includes i18n.h.
POTFILES = $(shell grep -l '"gateway/i18n.h"' $(sort $(wildcard gateway/*.c gateway/cli/*.c \
             db/*.c modem/*.c webhook/*.c)))
XGETTEXT_OPTS := --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
                 --keyword=ngettext:1,2 --keyword=fail:3 --add-comments=TRANSLATORS: --add-location=file \
                 --sort-by-file --package-name=tinbao --msgid-bugs-address=tinbao \
                 --copyright-holder=tinbao

.PHONY: all deps test unit e2e check lint fuzz demo install clean bench valgrind crashtest \
        pot pot-check FORCE

all: $(BUILD)/tinbaod $(BUILD)/tinbao $(MOFILES)

# Where the installed catalogues are, for i18n.c; rewritten only when
# PREFIX (or LOCALEDIR) changes, so that `make install PREFIX=/usr` after a
# plain `make` rebuilds the one object that needs it. (Not a .h: the objects'
# */*.h prerequisites must not take it in.)
$(BUILD)/i18n_dir.inc: FORCE
	@mkdir -p $(BUILD)
	@printf '#define I18N_LOCALEDIR "%s"\n' '$(LOCALEDIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/gateway/i18n.o: $(BUILD)/i18n_dir.inc

$(BUILD)/locale/%/LC_MESSAGES/tinbao.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# make lint's check: the template as the sources would make it, into $(POT).
pot-check:
	xgettext $(XGETTEXT_OPTS) -o $(POT) $(POTFILES)

# No creation dates in po/: they changed at every run and made every merge
# of two branches that touched a string conflict.
pot:
	xgettext $(XGETTEXT_OPTS) -o po/tinbao.pot $(POTFILES)
	sed -i '/^"POT-Creation-Date:/d' po/tinbao.pot
	@for l in $(LINGUAS); do \
	  msgmerge --quiet --update --backup=none --no-fuzzy-matching --add-location=file \
	    --sort-by-file po/$$l.po po/tinbao.pot && \
	  msgattrib --no-obsolete --sort-by-file -o po/$$l.po po/$$l.po && \
	  sed -i '/^"POT-Creation-Date:/d' po/$$l.po || exit 1; \
	done

deps:
	@deploy/install-deps.sh

$(BUILD)/%.o: %.c $(wildcard */*.h */*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libtinbao.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tinbaod: $(BUILD)/gateway/tinbaod.o $(BUILD)/libtinbao.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/tinbao: $(CLIOBJ) $(BUILD)/libtinbao.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libtinbao.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libtinbao.a $(LDFLAGS_ALL) $(PKG_LIBS)

unitbin: $(UNITBIN)

test: deps
	$(MAKE) all unitbin
	tests/run $(BUILD)

check: deps
	$(MAKE) BUILD=build-asan \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -U_FORTIFY_SOURCE" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all unitbin
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/run build-asan

demo: deps all
	tests/demo.sh $(BUILD)

lint:
	tests/lint.sh

# make bench: one table of figures, each against a baseline built and run in
# the same run (bare libmicrohttpd, gammu-smsd, an instant Zalo): webhooks
# through wrk, CPU per SMS, growth with 1k/10k/100k open tips. Not part of
# `make test`. See tests/bench/bench.py (BENCH_IDLE_S, BENCH_SIZES, ...).
$(BUILD)/mhd_peer: tests/bench/mhd_peer.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/bench_seed: tests/bench/seed.c $(BUILD)/libtinbao.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libtinbao.a $(LDFLAGS_ALL) $(PKG_LIBS)

bench: deps
	@deploy/install-deps.sh bench
	$(MAKE) all $(BUILD)/mhd_peer $(BUILD)/bench_seed
	python3 tests/bench/bench.py --build $(BUILD)

# The end-to-end path (SMS and Zalo tips, acks, escalation, /metrics) with
# every tinbaod under valgrind memcheck: a definite leak or a memory error
# fails the run (tinbaod exits 99, which the harness reports).
VALGRIND_TESTS ?= test_tips.test_tip_reply test_zalo_in.test_signed_oa test_metrics test_daemon.test_sighup
valgrind: deps all
	@for k in $(VALGRIND_TESTS); do \
	  TINBAO_WRAP="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
	    --show-leak-kinds=definite --error-exitcode=99 --num-callers=30" \
	  python3 tests/e2e/run.py --build $(BUILD) -j 1 -k $$k || exit 1; \
	done

# The long crash test: webhooks and SMS under load, tinbaod killed with SIGKILL
# CRASH_KILLS times at random moments (seed printed); `make test` runs 4 kills.
CRASH_KILLS ?= 25
crashtest: deps all
	TINBAO_CRASH_KILLS=$(CRASH_KILLS) $(if $(CRASH_SEED),TINBAO_CRASH_SEED=$(CRASH_SEED)) \
	  python3 tests/e2e/run.py --build $(BUILD) -k test_crashtest

# libFuzzer targets for every parser; each runs FUZZ_TIME seconds on its corpus
# (tests/fuzz/corpus/NAME, which grows as the fuzzer finds new paths).
FUZZ_TIME ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: deps
	$(MAKE) BUILD=build-fuzz CC=clang \
	  EXTRA_CFLAGS="-Wno-unknown-warning-option -fsanitize=fuzzer-no-link,address,undefined -U_FORTIFY_SOURCE" \
	  build-fuzz/libtinbao.a
	@for t in $(FUZZ_TARGETS); do \
	  clang -std=c11 -D_GNU_SOURCE -g -O1 -I. $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -o build-fuzz/$$t tests/fuzz/$$t.c build-fuzz/libtinbao.a $(PKG_LIBS) || exit 1; \
	done
	@for t in $(FUZZ_TARGETS); do \
	  name=$${t#fuzz_}; mkdir -p build-fuzz/corpus-$$name; \
	  echo "== $$t ($(FUZZ_TIME)s)"; \
	  build-fuzz/$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    build-fuzz/corpus-$$name tests/fuzz/corpus/$$name 2>&1 | \
	    grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Test unit written" || exit 1; \
	  if ls crash-* leak-* timeout-* 2>/dev/null | grep -q .; then \
	    echo "$$t found a crash: $$(ls crash-* leak-* timeout-* 2>/dev/null)"; exit 1; fi; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/doc/tinbao
	install -m 0755 $(BUILD)/tinbaod $(DESTDIR)$(PREFIX)/sbin/tinbaod
	install -m 0755 $(BUILD)/tinbao $(DESTDIR)$(PREFIX)/bin/tinbao
	install -m 0644 doc/tinbaod.8 $(DESTDIR)$(PREFIX)/share/man/man8/tinbaod.8
	install -m 0644 doc/tinbao.1 $(DESTDIR)$(PREFIX)/share/man/man1/tinbao.1
	install -m 0644 doc/tinbao.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/tinbao.conf.5
	install -m 0644 deploy/tinbao.conf.sample deploy/nginx-tinbao.conf README.md \
	  $(DESTDIR)$(PREFIX)/share/doc/tinbao/
	@for l in $(LINGUAS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/tinbao.mo \
	    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/tinbao.mo || exit 1; \
	done
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d
	sed 's|/usr/local/sbin/|$(PREFIX)/sbin/|g' deploy/tinbaod.service > $(DESTDIR)$(UNITDIR)/tinbaod.service
	sed 's|/usr/local/bin/|$(PREFIX)/bin/|g' deploy/tinbao-backup.service > $(DESTDIR)$(UNITDIR)/tinbao-backup.service
	install -m 0644 deploy/tinbao-backup.timer $(DESTDIR)$(UNITDIR)/tinbao-backup.timer
	chmod 0644 $(DESTDIR)$(UNITDIR)/tinbaod.service $(DESTDIR)$(UNITDIR)/tinbao-backup.service
	install -m 0644 deploy/tinbao.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/tinbao.conf
	install -m 0644 deploy/tinbao.tmpfiles $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/tinbao.conf

clean:
	rm -rf build build-asan build-fuzz
