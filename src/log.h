/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every diagnostic goes through here, to stderr: stdout carries only the
 * trace.  Messages are lowercase, action and object first, then the cause,
 * then the fix when one is known.
 */
#ifndef LOG_H
#define LOG_H

#include "poison.h"

extern int log_verbosity; /* -v: 1, -vv: 2 */

void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* LOG_H */
