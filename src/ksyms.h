/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel symbols from /proc/kallsyms: address -> function+offset for stacks,
 * and name -> present? for choosing hooks (a function missing here was
 * inlined or renamed on this kernel).  Loaded once, sorted, binary-searched.
 */
#ifndef KSYMS_H
#define KSYMS_H

#include <stdint.h>
#include <stdio.h>
#include "poison.h"

struct ksyms;

struct ksym {
	uint64_t addr;
	const char *name;
};

/* From a kallsyms-format stream (text symbols only); NULL with errno set. */
struct ksyms *ksyms__parse(FILE *f);
/* /proc/kallsyms; NULL with errno set (EPERM-like when addresses are hidden) */
struct ksyms *ksyms__load(void);
void ksyms__free(struct ksyms *k);
/* The symbol containing addr, or NULL. */
const struct ksym *ksyms__find(const struct ksyms *k, uint64_t addr);
int ksyms__has(const struct ksyms *k, const char *name);
/* The address of a function by name, 0 if absent. */
uint64_t ksyms__addr(const struct ksyms *k, const char *name);
/* "tcp_sendmsg+0x2c" or "0xffffffff81000000" */
char *ksyms__fmt(const struct ksyms *k, uint64_t addr, char *buf, size_t len);

#endif /* KSYMS_H */
