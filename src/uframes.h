/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The user frames a trace named, by (pid, address): what a recording keeps
 * of -u, so `report` names the frames after the processes and their files
 * are gone.  Written as text lines, one frame each:
 *   "PID ADDR OFF LINE\tMODULE\tSYMBOL\tFILE\n"  (hex addresses, empty: unknown)
 */
#ifndef UFRAMES_H
#define UFRAMES_H

#include <stddef.h>
#include <stdint.h>
#include "usyms.h"

struct uframes;

struct uframes *uframes__new(void);
void uframes__free(struct uframes *t);
/* Keeps a copy of a named frame (its strings too); a known (pid, addr) is kept once. */
int uframes__add(struct uframes *t, uint32_t pid, const struct uframe *f);
/* The frame at addr in pid: 1 and *out filled, or 0. */
int uframes__get(const struct uframes *t, uint32_t pid, uint64_t addr, struct uframe *out);
/*
 * The frames added since the last call as text (malloc'd, NUL-terminated,
 * "" when none), or NULL: a recording gives each once, after the block that
 * met it.  A text's lines, concatenated with the others, parse as one.
 */
char *uframes__text(struct uframes *t);
/* From that text; a damaged line is skipped. */
struct uframes *uframes__parse(const char *text, size_t len);

#endif /* UFRAMES_H */
