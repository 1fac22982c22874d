/* i18n — the translation of what people read: gettext the GNU way.
 *
 * Every user-facing string of `tinbao` (and of `tinbaod --help` and
 * `--check-config`) is written in English inside _("...") — or N_("...")
 * where it sits in a static table and is translated where it is printed —
 * and found at run time in tinbao.mo for the locale (po/vi.po: Vietnamese
 * with LANG=vi_VN.UTF-8; English, the text as written, otherwise).
 *
 * Not translated, ever: log lines (journald is the administrator's, in
 * English), JSON keys and JSON values that are codes, audit rows, and the
 * messages to citizens and officers (gateway/messages.c is Vietnamese
 * already and is sent whatever the locale of the machine).
 *
 * The catalogue is looked for in $TINBAO_LOCALEDIR when it is set (the
 * tests and `make demo` point it at the build tree, BUILD/locale), else in
 * the directory compiled in from the Makefile's PREFIX
 * ($(PREFIX)/share/locale, where `make install` puts it).
 *
 * Threads: i18n_init() and i18n_english() change the process's locale and
 * run in main before any thread starts; _() may be called from any thread.
 * This header is the only place that includes <libintl.h>.
 */
#ifndef TINBAO_I18N_H
#define TINBAO_I18N_H

#include <libintl.h>

#define I18N_DOMAIN "tinbao"

#define _(s) gettext(s)
#define N_(s) (s)

/* setlocale from the environment (LC_NUMERIC stays "C": numbers in output
 * that scripts read keep their decimal point), then the text domain. */
void i18n_init(void);
/* Messages in English from here on, whatever the environment says: tinbaod
 * calls it once the options are read, before it logs anything. */
void i18n_english(void);

#endif
