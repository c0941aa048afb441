// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Demangling is libstdc++'s (as bpftrace's); see demangle.h. */
#include <stdlib.h>
#include <string.h>
#include "demangle.h"

/* <cxxabi.h>'s abi::__cxa_demangle, which has C linkage */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* The end of the name before its parameter list, or NULL if it has none. */
static char *params(char *s)
{
	char *close = strrchr(s, ')');
	size_t n;
	int depth = 0;

	/* only a method's qualifiers may follow the list (" const", " &&") */
	if (!close || close[1 + strspn(close + 1, " &constvlaie")])
		return NULL;
	n = close - s + 1;
	while (n--) {
		if (s[n] == ')')
			depth++;
		else if (s[n] == '(' && !--depth)
			return n ? s + n : NULL;
	}
	return NULL;
}

char *demangle(const char *sym)
{
	int status = -1;
	char *d, *p;

	if (strncmp(sym, "_Z", 2))
		return NULL;
	d = __cxa_demangle(sym, NULL, NULL, &status);
	if (status || !d) {
		free(d);
		return NULL;
	}
	if ((p = params(d)))
		*p = 0;
	return d;
}
