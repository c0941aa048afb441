/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where the trace goes and in which view: shared by the live session and report. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>
#include "cli.h"
#include "sink.h"

/* Opens -o (0600) or takes stdout, and sets up the sink for --format/--view; 0 or -errno (said). */
int output_open(const struct config *cfg, struct sink *sink, FILE **out);
/*
 * -ff -o FILE: each thread's calls into FILE.TID, each file written by a
 * sink like s; FILE has the header and footer.  0, or -ENOMEM (said).
 */
int output_split(struct sink *s, const char *base);
/* The one line for a write to it that failed with errno e: what (the trace, the report) is cut short. */
void output_failed(const struct config *cfg, const char *what, int e);

#endif /* OUTPUT_H */
