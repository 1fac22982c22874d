/* heartbeat — see heartbeat.h. */
#include "gateway/heartbeat.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

struct slot {
	int used;
	int bound_s;
	char name[32];
	_Atomic long long last;     /* CLOCK_MONOTONIC seconds */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[HEARTBEAT_MAX];

static long long
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

int
heartbeat_register(const char *name, int bound_s)
{
	int slot = -1;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < HEARTBEAT_MAX; i++) {
		if (!slots[i].used) {
			snprintf(slots[i].name, sizeof slots[i].name, "%s", name);
			slots[i].bound_s = bound_s;
			atomic_store(&slots[i].last, now_s());
			slots[i].used = 1;
			slot = i;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
	return slot;
}

void
heartbeat_beat(int slot)
{
	if (slot >= 0 && slot < HEARTBEAT_MAX)
		atomic_store(&slots[slot].last, now_s());
}

void
heartbeat_unregister(int slot)
{
	if (slot < 0 || slot >= HEARTBEAT_MAX)
		return;
	pthread_mutex_lock(&lock);
	slots[slot].used = 0;
	pthread_mutex_unlock(&lock);
}

int
heartbeat_stale(char *name, size_t namesz, long *silent_s)
{
	long long now = now_s();
	int stale = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < HEARTBEAT_MAX && !stale; i++) {
		if (!slots[i].used)
			continue;
		long long silent = now - atomic_load(&slots[i].last);
		if (silent > slots[i].bound_s) {
			stale = 1;
			snprintf(name, namesz, "%s", slots[i].name);
			*silent_s = (long)silent;
		}
	}
	pthread_mutex_unlock(&lock);
	return stale;
}
