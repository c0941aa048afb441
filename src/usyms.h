/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * User symbols (-u): a return address in a traced process -> "function+0xoff
 * (module)".  The process's mappings (/proc/PID/maps, read again when an
 * address falls outside them: dlopen, exec) say which file and where; the
 * file's ELF symbols (libelf: .symtab, its debug file's, else .dynsym for
 * stripped binaries) say which function.  Files are read through
 * /proc/PID/root, so a process in another mount namespace resolves; files,
 * mappings and named addresses are cached.
 */
#ifndef USYMS_H
#define USYMS_H

#include <stdint.h>
#include "poison.h"

struct elf_syms;
struct usyms;

struct uframe {
	uint64_t addr;
	const char *sym; /* NULL: not resolved */
	uint64_t off;
	const char *module; /* the file's base name, NULL if unknown */
	const char *file;   /* -uu: the source file's base name, and its line (0: unknown) */
	int line;
};

/*
 * The function symbols of an ELF file and its loadable segments, from
 * .symtab, else its separate debug file's (build ID or .gnu_debuglink, looked
 * for inside root: "" or a process's /proc/PID/root), else .dynsym; NULL with
 * errno set.  want_lines: keep the file with its DWARF lines open (-uu).
 */
struct elf_syms *elf_syms__open(const char *root, const char *path, int want_lines);
void elf_syms__free(struct elf_syms *e);
/* The link-time address of a file offset (by the PT_LOAD segment holding it), or 0. */
uint64_t elf_syms__vaddr(const struct elf_syms *e, uint64_t file_off);
/* The function holding vaddr, its offset in *off; NULL if none. */
const char *elf_syms__find(const struct elf_syms *e, uint64_t vaddr, uint64_t *off);
/* The same, as a person reads it: C++ names demangled, without their parameters. */
const char *elf_syms__find_shown(struct elf_syms *e, uint64_t vaddr, uint64_t *off);
/* The source line of vaddr (-uu), its file's base name in *file; 0 if unknown. */
int elf_syms__line(struct elf_syms *e, uint64_t vaddr, const char **file);
/* The address of a function by name, 0 if absent (tests). */
uint64_t elf_syms__addr(const struct elf_syms *e, const char *name);
/* How many function symbols it has (tests). */
int elf_syms__count(const struct elf_syms *e);
/* The i-th function symbol in address order, its address in *addr (tests). */
const char *elf_syms__at(const struct elf_syms *e, int i, uint64_t *addr);

/* want_lines: also name source lines (-uu). */
struct usyms *usyms__new(int want_lines);
void usyms__free(struct usyms *u);
/* Fills out for addr in process pid (out->sym NULL when it cannot be named). */
void usyms__resolve(struct usyms *u, uint32_t pid, uint64_t addr, struct uframe *out);
/*
 * Reads the process's mappings now, while it lives (a record flagged
 * NT_F_MAPS_NEW, handled as it arrives: the process may be gone by the time
 * its calls are shown).
 */
void usyms__snapshot(struct usyms *u, uint32_t pid);
/* The process exec'd at ts_ns: mappings read before are read again when next needed. */
void usyms__forget(struct usyms *u, uint32_t pid, uint64_t ts_ns);

#endif /* USYMS_H */
