/* wardd: becoming a daemon, the pid file, dropping privileges.
 *
 * Daemonising keeps the starting shell informed, as dnsmasq does: the
 * first process waits on a pipe until the daemon reports that it bound its
 * sockets and wrote its pid file (status 0) or why it could not (an exit
 * status), and exits with that status. Privileges are dropped after
 * binding: user= (default "nobody" when started as root), group= (default
 * "dip" if it exists, else the user's group); "" keeps the current one. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/wardd.h"

int process_daemonise(int *ready_fd)
{
	int p[2];
	if (pipe(p) < 0)
		return WARD_EIO;
	pid_t pid = fork();
	if (pid < 0)
		return WARD_EIO;
	if (pid > 0) {
		/* the starting process: wait for the daemon's verdict */
		close(p[1]);
		unsigned char status = WARDD_EXIT_OTHER;
		ssize_t n;
		do
			n = read(p[0], &status, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			status = WARDD_EXIT_OTHER;
		waitpid(pid, NULL, 0);   /* the middle process exits at once */
		_exit(status);
	}
	close(p[0]);
	if (setsid() < 0)
		_exit(WARDD_EXIT_OTHER);
	pid = fork();              /* never a session leader: no tty again */
	if (pid < 0)
		_exit(WARDD_EXIT_OTHER);
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return WARD_EIO;
	umask(022);
	*ready_fd = p[1];
	return 0;
}

void process_ready(int ready_fd, int status)
{
	if (ready_fd < 0)
		return;
	unsigned char s = (unsigned char)status;
	ssize_t n;
	do
		n = write(ready_fd, &s, 1);
	while (n < 0 && errno == EINTR);
	close(ready_fd);
	if (status == 0) {
		/* nobody to talk to any more */
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
}

int process_write_pid(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		wlog(WLOG_ERR, "cannot write pid file %s: %m", path);
		return WARD_EIO;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		wlog(WLOG_ERR, "cannot write pid file %s: %m", path);
		return WARD_EIO;
	}
	return 0;
}

int process_drop_privileges(const ward_conf *c)
{
	if (geteuid() != 0)
		return 0;          /* as dnsmasq: only root changes user */
	const char *user = c->user ? c->user : "nobody";
	if (!*user)
		return 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		wlog(WLOG_ERR, "unknown user or group: %s", user);
		return WARD_ENOTFOUND;
	}
	gid_t gid = pw->pw_gid;
	const char *group = c->group;
	if (!group) {
		struct group *gr = getgrnam("dip");
		if (gr)
			gid = gr->gr_gid;
	} else if (*group) {
		struct group *gr = getgrnam(group);
		if (!gr) {
			wlog(WLOG_ERR, "unknown user or group: %s", group);
			return WARD_ENOTFOUND;
		}
		gid = gr->gr_gid;
	}
	if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(pw->pw_uid) < 0) {
		wlog(WLOG_ERR, "failed to change user to %s: %m", user);
		return WARD_EIO;
	}
	if (setuid(0) == 0) {
		wlog(WLOG_ERR, "privileges could be regained after dropping them");
		return WARD_EIO;
	}
	wlog(WLOG_INFO, "running as user %s (uid %ld, gid %ld)", user,
	     (long)pw->pw_uid, (long)gid);
	return 0;
}
