// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Named user frames by (pid, address); see uframes.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "uframes.h"
#include "util.h"

struct entry {
	uint32_t pid, used; /* used: 1, and 2 once given as text */
	struct uframe f;    /* its strings are owned here */
};

struct uframes {
	struct entry *slots;
	size_t cap, n; /* open addressing; cap a power of two, at most half full */
};

static size_t slot_of(const struct uframes *t, uint32_t pid, uint64_t addr)
{
	uint64_t h = (addr ^ ((uint64_t)pid << 40)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20) & (t->cap - 1);
}

static struct entry *find(const struct uframes *t, uint32_t pid, uint64_t addr)
{
	for (size_t i = slot_of(t, pid, addr);; i = (i + 1) & (t->cap - 1))
		if (!t->slots[i].used || (t->slots[i].pid == pid && t->slots[i].f.addr == addr))
			return &t->slots[i];
}

struct uframes *uframes__new(void)
{
	struct uframes *t = calloc(1, sizeof(*t));

	if (t && !(t->slots = calloc(t->cap = 256, sizeof(*t->slots)))) {
		free(t);
		return NULL;
	}
	return t;
}

static void free_strings(struct uframe *f)
{
	free((char *)f->sym);
	free((char *)f->module);
	free((char *)f->file);
}

void uframes__free(struct uframes *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].used)
			free_strings(&t->slots[i].f);
	free(t->slots);
	free(t);
}

static int grow(struct uframes *t)
{
	struct uframes bigger = {.cap = t->cap * 2};

	if (!(bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots))))
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].used)
			*find(&bigger, t->slots[i].pid, t->slots[i].f.addr) = t->slots[i];
	free(t->slots);
	t->slots = bigger.slots;
	t->cap = bigger.cap;
	return 0;
}

/* a recording's names are printed as they are read: made printable as live ones are */
static const char *dup_or_null(const char *s)
{
	char *d = s && *s ? strdup(s) : NULL;

	return d ? printable(d) : NULL;
}

int uframes__add(struct uframes *t, uint32_t pid, const struct uframe *f)
{
	struct entry *e;

	if ((t->n + 1) * 2 > t->cap && grow(t))
		return -1;
	e = find(t, pid, f->addr);
	if (e->used)
		return 0;
	*e = (struct entry){.pid = pid, .used = 1, .f = *f};
	e->f.sym = dup_or_null(f->sym);
	e->f.module = dup_or_null(f->module);
	e->f.file = dup_or_null(f->file);
	if (!e->f.file)
		e->f.line = 0;
	t->n++;
	return 0;
}

int uframes__get(const struct uframes *t, uint32_t pid, uint64_t addr, struct uframe *out)
{
	const struct entry *e = find(t, pid, addr);

	if (!e->used)
		return 0;
	*out = e->f;
	return 1;
}

char *uframes__text(struct uframes *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	for (size_t i = 0; i < t->cap; i++) {
		struct entry *e = &t->slots[i];

		if (e->used == 1)
			fprintf(m, "%u %" PRIx64 " %" PRIx64 " %d\t%s\t%s\t%s\n", e->pid, e->f.addr,
				e->f.off, e->f.line, e->f.module ? e->f.module : "",
				e->f.sym ? e->f.sym : "", e->f.file ? e->f.file : "");
		e->used += e->used == 1;
	}
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The next tab- or line-ended field of [*s, end) copied into out. */
static void field(const char **s, const char *end, char *out, size_t len)
{
	size_t n = 0;

	while (*s < end && **s != '\t' && **s != '\n') {
		if (n + 1 < len)
			out[n++] = **s;
		(*s)++;
	}
	out[n] = 0;
	if (*s < end && **s == '\t')
		(*s)++;
}

struct uframes *uframes__parse(const char *text, size_t len)
{
	struct uframes *t = uframes__new();
	const char *s = text, *end = text + len;

	while (t && s < end) {
		const char *eol = memchr(s, '\n', end - s);
		char head[64], module[256], sym[512], file[256];
		unsigned int pid;
		uint64_t addr, off;
		int line;
		struct uframe f;

		if (!eol)
			eol = end;
		field(&s, eol, head, sizeof(head));
		field(&s, eol, module, sizeof(module));
		field(&s, eol, sym, sizeof(sym));
		field(&s, eol, file, sizeof(file));
		if (sscanf(head, "%u %" SCNx64 " %" SCNx64 " %d", &pid, &addr, &off, &line) == 4) {
			f = (struct uframe){addr, sym, off, module, file, line};
			uframes__add(t, pid, &f);
		}
		s = eol + 1;
	}
	return t;
}
