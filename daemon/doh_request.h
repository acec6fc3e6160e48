/* wardd: the DNS part of a DNS over HTTPS request (RFC 8484 §4.1), from
 * the request's method, :path, content-type and body as the HTTP/2 layer
 * (daemon/client_doh.c) collected them. Everything here is untrusted
 * input: the parser never reads past the lengths it is given and answers
 * every malformed request with an HTTP error status (fuzz/fuzz_doh_request.c).
 *
 *   GET  /dns-query?dns=BASE64URL[&other=...]   (RFC 8484 §4.1, §6)
 *   POST /dns-query   content-type: application/dns-message, body = message
 *
 * Sans-I/O: no allocation, the message is written to the caller's buffer. */
#ifndef WARD_DAEMON_DOH_REQUEST_H
#define WARD_DAEMON_DOH_REQUEST_H

#include <stddef.h>
#include <stdint.h>

/* ---- limits (named constants, DESIGN.md) ---- */
#define DOH_PATH "/dns-query"                     /* the one URI path served */
#define DOH_MEDIA_TYPE "application/dns-message"  /* RFC 8484 §6 */
#define DOH_MSG_MIN 12                            /* a DNS header */
#define DOH_MSG_MAX 65535                         /* a DNS message (RFC 8484 §6) */

/* One request as received. Strings are not NUL-terminated; a NULL pointer
 * with length 0 is an absent field. */
struct doh_request {
	const char *method;
	size_t method_len;
	const char *path;              /* :path, with its query string */
	size_t path_len;
	const char *content_type;      /* NULL: no content-type header */
	size_t content_type_len;
	const uint8_t *body;
	size_t body_len;
};

/* HTTP statuses the parser answers with */
enum doh_status {
	DOH_OK = 200,
	DOH_BAD_REQUEST = 400,         /* no or bad dns= parameter, bad base64url,
	                                * message shorter than a DNS header */
	DOH_NOT_FOUND = 404,           /* another path */
	DOH_BAD_METHOD = 405,          /* neither GET nor POST */
	DOH_TOO_LARGE = 413,           /* message longer than `cap` */
	DOH_BAD_MEDIA = 415,           /* POST without application/dns-message */
};

/* The DNS message of request r into out[0..cap), its length in *len.
 * Returns DOH_OK or the error status to answer with (*len is 0 then). */
enum doh_status doh_request_parse(const struct doh_request *r, uint8_t *out,
                                  size_t cap, size_t *len);

/* A short reason for a status ("Bad Request"), never NULL. */
const char *doh_status_text(enum doh_status st);

#endif
