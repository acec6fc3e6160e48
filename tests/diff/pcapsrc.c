/* ward tests: DNS messages from capture files via libpcap and ward's
 * capture core. See pcapsrc.h. */
#include "pcapsrc.h"

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

typedef struct walk {
	pcapsrc_fn fn;
	void *arg;
	pcapsrc_stats *st;
	char where[600];
	size_t where_base;
	bool stop;
} walk;

static void on_msg(const struct capture_msg *msg, void *user)
{
	walk *w = user;
	if (msg->kind != CAPTURE_DNS || w->stop)
		return;
	if (msg->transport == CAPTURE_TCP)
		w->st->dns_tcp++;
	else
		w->st->dns_udp++;
	if (msg->truncated)
		w->st->truncated++;
	snprintf(w->where + w->where_base, sizeof w->where - w->where_base,
	         "#%llu", (unsigned long long)msg->frame);
	if (w->fn(w->arg, w->where, msg->data, msg->len))
		w->stop = true;
}

static int walk_file(walk *w, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	if (!pc) {
		w->st->files_bad++;
		return 0;
	}
	struct capture_config cfg;
	capture_config_default(&cfg);
	(void)capture_config_add_dns_port(&cfg, 8053);
	capture_t *cap = capture_new(&cfg, on_msg, w);
	if (!cap) {
		pcap_close(pc);
		return -1;
	}
	w->st->files++;
	int lt = pcap_datalink(pc);
	struct pcap_pkthdr *h;
	const u_char *data;
	while (!w->stop && pcap_next_ex(pc, &h, &data) == 1) {
		capture_ts ts = { h->ts.tv_sec, (uint32_t)h->ts.tv_usec * 1000u };
		w->st->frames++;
		(void)capture_frame(cap, ts, lt, data, h->caplen, h->len);
	}
	if (!w->stop)
		capture_flush(cap);
	w->st->reassembled += capture_get_stats(cap)->reassembled;
	capture_free(cap);
	pcap_close(pc);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_capture(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".pcap")) ||
	       (n > 7 && !strcmp(name + n - 7, ".pcapng"));
}

static int walk_dir(walk *w, const char *dir, const char *sub)
{
	char path[512];
	int ret = 0;
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_capture(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn)
				break;
			names = nn;
		}
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (!w->stop && ret == 0) {
			char file[1024];
			snprintf(file, sizeof file, "%s/%s", path, names[i]);
			int k = snprintf(w->where, sizeof w->where, "%s/%s", sub,
			                 names[i]);
			w->where_base = k < 0 ? 0
			              : (size_t)k < sizeof w->where - 24
			              ? (size_t)k : sizeof w->where - 24;
			ret = walk_file(w, file);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int pcapsrc_walk(const char *dir, pcapsrc_fn fn, void *arg, pcapsrc_stats *st)
{
	walk w;
	memset(st, 0, sizeof *st);
	memset(&w, 0, sizeof w);
	w.fn = fn;
	w.arg = arg;
	w.st = st;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	closedir(d);
	static const char *subs[] = { "tcpdump", "dnscap", "tcpreplay" };
	for (size_t i = 0; i < 3 && !w.stop; i++)
		if (walk_dir(&w, dir, subs[i]) < 0)
			return -1;
	return 0;
}
