/* i18n — see i18n.h. */
#include "gateway/i18n.h"

#include <locale.h>
#include <stdlib.h>

/* I18N_LOCALEDIR comes from BUILD/i18n_dir.inc, which the Makefile writes
 * from PREFIX (and rewrites when PREFIX changes). */
#include "i18n_dir.inc"

void
i18n_init(void)
{
	const char *dir = getenv("TINBAO_LOCALEDIR");
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(I18N_DOMAIN, dir && *dir ? dir : I18N_LOCALEDIR);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
}

void
i18n_english(void)
{
	setlocale(LC_MESSAGES, "C");
}
