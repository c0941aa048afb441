/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unix socket names by inode, as EV_UNAME records give them: a call record
 * names a unix socket and its peer by inode only, and the view shows the
 * path (or abstract name) where one is known.  Process-wide, like the
 * decoder's socket memo.
 */
#ifndef UNAMES_H
#define UNAMES_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"

/* Socket ino is named name (shown as the argument decoder shows a path). */
void unames_set(uint64_t ino, const char *name);
/* ino's name, NULL if none is known.  Valid for the whole run. */
const char *unames_get(uint64_t ino);
/* Changes whenever a name is set: decoded sockets older than it are stale. */
unsigned int unames_gen(void);
/* name as a script wants it: "/path" -> /path, @"abstract" -> @abstract; buf */
const char *unames_bare(const char *name, char *buf, size_t len);

#endif /* UNAMES_H */
