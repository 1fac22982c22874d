/* adminsock — see adminsock.h. */
#include "gateway/adminsock.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gateway/heartbeat.h"
#include "gateway/log.h"

#define TAG "admin socket"

struct adminsock {
	int fd, stop_fd;
	char path[sizeof ((struct sockaddr_un *)0)->sun_path];
	adminsock_handler handler;
	void *arg;
	pthread_t thread;
};

static int
address(const char *path, struct sockaddr_un *su, char *err, size_t errlen)
{
	memset(su, 0, sizeof *su);
	su->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof su->sun_path) {
		snprintf(err, errlen, "%s: path longer than %zu bytes", path,
		    sizeof su->sun_path - 1);
		return -1;
	}
	memcpy(su->sun_path, path, strlen(path) + 1);
	return 0;
}

static void
timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static void
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = send(fd, s, len, MSG_NOSIGNAL);
		if (w <= 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;                 /* the client went away or stalled */
		s += w;
		len -= (size_t)w;
	}
}

/* One connection: read the request line, answer, close. */
static void
serve(struct adminsock *s, int c)
{
	char req[ADMINSOCK_REQUEST_MAX + 2];
	size_t n = 0;
	timeouts(c, ADMINSOCK_TIMEOUT_MS);
	while (n < sizeof req - 1) {
		ssize_t r = read(c, req + n, sizeof req - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(req, '\n', n))
			break;
	}
	req[n] = '\0';
	char *nl = strchr(req, '\n');
	if (!nl) {
		static const char refused[] = "{\"error\":\"one request line of at most 64 bytes\"}\n";
		write_all(c, refused, sizeof refused - 1);
		return;
	}
	*nl = '\0';
	if (nl > req && nl[-1] == '\r')
		nl[-1] = '\0';
	char *answer = s->handler(s->arg, req);
	if (!answer || strlen(answer) > ADMINSOCK_ANSWER_MAX) {
		static const char failed[] = "{\"error\":\"no answer\"}\n";
		write_all(c, failed, sizeof failed - 1);
	} else {
		write_all(c, answer, strlen(answer));
		write_all(c, "\n", 1);
	}
	free(answer);
}

static void *
run(void *arg)
{
	struct adminsock *s = arg;
	pthread_setname_np(pthread_self(), "tb-admin");
	int hb = heartbeat_register("admin socket", HEARTBEAT_ADMINSOCK_S);
	for (;;) {
		heartbeat_beat(hb);
		struct pollfd p[2] = { { .fd = s->fd, .events = POLLIN }, { .fd = s->stop_fd,
		    .events = POLLIN } };
		int r = poll(p, 2, 1000);
		if (r < 0 && errno != EINTR) {
			log_error(TAG, "poll: %s", strerror(errno));
			break;
		}
		if (p[1].revents)
			break;
		if (r > 0 && (p[0].revents & POLLIN)) {
			int c = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				serve(s, c);
				close(c);
			} else if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
				log_warn(TAG, "accept: %s", strerror(errno));
				struct timespec pause = { .tv_sec = 0, .tv_nsec = 100000000L };
				nanosleep(&pause, NULL);     /* e.g. out of descriptors */
			}
		}
	}
	heartbeat_unregister(hb);
	return NULL;
}

/* A socket file at path: 0 when it may be (re)made, -1 when something
 * else is there or a daemon answers on it. */
static int
clear_stale(const char *path, const struct sockaddr_un *su, char *err, size_t errlen)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s", path,
		    strerror(errno)), -1);
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int alive = fd >= 0 && connect(fd, (const struct sockaddr *)su, sizeof *su) == 0;
	if (fd >= 0)
		close(fd);
	if (alive) {
		snprintf(err, errlen, "%s: another tinbaod answers there", path);
		return -1;
	}
	unlink(path);
	return 0;
}

struct adminsock *
adminsock_start(const char *path, adminsock_handler h, void *arg, char *err, size_t errlen)
{
	struct sockaddr_un su;
	if (address(path, &su, err, errlen) < 0 || clear_stale(path, &su, err, errlen) < 0)
		return NULL;
	struct adminsock *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->handler = h;
	s->arg = arg;
	s->stop_fd = -1;
	memcpy(s->path, su.sun_path, sizeof s->path);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&su, sizeof su) < 0 ||
	    chmod(path, 0660) < 0 || listen(s->fd, 16) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (s->fd >= 0) {
			close(s->fd);
			unlink(path);
		}
		free(s);
		return NULL;
	}
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0 || pthread_create(&s->thread, NULL, run, s) != 0) {
		snprintf(err, errlen, "cannot start the admin socket's thread");
		if (s->stop_fd >= 0)
			close(s->stop_fd);
		close(s->fd);
		unlink(path);
		free(s);
		return NULL;
	}
	return s;
}

void
adminsock_stop(struct adminsock *s)
{
	if (!s)
		return;
	uint64_t one = 1;
	if (write(s->stop_fd, &one, sizeof one) != (ssize_t)sizeof one)
		log_warn(TAG, "cannot signal its thread to stop: %s", strerror(errno));
	pthread_join(s->thread, NULL);
	close(s->stop_fd);
	close(s->fd);
	unlink(s->path);
	free(s);
}

int
adminsock_ask(const char *path, const char *request, int timeout_ms, char **answer, char *err,
    size_t errlen)
{
	struct sockaddr_un su;
	*answer = NULL;
	if (address(path, &su, err, errlen) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&su, sizeof su) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	timeouts(fd, timeout_ms);
	size_t len = strlen(request), n = 0;
	char *buf = malloc(ADMINSOCK_ANSWER_MAX + 2);
	int ok = buf && len <= ADMINSOCK_REQUEST_MAX &&
	    send(fd, request, len, MSG_NOSIGNAL) == (ssize_t)len &&
	    send(fd, "\n", 1, MSG_NOSIGNAL) == 1;
	while (ok && n < ADMINSOCK_ANSWER_MAX + 1) {
		ssize_t r = read(fd, buf + n, ADMINSOCK_ANSWER_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			ok = 0;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	int saved = errno;
	close(fd);
	if (!ok || n == 0 || n > ADMINSOCK_ANSWER_MAX) {
		snprintf(err, errlen, "%s: %s", path, !buf ? "out of memory" : n > ADMINSOCK_ANSWER_MAX ?
		    "answer too long" : !ok ? strerror(saved) : "no answer");
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*answer = buf;
	return 0;
}
