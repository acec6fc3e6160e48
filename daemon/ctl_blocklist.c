/* wardd: the blocklist commands of `ward ctl` (docs/ctl.md), on the event
 * loop: the same actions as the dashboard's blocklists page
 * (blocklist_run.h) for a shell. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/blocklist_run.h"
#include "daemon/ctl.h"

static void when(char *buf, size_t n, int64_t ms)
{
	if (!ms) {
		snprintf(buf, n, "never");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static enum ctl_code list(struct wardd *d, strbuf *out, char *msg,
                          size_t msglen)
{
	struct blocklists_status st;
	if (blocklists_status_get(d, &st) < 0) {
		snprintf(msg, msglen, "out of memory");
		return CTL_FAILED;
	}
	size_t names = 0;
	for (size_t i = 0; i < st.n; i++) {
		const struct bl_source_status *s = &st.src[i];
		char at[32];
		when(at, sizeof at, s->last_ms);
		names += s->names;
		ctl_put_linef(out, "%zu %s %s names=%zu last=%s %s%s%s", i,
		              s->manual ? "added-here" : s->allow ? "allowlist" :
		              "blocklist", s->spec, s->names, at,
		              s->busy ? "reading" : s->err[0] ? "failed: " :
		              s->loads ? "ok" : "not-read-yet",
		              s->busy ? "" : s->err,
		              !s->busy && s->err[0] && s->ok_ms ?
		              " (the list in force is kept)" : "");
	}
	for (size_t i = 0; i < st.entries.n; i++) {
		const struct bl_entry *x = &st.entries.v[i];
		if (x->kind != BL_ENTRY_OTHER)
			ctl_put_linef(out, "%s %s", x->kind == BL_ENTRY_ALLOW ?
			              "allowed" : "blocked", x->text);
	}
	snprintf(msg, msglen, "%zu names in %zu lists, mode %s", names, st.n,
	         st.nxdomain ? "nxdomain" : "null");
	blocklists_status_free(&st);
	return CTL_OK;
}

enum ctl_code ctl_cmd_blocklist(struct wardd *d, const struct ctl_req *req,
                                strbuf *out, char *msg, size_t msglen)
{
	if (req->cmd == CTL_BLOCKLIST_LIST)
		return list(d, out, msg, msglen);
	if (req->cmd == CTL_BLOCKLIST_REFRESH) {
		int n = blocklists_refresh(d, req->bl_index);
		if (n < 0) {
			snprintf(msg, msglen, "no such list (blocklist list shows "
			         "them)");
			return CTL_FAILED;
		}
		snprintf(msg, msglen, "%d list%s queued to be read again", n,
		         n == 1 ? "" : "s");
		return CTL_OK;
	}
	char name[DNS_NAME_TEXT_MAX];
	dns_name_str(&req->name, name);
	enum bl_change op = req->bl_op == CTL_BL_ALLOW ? BL_CHANGE_ALLOW :
	                    req->bl_op == CTL_BL_REMOVE ? BL_CHANGE_REMOVE :
	                                                  BL_CHANGE_BLOCK;
	int r = blocklists_manual_change(d, op, name, msg, msglen);
	return r < 0 ? (r == WARD_EINVAL ? CTL_BAD : CTL_FAILED) : CTL_OK;
}
