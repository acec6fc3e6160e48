/* ward: configuration files on the real file system (conf_io_posix):
 * whole files (or standard input for "-") with a size cap and an identity
 * (device, inode) for include-loop detection; directory listings of
 * regular files. The parser itself reads nothing but through a conf_io. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_int.h"

static int posix_read(void *ctx, const char *path, char **text, size_t *len,
                      uint64_t id[2], const char **why)
{
	(void)ctx;
	int fd;
	bool is_stdin = !strcmp(path, "-");
	*why = NULL;
	id[0] = id[1] = 0;
	if (is_stdin) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			*why = strerror(errno);
			return WARD_EIO;
		}
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		*why = strerror(errno);
		if (!is_stdin)
			close(fd);
		return WARD_EIO;
	}
	if (S_ISDIR(sb.st_mode)) {
		*why = "is a directory (use conf-dir=)";
		if (!is_stdin)
			close(fd);
		return WARD_EIO;
	}
	if (!is_stdin) {
		id[0] = (uint64_t)sb.st_dev + 1;
		id[1] = (uint64_t)sb.st_ino;
	}
	size_t cap = S_ISREG(sb.st_mode) && sb.st_size > 0 ?
	             (size_t)sb.st_size + 1 : 4096;
	if (cap > CONF_FILE_MAX_BYTES + 1)
		cap = CONF_FILE_MAX_BYTES + 1;
	char *buf = malloc(cap);
	size_t n = 0;
	int ret = 0;
	if (!buf) {
		ret = WARD_ENOMEM;
		goto out;
	}
	for (;;) {
		if (n == cap) {
			if (cap > CONF_FILE_MAX_BYTES) {
				*why = "file is larger than 256 MiB";
				ret = WARD_ELIMIT;
				goto out;
			}
			size_t ncap = cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				ret = WARD_ENOMEM;
				goto out;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*why = strerror(errno);
			ret = WARD_EIO;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > CONF_FILE_MAX_BYTES) {
		*why = "file is larger than 256 MiB";
		ret = WARD_ELIMIT;
		goto out;
	}
	*text = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (!is_stdin)
		close(fd);
	return ret;
}

static int posix_list(void *ctx, const char *path, char ***names, size_t *n,
                      const char **why)
{
	(void)ctx;
	*names = NULL;
	*n = 0;
	DIR *d = opendir(path);
	if (!d) {
		*why = strerror(errno);
		return WARD_EIO;
	}
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	int ret = 0;
	struct dirent *de;
	int dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		struct stat sb;
		if (fstatat(dfd, de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nv = realloc(v, ncap * sizeof *v);
			if (!nv) {
				ret = WARD_ENOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		v[cnt] = strdup(de->d_name);
		if (!v[cnt]) {
			ret = WARD_ENOMEM;
			break;
		}
		cnt++;
	}
	closedir(d);
	if (ret) {
		for (size_t i = 0; i < cnt; i++)
			free(v[i]);
		free(v);
		return ret;
	}
	*names = v;
	*n = cnt;
	return 0;
}

const conf_io conf_io_posix = { posix_read, posix_list, NULL };
