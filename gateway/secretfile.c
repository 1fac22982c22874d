/* secretfile — see secretfile.h. */
#include "gateway/secretfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/i18n.h"
#include "gateway/identity.h"

/* A file larger than this is not a secret (the longest, Zalo's tokens, is
 * a few hundred bytes). */
#define SECRETFILE_READ_MAX 4096

static int
refuse(char *out, size_t outsz, char *tmp, size_t tmpsz, char *err, size_t errlen,
    const char *what, const char *path, const char *why)
{
	identity_wipe(tmp, tmpsz);
	if (outsz)
		identity_wipe(out, outsz);
	snprintf(err, errlen, "%s %s: %s", what, path, why);
	return -1;
}

int
secretfile_read(const char *what, const char *path, unsigned flags, size_t min,
    char *out, size_t outsz, size_t *len, int *others_read, char *err, size_t errlen)
{
	char tmp[SECRETFILE_READ_MAX + 1];
	if (outsz)
		out[0] = '\0';
	if (others_read)
		*others_read = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		snprintf(err, errlen, _("%s %s: not a regular file"), what, path);
		return -1;
	}
	if (others_read)
		*others_read = (sb.st_mode & S_IROTH) != 0;
	size_t n = 0;
	ssize_t r;
	while (n < sizeof tmp - 1 && (r = read(fd, tmp + n, sizeof tmp - 1 - n)) > 0)
		n += (size_t)r;
	int e = errno;
	close(fd);
	if (r < 0 && n < sizeof tmp - 1)
		return refuse(out, outsz, tmp, sizeof tmp, err, errlen, what, path, strerror(e));
	while (n && (tmp[n - 1] == '\n' || tmp[n - 1] == '\r' || tmp[n - 1] == ' ' ||
	    tmp[n - 1] == '\t'))
		n--;
	tmp[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)tmp[i];
		if (ch <= ' ' || ch > '~' || ((flags & SECRETFILE_URL_SAFE) &&
		    (ch == '/' || ch == '?' || ch == '#')))
			return refuse(out, outsz, tmp, sizeof tmp, err, errlen, what, path,
			    _("not a token: only printable characters without spaces (e.g. openssl "
			    "rand -hex 32)"));
	}
	if (n == 0)
		return refuse(out, outsz, tmp, sizeof tmp, err, errlen, what, path, _("empty"));
	if (n < min || n >= outsz) {
		char why[96];
		snprintf(why, sizeof why, _("the secret must be %zu to %zu characters, not %zu"), min,
		    outsz ? outsz - 1 : 0, n);
		return refuse(out, outsz, tmp, sizeof tmp, err, errlen, what, path, why);
	}
	memcpy(out, tmp, n + 1);
	identity_wipe(tmp, sizeof tmp);
	if (len)
		*len = n;
	return 0;
}

int
secretfile_others_read(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return -1;
	return (sb.st_mode & S_IROTH) != 0;
}
