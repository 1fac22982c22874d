/* confvalue — the parsers of configuration values that the configuration
 * and the CLI share: durations, local times of day, hour windows, level
 * lists. Declared in config.h; pure functions, any thread. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"

int
config_parse_duration_ms(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || errno || v < 0)
		return -1;
	int64_t mult = 1000;
	if (strcmp(end, "ms") == 0) {
		mult = 1;
		end += 2;
	} else if (*end) {
		switch (*end) {
		case 's': mult = 1000; break;
		case 'm': mult = 60 * 1000; break;
		case 'h': mult = 3600 * 1000; break;
		case 'd': mult = 86400 * 1000; break;
		default: return -1;
		}
		end++;
	}
	if (*end || v > INT64_MAX / mult / 2)
		return -1;
	*out = (int64_t)v * mult;
	return 0;
}

int
config_parse_duration(const char *s, int64_t *out)
{
	int64_t ms;
	if (config_parse_duration_ms(s, &ms) < 0 || ms % 1000 != 0)
		return -1;
	*out = ms / 1000;
	return 0;
}

/* s[0..n) without the spaces around it into out (outsz bytes); -1 if it
 * does not fit. */
static int
trimmed(const char *s, size_t n, char *out, size_t outsz)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= outsz)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

int
config_parse_hours(const char *s, int *from, int *to)
{
	char a[8], b[8];
	const char *dash = strchr(s, '-');
	if (!dash) {
		if (trimmed(s, strlen(s), a, sizeof a) < 0 || a[0])
			return -1;
		*from = *to = -1;             /* empty: always */
		return 0;
	}
	int f, t;
	if (trimmed(s, (size_t)(dash - s), a, sizeof a) < 0 ||
	    trimmed(dash + 1, strlen(dash + 1), b, sizeof b) < 0 ||
	    strcmp(a, "off") == 0 || strcmp(b, "off") == 0 ||
	    config_parse_hhmm(a, &f) < 0 || config_parse_hhmm(b, &t) < 0 || f == t)
		return -1;
	*from = f;
	*to = t;
	return 0;
}

int
config_parse_levels(const char *s, unsigned *mask)
{
	unsigned m = 0;
	for (const char *p = s; *p; ) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p < '1' || *p > '4' || (p[1] && p[1] != ',' && p[1] != ' '))
			return -1;
		m |= 1u << (*p - '0');
		p++;
	}
	*mask = m;
	return 0;
}

int
config_parse_hhmm(const char *s, int *minutes)
{
	if (strcmp(s, "off") == 0) {
		*minutes = -1;
		return 0;
	}
	if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (s[0] == ':' || s[1] == ':' || s[3] == ':' || s[4] == ':' || h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}
