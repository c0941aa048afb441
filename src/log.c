// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* stderr diagnostics with a "socktrace: " prefix, gated by verbosity. */
#include <stdarg.h>
#include <stdio.h>
#include "log.h"

int log_verbosity;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "socktrace: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, prefix, min)                                                                  \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		if (log_verbosity < (min))                                                         \
			return;                                                                    \
		va_start(ap, fmt);                                                                 \
		vmsg(prefix, fmt, ap);                                                             \
		va_end(ap);                                                                        \
	}

LOG_FN(err, "", 0)
LOG_FN(warn, "warning: ", 0)
LOG_FN(vlog, "", 1)
LOG_FN(dlog, "debug: ", 2)
