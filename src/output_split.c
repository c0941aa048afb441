// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -ff -o FILE, as strace -ff: each thread's calls in FILE.TID, written by a
 * sink of the chosen kind per file; FILE keeps the trace's header and
 * footer.  A server's thousand threads would be a thousand open files: past
 * PARTS_OPEN_MAX the one least lately written is closed, and opened again
 * to append when its thread calls again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "output.h"

#define PARTS_OPEN_MAX 256

struct part {
	uint32_t tid;
	int opened;    /* its file was created: later opens append */
	uint64_t used; /* when last written, on the split's clock */
	struct sink s; /* s.out NULL: closed for now */
};

struct split {
	const struct sink_ops *ops; /* each file's */
	char *base;
	struct trace_header h; /* for the files begun later: a copy */
	uint32_t *pids;
	struct sink_opts opts;
	struct sink index; /* FILE: the header and the footer */
	struct part *parts;
	size_t n, cap;
	uint32_t *slot; /* a part's index + 1 by its tid's hash; cap * 2 of them */
	int nopen;
	uint64_t clock;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void keep_header(struct split *sp, const struct trace_header *h)
{
	sp->h = *h;
	sp->h.what = dup_or_null(h->what);
	sp->h.mechanism = dup_or_null(h->mechanism);
	sp->h.path = dup_or_null(h->path);
	sp->h.uring = dup_or_null(h->uring);
	sp->h.mode = dup_or_null(h->mode);
	sp->pids = h->npids ? calloc(h->npids, sizeof(*sp->pids)) : NULL;
	if (sp->pids)
		memcpy(sp->pids, h->pids, h->npids * sizeof(*sp->pids));
	sp->h.npids = sp->pids ? h->npids : 0;
	sp->h.pids = sp->pids;
}

static void free_header(struct split *sp)
{
	free((char *)sp->h.what);
	free((char *)sp->h.mechanism);
	free((char *)sp->h.path);
	free((char *)sp->h.uring);
	free((char *)sp->h.mode);
	free(sp->pids);
}

/* The first failed write or open: said once, and the session stops on it. */
static void failed(struct sink *s, const char *path, int e)
{
	if (s->write_errno)
		return;
	err("cannot write the trace to '%s': %s", path, strerror(e));
	s->write_errno = e;
}

static void part_failed(struct sink *s, const struct split *sp, const struct part *p, int e)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s.%u", sp->base, p->tid);
	failed(s, path, e ? e : EIO);
}

static void close_part(struct sink *s, struct split *sp, struct part *p)
{
	int bad;

	if (!p->s.out)
		return;
	bad = ferror(p->s.out);
	errno = 0;
	if (fclose(p->s.out) || bad)
		part_failed(s, sp, p, errno);
	p->s.out = NULL;
	sp->nopen--;
}

static int open_part(struct sink *s, struct split *sp, struct part *p)
{
	char path[PATH_MAX];
	int fd;

	if (sp->nopen == PARTS_OPEN_MAX) {
		struct part *lru = NULL;

		for (size_t i = 0; i < sp->n; i++)
			if (sp->parts[i].s.out && (!lru || sp->parts[i].used < lru->used))
				lru = &sp->parts[i];
		close_part(s, sp, lru);
	}
	snprintf(path, sizeof(path), "%s.%u", sp->base, p->tid);
	/* names anyone can guess (a tid): never through a link planted under one */
	fd = open(path,
		  O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (p->opened ? O_APPEND : O_TRUNC),
		  0600);
	if (fd < 0 || !(p->s.out = fdopen(fd, "w"))) {
		failed(s, path, errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sp->nopen++;
	if (!p->opened) {
		p->opened = 1;
		sp->ops->begin(&p->s, &sp->h);
	}
	return 0;
}

/* Where tid's part is, or would go, in the slots (open addressing, half full at most). */
static uint32_t *slot_of(const struct split *sp, uint32_t tid)
{
	size_t mask = sp->cap * 2 - 1, i = (tid * 2654435761u) & mask;

	while (sp->slot[i] && sp->parts[sp->slot[i] - 1].tid != tid)
		i = (i + 1) & mask;
	return &sp->slot[i];
}

static int grow(struct split *sp)
{
	size_t cap = sp->cap ? sp->cap * 2 : 16;
	struct part *parts = realloc(sp->parts, cap * sizeof(*parts));
	uint32_t *slot = calloc(cap * 2, sizeof(*slot));

	if (parts)
		sp->parts = parts;
	if (!parts || !slot) {
		free(slot);
		return -1;
	}
	free(sp->slot);
	sp->slot = slot;
	sp->cap = cap;
	for (size_t i = 0; i < sp->n; i++)
		*slot_of(sp, sp->parts[i].tid) = i + 1;
	return 0;
}

/* Thread tid's sink, its file open; NULL if it cannot be written. */
static struct sink *part_of(struct sink *s, uint32_t tid)
{
	struct split *sp = s->priv;
	uint32_t *at;
	struct part *p;

	if (sp->n == sp->cap && grow(sp)) {
		failed(s, sp->base, ENOMEM);
		return NULL;
	}
	at = slot_of(sp, tid);
	if (!*at) {
		p = &sp->parts[sp->n];
		memset(p, 0, sizeof(*p));
		p->tid = tid;
		p->s.ops = sp->ops;
		p->s.opts = sp->opts;
		*at = ++sp->n;
	}
	p = &sp->parts[*at - 1];
	if (!p->s.out && open_part(s, sp, p))
		return NULL;
	p->used = ++sp->clock;
	return &p->s;
}

static void split_begin(struct sink *s, const struct trace_header *h)
{
	struct split *sp = s->priv;

	/* as they are now: the session sets the clock's after output_open */
	sp->index.opts = s->opts;
	sp->opts = s->opts;
	sp->opts.quiet = 1; /* a thread's file has its calls alone, as strace -ff writes */
	keep_header(sp, h);
	sp->ops->begin(&sp->index, h);
}

static void split_call(struct sink *s, const struct call *c)
{
	struct sink *p = s->write_errno ? NULL : part_of(s, c->tid);

	if (p)
		p->ops->call(p, c);
}

/* A process's fork, exec or exit: in its main thread's file (tid = pid) */
static void split_proc(struct sink *s, const struct proc_event *e)
{
	struct sink *p = s->write_errno ? NULL : part_of(s, e->pid);

	if (p && p->ops->proc)
		p->ops->proc(p, e);
}

static void split_flush(struct sink *s, uint64_t settled_ns)
{
	struct split *sp = s->priv;

	for (size_t i = 0; i < sp->n; i++) {
		struct part *p = &sp->parts[i];

		if (!p->s.out)
			continue;
		if (p->s.ops->flush)
			p->s.ops->flush(&p->s, settled_ns);
		errno = 0;
		if (fflush(p->s.out) || ferror(p->s.out))
			part_failed(s, sp, p, errno);
	}
}

/* No thread's own: every file open says where records went missing. */
static void split_lost(struct sink *s, uint64_t ts, uint64_t n)
{
	struct split *sp = s->priv;

	for (size_t i = 0; i < sp->n; i++)
		if (sp->parts[i].s.out && sp->ops->lost)
			sp->ops->lost(&sp->parts[i].s, ts, n);
}

static void split_end(struct sink *s, const struct trace_footer *f)
{
	struct split *sp = s->priv;

	for (size_t i = 0; i < sp->n; i++) {
		struct part *p = &sp->parts[i];

		if (!p->opened)
			continue; /* never begun: nothing to end */
		/* its end frees what its begin made: written nowhere if it must be */
		if (!p->s.out && open_part(s, sp, p) && (p->s.out = fopen("/dev/null", "w")))
			sp->nopen++;
		if (p->s.out)
			sp->ops->end(&p->s, f);
		close_part(s, sp, p);
	}
	sp->ops->end(&sp->index, f);
	free(sp->parts);
	free(sp->slot);
	free_header(sp);
	free(sp->base);
	free(sp);
	s->priv = NULL;
}

static const struct sink_ops split_sink_ops = {
	.begin = split_begin,
	.call = split_call,
	.proc = split_proc,
	.flush = split_flush,
	.lost = split_lost,
	.end = split_end,
};

int output_split(struct sink *s, const char *base)
{
	struct split *sp = calloc(1, sizeof(*sp));

	if (!sp || !(sp->base = strdup(base))) {
		free(sp);
		err("out of memory");
		return -ENOMEM;
	}
	sp->ops = s->ops;
	sp->index = *s;
	sp->index.priv = NULL;
	s->ops = &split_sink_ops;
	s->priv = sp;
	return 0;
}
