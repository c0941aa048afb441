// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Source lines with libdw; see ulines.h. */
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ulines.h"

/* The address ranges each compile unit covers: which unit's line table to ask. */
struct cu_range {
	uint64_t lo, hi;
	Dwarf_Die cu;
};

struct ulines {
	int fd;
	Dwarf *dwarf;
	struct cu_range *ranges;
	int n;
};

static int by_lo(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * From each unit's own ranges (DW_AT_low_pc/high_pc or DW_AT_ranges), not
 * .debug_aranges, which clang does not emit.
 */
static int index_units(struct ulines *l)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die die;

	while (dwarf_get_units(l->dwarf, cu, &cu, NULL, NULL, &die, NULL) == 0) {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;

		while ((off = dwarf_ranges(&die, off, &base, &lo, &hi)) > 0) {
			struct cu_range *more = realloc(l->ranges, (l->n + 1) * sizeof(*more));

			if (!more)
				return -1;
			l->ranges = more;
			l->ranges[l->n++] = (struct cu_range){lo, hi, die};
		}
	}
	qsort(l->ranges, l->n, sizeof(*l->ranges), by_lo);
	return 0;
}

struct ulines *ulines__open(int fd)
{
	struct ulines *l = calloc(1, sizeof(*l));

	if (!l) {
		close(fd);
		return NULL;
	}
	l->fd = fd;
	if (l->fd < 0 || !(l->dwarf = dwarf_begin(l->fd, DWARF_C_READ)) || index_units(l) ||
	    !l->n) {
		ulines__free(l);
		return NULL;
	}
	return l;
}

void ulines__free(struct ulines *l)
{
	if (!l)
		return;
	if (l->dwarf)
		dwarf_end(l->dwarf);
	if (l->fd >= 0)
		close(l->fd);
	free(l->ranges);
	free(l);
}

int ulines__find(struct ulines *l, uint64_t vaddr, const char **file)
{
	int lo = 0, hi = l->n - 1, lineno = 0;
	const char *src, *slash;
	Dwarf_Line *line;

	/* the last range starting at or before vaddr; ranges of units do not overlap */
	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (l->ranges[mid].lo <= vaddr)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	if (hi < 0 || vaddr >= l->ranges[hi].hi)
		return 0;
	line = dwarf_getsrc_die(&l->ranges[hi].cu, vaddr);
	if (!line || dwarf_lineno(line, &lineno) || !(src = dwarf_linesrc(line, NULL, NULL)))
		return 0;
	slash = strrchr(src, '/');
	*file = slash ? slash + 1 : src;
	return lineno;
}
