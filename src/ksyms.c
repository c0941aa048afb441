// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* kallsyms reader; see ksyms.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ksyms.h"

struct ksyms {
	struct ksym *syms;
	size_t n, cap;
	char *names; /* all names, NUL-separated */
	size_t names_len, names_cap;
};

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int add(struct ksyms *k, uint64_t addr, const char *name)
{
	size_t len = strlen(name) + 1;

	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 4096;
		struct ksym *s = realloc(k->syms, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		k->syms = s;
		k->cap = cap;
	}
	if (k->names_len + len > k->names_cap) {
		size_t cap = k->names_cap ? k->names_cap * 2 : 1 << 20;
		char *s;

		while (cap < k->names_len + len)
			cap *= 2;
		s = realloc(k->names, cap);
		if (!s)
			return -ENOMEM;
		k->names = s;
		k->names_cap = cap;
	}
	memcpy(k->names + k->names_len, name, len);
	/* names are offsets until parsing ends: realloc may move the block */
	k->syms[k->n].addr = addr;
	k->syms[k->n].name = (const char *)(uintptr_t)k->names_len;
	k->n++;
	k->names_len += len;
	return 0;
}

/* "ffffffff81000000 T name\t[module]": hex address, type, name */
static int parse_line(char *line, uint64_t *addr, char *type, char **name)
{
	char *p, *end;

	*addr = strtoull(line, &p, 16);
	if (p == line || p[0] != ' ' || !p[1] || p[2] != ' ')
		return -1;
	*type = p[1];
	*name = p + 3;
	end = *name + strcspn(*name, " \t\n");
	*end = 0;
	return **name ? 0 : -1;
}

struct ksyms *ksyms__parse(FILE *f)
{
	struct ksyms *k = calloc(1, sizeof(*k));
	char line[512], type, *name;
	uint64_t addr;
	int nonzero = 0;

	if (!k)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (parse_line(line, &addr, &type, &name))
			continue;
		if (type != 't' && type != 'T' && type != 'W' && type != 'w')
			continue;
		nonzero |= addr != 0;
		if (add(k, addr, name)) {
			ksyms__free(k);
			errno = ENOMEM;
			return NULL;
		}
	}
	if (!nonzero) {
		/* kptr_restrict hides the addresses from this reader */
		ksyms__free(k);
		errno = EPERM;
		return NULL;
	}
	for (size_t i = 0; i < k->n; i++)
		k->syms[i].name = k->names + (uintptr_t)k->syms[i].name;
	qsort(k->syms, k->n, sizeof(*k->syms), by_addr);
	return k;
}

struct ksyms *ksyms__load(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	struct ksyms *k;

	if (!f)
		return NULL;
	k = ksyms__parse(f);
	fclose(f);
	return k;
}

void ksyms__free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->syms);
	free(k->names);
	free(k);
}

/* No kernel function is this long: past it, addr is in code kallsyms does
 * not name (JIT'd BPF programs), not in the symbol below it. */
#define KSYM_MAX_SIZE (1u << 20)

const struct ksym *ksyms__find(const struct ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!k || !k->n || addr < k->syms[0].addr)
		return NULL;
	hi = k->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return addr - k->syms[lo].addr < KSYM_MAX_SIZE ? &k->syms[lo] : NULL;
}

uint64_t ksyms__addr(const struct ksyms *k, const char *name)
{
	if (!k)
		return 0;
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->syms[i].name, name))
			return k->syms[i].addr;
	return 0;
}

int ksyms__has(const struct ksyms *k, const char *name)
{
	return ksyms__addr(k, name) != 0;
}

char *ksyms__fmt(const struct ksyms *k, uint64_t addr, char *buf, size_t len)
{
	const struct ksym *s = ksyms__find(k, addr);

	if (s)
		snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)(addr - s->addr));
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)addr);
	return buf;
}
