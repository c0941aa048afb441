/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* C++ (and Rust's legacy) symbol names as a person reads them. */
#ifndef DEMANGLE_H
#define DEMANGLE_H

/*
 * The name sym mangles, without its parameter list (the offset beside it
 * tells overloads apart): "_ZN4node5StartEiPPc" is "node::Start".  Allocated;
 * NULL when sym is not mangled.
 */
char *demangle(const char *sym);

#endif /* DEMANGLE_H */
