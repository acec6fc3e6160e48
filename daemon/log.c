/* wardd: the log, where dnsmasq's log-facility= puts it: syslog (facility
 * DAEMON by default, or the one named), "-" for standard error, or a file
 * (a value with a '/'), lines in dnsmasq's log-file layout
 * "Mon dd hh:mm:ss wardd[pid]: text". In the foreground with no-daemon
 * (dnsmasq's debug mode) messages go to standard error as well. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/wardd.h"

static FILE *log_file;       /* a file or stderr, NULL: syslog only */
static bool log_syslog;
static bool log_stderr_too;
static bool log_startup;     /* errors also on stderr until ready */
static bool log_debug;       /* WLOG_DEBUG messages written */

void wlog_set_debug(bool on)
{
	log_debug = on;
}

bool wlog_debug(void)
{
	return log_debug;
}

void wlog_startup(bool on)
{
	log_startup = on;
}

static const struct { const char *name; int fac; } facilities[] = {
	{ "DAEMON", LOG_DAEMON }, { "USER", LOG_USER }, { "MAIL", LOG_MAIL },
	{ "LOCAL0", LOG_LOCAL0 }, { "LOCAL1", LOG_LOCAL1 },
	{ "LOCAL2", LOG_LOCAL2 }, { "LOCAL3", LOG_LOCAL3 },
	{ "LOCAL4", LOG_LOCAL4 }, { "LOCAL5", LOG_LOCAL5 },
	{ "LOCAL6", LOG_LOCAL6 }, { "LOCAL7", LOG_LOCAL7 },
};

int wlog_open(const ward_conf *c, bool foreground)
{
	const char *f = c->log_facility;
	if (f && !strcmp(f, "-")) {
		log_file = stderr;
		return 0;
	}
	if (f && strchr(f, '/')) {
		log_file = fopen(f, "a");
		if (!log_file) {
			fprintf(stderr, "wardd: cannot open log file %s: %s\n", f,
			        strerror(errno));
			return WARD_EIO;
		}
		setvbuf(log_file, NULL, _IOLBF, 0);
		return 0;
	}
	int fac = LOG_DAEMON;
	for (size_t i = 0; f && i < sizeof facilities / sizeof facilities[0]; i++)
		if (!strcasecmp(f, facilities[i].name))
			fac = facilities[i].fac;
	openlog("wardd", LOG_PID, fac);
	log_syslog = true;
	log_stderr_too = foreground && c->no_daemon;
	return 0;
}

void wlog_close(void)
{
	if (log_file && log_file != stderr)
		fclose(log_file);
	log_file = NULL;
	if (log_syslog)
		closelog();
	log_syslog = false;
}

static void put(FILE *f, const char *msg)
{
	char ts[32];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%b %e %H:%M:%S", &tm);
	fprintf(f, "%s wardd[%ld]: %s\n", ts, (long)getpid(), msg);
	fflush(f);
}

void wlog(int level, const char *fmt, ...)
{
	char msg[2048];
	if (level >= WLOG_DEBUG && !log_debug)
		return;
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	errno = saved;   /* %m */
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (log_syslog)
		syslog(level, "%s", msg);
	if (log_file)
		put(log_file, msg);
	else if (!log_syslog || log_stderr_too)
		put(stderr, msg);
	bool on_stderr = log_file == stderr ||
	                 (!log_file && (!log_syslog || log_stderr_too));
	if (log_startup && level <= WLOG_ERR && !on_stderr)
		fprintf(stderr, "wardd: %s\n", msg);
}
