/* wardd dashboard: the token that every changing request (a POST) must
 * carry (http.h; docs/dashboard.md, "Security").
 *
 * A browser session is a random id in a cookie (ward_sid: HttpOnly,
 * SameSite=Strict, Secure over TLS) that wardd hands out with a page that
 * has forms. The token in those forms is HMAC-SHA256(key, session id),
 * the key drawn at start: wardd keeps no session table, and a token is
 * good for that browser's session and this run of wardd only. A POST is
 * accepted when its cookie and its token agree (compared in constant
 * time). A page on another site can make the browser send a POST, but
 * cannot read the token (same-origin policy) and, with SameSite=Strict,
 * does not even get the cookie sent along. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/http.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = 0;
}

int http_csrf_init(struct http_csrf *k)
{
	return RAND_bytes(k->key, sizeof k->key) == 1 ? 0 : WARD_EIO;
}

bool http_csrf_session(struct MHD_Connection *c, char sid[HTTP_SID_LEN + 1])
{
	const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
	                                            HTTP_SID_COOKIE);
	sid[0] = 0;
	if (!v || strlen(v) != HTTP_SID_LEN ||
	    strspn(v, "0123456789abcdef") != HTTP_SID_LEN)
		return false;
	memcpy(sid, v, HTTP_SID_LEN + 1);
	return true;
}

int http_csrf_new_session(char sid[HTTP_SID_LEN + 1])
{
	uint8_t r[HTTP_SID_LEN / 2];
	if (RAND_bytes(r, sizeof r) != 1)
		return WARD_EIO;
	hex(r, sizeof r, sid);
	return 0;
}

void http_csrf_token(const struct http_csrf *k, const char *sid,
                     char tok[HTTP_CSRF_LEN + 1])
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	if (!HMAC(EVP_sha256(), k->key, sizeof k->key, (const uint8_t *)sid,
	          strlen(sid), mac, &len) || len * 2 < HTTP_CSRF_LEN) {
		memset(tok, 0, HTTP_CSRF_LEN + 1);  /* matches no token */
		return;
	}
	hex(mac, HTTP_CSRF_LEN / 2, tok);
}

bool http_csrf_ok(const struct http_csrf *k, const char *sid, const char *tok)
{
	if (!sid || !*sid || !tok || strlen(tok) != HTTP_CSRF_LEN)
		return false;
	char want[HTTP_CSRF_LEN + 1];
	http_csrf_token(k, sid, want);
	return want[0] && CRYPTO_memcmp(want, tok, HTTP_CSRF_LEN) == 0;
}

void http_csrf_page(const struct http_server *h, struct MHD_Connection *c,
                    struct http_reply *rep, char tok[HTTP_CSRF_LEN + 1])
{
	char sid[HTTP_SID_LEN + 1];
	if (!http_csrf_session(c, sid)) {
		if (http_csrf_new_session(sid) < 0) {
			tok[0] = 0;
			return;
		}
		snprintf(rep->cookie, sizeof rep->cookie, "%s=%s; Path=/; HttpOnly; "
		         "SameSite=Strict%s", HTTP_SID_COOKIE, sid,
		         h->tls ? "; Secure" : "");
	}
	http_csrf_token(&h->csrf, sid, tok);
}
