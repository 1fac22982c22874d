/* zalo_out — sends the outbox's Zalo rows: one thread owns the libcurl multi
 * handle and every transfer (the only module that includes <curl/curl.h>).
 *
 * Channels: zalo_bot (sendMessage to the chat a citizen wrote from) and
 * zalo_oa (the v3 customer-service message; the access token is refreshed
 * with the single-use refresh token, one refresh at a time, the new pair
 * committed, sealed, before it is used).
 * Every call has connect and total timeouts, goes over https (plain http
 * only to a loopback address, which is how tests reach the local fake), keeps
 * TLS verification on, bounds the response it reads, and reads errors from
 * the body ({"ok": false, "error_code": N}). Failed sends are retried with
 * back-off by the outbox; a 401 (token reset) pauses the channel and is
 * logged once. The token is part of the URL: URLs are never logged.
 *
 * zalo_out_start()/zalo_out_stop() from the main thread; zalo_out_wake()
 * from any thread.
 */
#ifndef TINBAO_ZALO_OUT_H
#define TINBAO_ZALO_OUT_H

#include <stddef.h>

struct config;
struct identity;
struct zalo_out;

/* Also fetches the files that Zalo messages link to (bounded size and time,
 * https or loopback only) and keeps them in the database.
 * NULL with err when a channel is configured wrongly (token file, api_base
 * not https); NULL with err[0] == '\0' when no Zalo side is configured. */
struct zalo_out *zalo_out_start(const struct config *cfg, const struct identity *id,
    char *err, size_t errlen);
void zalo_out_wake(struct zalo_out *z);

struct zalo_health {
	int bot;                      /* the bot channel is configured */
	long long bot_paused_until;   /* after a refused bot token; 0 when not */
	int oa;                       /* the OA channel is configured */
	long long oa_token_expires;   /* 0: no access token */
	int oa_reauth;                /* the refresh token was refused */
	char last_error[160];
};
/* Any thread; z may be NULL (nothing configured). */
void zalo_out_health(struct zalo_out *z, struct zalo_health *out);
void zalo_out_stop(struct zalo_out *z);

/* 1 if url is https, or http to 127.0.0.0/8, localhost or [::1]. */
int zalo_url_allowed(const char *url);

#endif
