/* backoff — the one exponential back-off of the daemon: how long to wait
 * before the next try of anything that failed (an outbox send, a modem
 * connection, a token refresh, an attachment fetch).
 *
 * Pure arithmetic on its arguments: any thread may call it, nothing is
 * kept between calls.
 */
#ifndef TINBAO_BACKOFF_H
#define TINBAO_BACKOFF_H

#include <stdint.h>

/* The wait before try number `attempt + 1` after `attempt` failed tries
 * (attempt >= 1): base * 2^(attempt - 1), at most max. base and max are
 * in the caller's unit (seconds or milliseconds); attempt < 1 counts as 1,
 * base < 1 as 1, and max below base as base. Never overflows. */
int64_t backoff_delay(int64_t base, int64_t max, int attempt);

#endif
