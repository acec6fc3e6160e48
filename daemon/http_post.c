/* wardd dashboard: the fields of a POSTed form (http.h). libmicrohttpd
 * parses the body (application/x-www-form-urlencoded or
 * multipart/form-data) with its post processor; this keeps the few fields
 * the dashboard's forms have, each at most HTTP_FIELD_MAX bytes, and the
 * whole form at most HTTP_POST_MAX: anything longer marks the form too
 * big (refused with 413). */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/http.h"

static char *field(struct http_form *f, const char *key)
{
	if (!strcmp(key, "csrf"))
		return f->csrf;
	if (!strcmp(key, "name"))
		return f->name;
	if (!strcmp(key, "kind"))
		return f->kind;
	if (!strcmp(key, "source"))
		return f->source;
	if (!strcmp(key, "type"))
		return f->type;
	return NULL;
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *filename,
                                const char *content_type,
                                const char *transfer_encoding,
                                const char *data, uint64_t off, size_t size)
{
	struct http_form *f = cls;
	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	char *dst = key ? field(f, key) : NULL;
	if (!dst)
		return MHD_YES;            /* other fields are ignored */
	if (off + size >= HTTP_FIELD_MAX || off > strlen(dst)) {
		f->too_big = true;
		return MHD_YES;
	}
	memcpy(dst + off, data, size);
	dst[off + size] = 0;
	return MHD_YES;
}

struct http_form *http_form_new(struct MHD_Connection *c)
{
	struct http_form *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->pp = MHD_create_post_processor(c, 1024, on_field, f);
	/* NULL: not a form's content type; the fields stay empty and the
	 * token check refuses the request */
	return f;
}

void http_form_feed(struct http_form *f, const char *data, size_t len)
{
	if (len > HTTP_POST_MAX - f->bytes) {
		f->too_big = true;
		return;
	}
	f->bytes += len;
	if (f->pp && MHD_post_process(f->pp, data, len) != MHD_YES)
		f->too_big = true;
}

void http_form_free(struct http_form *f)
{
	if (!f)
		return;
	if (f->pp)
		MHD_destroy_post_processor(f->pp);
	free(f);
}
