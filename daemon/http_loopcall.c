/* wardd dashboard: run a function on the event loop from an HTTP thread
 * and wait for it (http.h) — how an action of the dashboard changes
 * wardd's state (the blocklists page) without touching it from a
 * libmicrohttpd thread. The same handshake as the snapshot
 * (http_snapshot.c): the handler sets the call under the mutex, wakes the
 * loop with uv_async_send and waits; the loop's callback runs it while
 * holding the mutex and signals. A handler that gives up (the loop did not
 * get to it within HTTP_SNAPSHOT_WAIT_MS) clears the call first, so it
 * either ran completely before the handler returned or never runs: an
 * action reported as failed did not happen later behind the user's back. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/http.h"

static void on_async(uv_async_t *a)
{
	struct http_loopcall *c = a->data;
	pthread_mutex_lock(&c->mu);
	if (c->fn && c->done < c->asked) {
		c->fn(c->d, c->arg);
		c->fn = NULL;
		c->done = c->asked;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
}

int http_loopcall_init(struct http_loopcall *c, struct wardd *d)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	int r = uv_async_init(d->loop, &c->async, on_async);
	if (r < 0)
		return r;
	c->async.data = c;
	c->open = true;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&c->mu, NULL);
	pthread_mutex_init(&c->take_mu, NULL);
	return 0;
}

void http_loopcall_close(struct http_loopcall *c)
{
	if (!c->open)
		return;
	pthread_mutex_lock(&c->mu);
	c->closed = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	if (!uv_is_closing((uv_handle_t *)&c->async))
		uv_close((uv_handle_t *)&c->async, NULL);
}

void http_loopcall_free(struct http_loopcall *c)
{
	if (!c->open)
		return;
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	pthread_mutex_destroy(&c->take_mu);
	c->open = false;
}

int http_loopcall_run(struct http_loopcall *c,
                      void (*fn)(struct wardd *d, void *arg), void *arg)
{
	if (!c->open)
		return WARD_EINVAL;
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += HTTP_SNAPSHOT_WAIT_MS / 1000;
	until.tv_nsec += (long)(HTTP_SNAPSHOT_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&c->take_mu);
	pthread_mutex_lock(&c->mu);
	int rc = 0;
	if (c->closed) {
		rc = WARD_EINVAL;
		goto out;
	}
	c->fn = fn;
	c->arg = arg;
	uint64_t mine = ++c->asked;
	uv_async_send(&c->async);   /* thread-safe (libuv) */
	while (c->done < mine && !c->closed) {
		if (pthread_cond_timedwait(&c->cv, &c->mu, &until) == ETIMEDOUT)
			break;
	}
	if (c->done < mine)
		rc = c->closed ? WARD_EINVAL : WARD_ELIMIT;
	c->fn = NULL;              /* not run: never runs */
	c->done = c->asked;
out:
	pthread_mutex_unlock(&c->mu);
	pthread_mutex_unlock(&c->take_mu);
	return rc;
}
