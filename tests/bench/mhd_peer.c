/* mhd_peer — the benchmark's own HTTP peers, on libmicrohttpd, loopback only.
 *
 *   mhd_peer bare  [--per-connection] [PORT]
 *       The baseline for the webhook figures: reads the request body and
 *       answers 200 with a body the size of tinbaod's ("admitted"), doing
 *       nothing else. Same library, same machine, same client as tinbaod.
 *       By default an epoll thread pool of two (the best this library does
 *       on two cores); --per-connection uses tinbaod's own mode (a thread
 *       per connection, poll()).
 *   mhd_peer zalo  [--refuse] [PORT]
 *       A Zalo that answers at once, for the outbound side: the OA token
 *       refresh, OA consultation and group messages, the bot's sendMessage
 *       and the other bot methods. --refuse: every send is answered 503
 *       (the token refresh still works).
 *
 * Prints "port N" on stdout once listening (PORT 0 or none: any free port),
 * then serves until SIGTERM or SIGINT. GET /_count answers how many sends
 * it took ("sent N refused N refresh N").
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

enum mode { BARE, ZALO };

static enum mode mode;
static int refuse;
static _Atomic unsigned long n_sent, n_refused, n_refresh;

/* A request's state: only whether the body has been read. */
static int body_marker;

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned int status, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
zalo_answer(struct MHD_Connection *c, const char *url, const char *method)
{
	static char counts[128];
	if (strcmp(method, "GET") == 0 && strcmp(url, "/_count") == 0) {
		/* one reader at a time in the benchmark: a static buffer does */
		snprintf(counts, sizeof counts, "sent %lu refused %lu refresh %lu\n",
		    atomic_load(&n_sent), atomic_load(&n_refused), atomic_load(&n_refresh));
		return answer(c, 200, counts);
	}
	if (strcmp(url, "/v4/oa/access_token") == 0) {
		atomic_fetch_add(&n_refresh, 1);
		return answer(c, 200, "{\"access_token\":\"bench-access-token\","
		    "\"refresh_token\":\"bench-refresh-token\",\"expires_in\":\"90000\"}");
	}
	int oa = strncmp(url, "/v3.0/oa/", 9) == 0 || strncmp(url, "/v2.0/oa/", 9) == 0;
	int bot_send = strncmp(url, "/bot", 4) == 0 && strstr(url, "/sendMessage") != NULL;
	if (oa || bot_send) {
		if (refuse) {
			atomic_fetch_add(&n_refused, 1);
			return answer(c, 503, "{\"error\":-1,\"message\":\"refused by the bench\"}");
		}
		atomic_fetch_add(&n_sent, 1);
		return answer(c, 200, oa ?
		    "{\"data\":{\"message_id\":\"bench0000000000000001\"},\"error\":0,"
		    "\"message\":\"Success\"}" :
		    "{\"ok\":true,\"result\":{\"message_id\":\"bench1\",\"date\":1749632637199}}");
	}
	if (strncmp(url, "/bot", 4) == 0)
		return answer(c, 200, "{\"ok\":true,\"result\":{\"url\":\"\",\"updated_at\":0}}");
	return answer(c, 404, "{\"error\":404,\"message\":\"not found\"}");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	(void)upload;
	if (!*con_cls) {
		*con_cls = &body_marker;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;         /* read and dropped */
		return MHD_YES;
	}
	if (mode == BARE)
		return answer(c, 200, "{\"ok\":true,\"message\":\"admitted\"}");
	return zalo_answer(c, url, method);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mhd_peer bare [--per-connection] [PORT]\n"
	    "       mhd_peer zalo [--refuse] [PORT]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "bare") == 0)
		mode = BARE;
	else if (strcmp(argv[1], "zalo") == 0)
		mode = ZALO;
	else
		usage();
	int per_connection = 0;
	long port = 0;
	for (int i = 2; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--per-connection") == 0 && mode == BARE) {
			per_connection = 1;
		} else if (strcmp(argv[i], "--refuse") == 0 && mode == ZALO) {
			refuse = 1;
		} else {
			port = strtol(argv[i], &end, 10);
			if (*end || port < 0 || port > 65535)
				usage();
		}
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d;
	if (per_connection)
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		    MHD_USE_POLL, 0, NULL, NULL, on_request, NULL,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_LIMIT, 2048u,
		    MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512 * 1024),
		    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	else
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL,
		    on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_THREAD_POOL_SIZE, 2u,
		    MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_LIMIT, 2048u,
		    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "mhd_peer: cannot listen on 127.0.0.1:%ld\n", port);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("port %u\n", info ? (unsigned)info->port : (unsigned)port);
	fflush(stdout);
	int sig;
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	return 0;
}
