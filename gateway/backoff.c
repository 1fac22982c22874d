/* backoff — see backoff.h. */
#include "gateway/backoff.h"

int64_t
backoff_delay(int64_t base, int64_t max, int attempt)
{
	if (base < 1)
		base = 1;
	if (max < base)
		max = base;
	int64_t d = base;
	for (int i = 1; i < attempt && d < max; i++)
		d = d > max / 2 ? max : d * 2;
	return d > max ? max : d;
}
