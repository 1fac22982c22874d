/* secretfile — the one reader of a secret kept in a file: [zalo_oa]
 * oa_secret_key_file, app_secret_key_file and refresh_token_file, [zalo_bot]
 * token_file and webhook_secret_file, [http] admin_token_file.
 *
 * One rule for all of them: a regular file; its trailing newline (and any
 * CR, space or tab after the secret) dropped; min to max bytes of printable
 * ASCII without spaces; with SECRETFILE_URL_SAFE also without '/', '?' and
 * '#', so the secret cannot change a URL or a header it is put in. Every
 * byte read is wiped from temporaries, and from out when the file is
 * refused. A file that others (not its owner or group) may read is still
 * read, but reported through *others_read so the caller warns.
 *
 * Any thread; nothing is kept; nothing is logged (errors go to err, never
 * with a byte of the secret in them).
 */
#ifndef TINBAO_SECRETFILE_H
#define TINBAO_SECRETFILE_H

#include <stddef.h>

#define SECRETFILE_URL_SAFE 1u

/* Read the secret at path into out (NUL-terminated). what names it in
 * errors ("[http] admin_token_file"). 0 with *len set (len may be NULL);
 * -1 with err = "WHAT PATH: reason". others_read (may be NULL) is set to 1
 * when the file's mode lets others read it. */
int secretfile_read(const char *what, const char *path, unsigned flags, size_t min,
    char *out, size_t outsz, size_t *len, int *others_read, char *err, size_t errlen);

/* 1 if others (not the owner or group) may read path, 0 if not, -1 if it
 * cannot be looked at (errno set). */
int secretfile_others_read(const char *path);

#endif
