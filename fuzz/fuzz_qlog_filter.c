/* Fuzz harness: the dashboard's query-string parsers (daemon/qlog_ring.c):
 * qlog_filter_parse on the client=, name= and rcode= values and
 * qlog_seq_parse on since= / Last-Event-ID, then the filter matched
 * against an entry read from the rest of the input as an answer
 * (qlog_entry_from_answer). Input: four lines (client, name, rcode,
 * since), then the answer's bytes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/qlog_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the next line as a NUL-terminated copy (MHD hands us C strings) */
static char *line(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	memcpy(s, *p, n);
	s[n] = 0;
	*p += n + (nl ? 1 : 0);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *v[4];
	for (int i = 0; i < 4; i++)
		v[i] = line(&p, end);
	struct qlog_filter f;
	const char *why = NULL;
	int r = qlog_filter_parse(&f, v[0], v[1], v[2], &why);
	if (r != 0 && (!why || !qlog_filter_empty(&f)))
		__builtin_trap();
	if (strlen(f.client) >= sizeof f.client || f.rcode > 4095)
		__builtin_trap();
	uint64_t seq;
	qlog_seq_parse(v[3], &seq);
	struct qlog_entry e;
	memset(&e, 0, sizeof e);
	if (qlog_entry_from_answer(&e, p, (size_t)(end - p), (size_t)size & 1) == 0) {
		if (!memchr(e.name, 0, sizeof e.name) ||
		    !memchr(e.ede_text, 0, sizeof e.ede_text) ||
		    !memchr(e.type, 0, sizeof e.type))
			__builtin_trap();
		bool m = qlog_filter_match(&f, &e);
		if (qlog_filter_empty(&f) && !m)
			__builtin_trap();     /* an empty filter matches everything */
		char rc[8];
		qlog_rcode_str(e.rcode, rc);
	}
	for (int i = 0; i < 4; i++)
		free(v[i]);
	return 0;
}
