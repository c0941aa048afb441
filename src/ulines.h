/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -uu: the source file and line of a code address, from the DWARF line
 * tables of a binary or of its separate debug file.  Read with libdw (from
 * elfutils, like libelf): it decodes every DWARF version and form gcc and
 * clang emit, compressed debug sections included, which a line-program
 * reader of our own would have to chase.
 */
#ifndef ULINES_H
#define ULINES_H

#include <stdint.h>

struct ulines;

/* The line tables of an open ELF file (fd is theirs now); NULL when it has none. */
struct ulines *ulines__open(int fd);
void ulines__free(struct ulines *l);
/* The line of a link-time address, its file's base name in *file; 0 if unknown. */
int ulines__find(struct ulines *l, uint64_t vaddr, const char **file);

#endif /* ULINES_H */
