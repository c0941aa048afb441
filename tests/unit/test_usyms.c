// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User symbols on binaries built here: this test's own functions resolve from
 * its addresses (PIE load bias through /proc/self/maps), and a stripped copy
 * still names exported ones through .dynsym.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "usyms.h"
#include "unit.h"

/* exported (-rdynamic), not inlined: found by address, and in .dynsym */
__attribute__((noinline)) int usyms_probe_target(int x);
__attribute__((noinline)) int usyms_probe_target(int x)
{
	return x * 3 + 1;
}

static void test_self(void)
{
	struct usyms *u = usyms__new();
	struct uframe f;
	uint64_t addr = (uint64_t)(uintptr_t)usyms_probe_target + 2;

	usyms__resolve(u, getpid(), addr, &f);
	t_streq(f.sym, "usyms_probe_target");
	t_check(f.off == 2);
	t_streq(f.module, "test_usyms");
	/* main is in the symbol table too; an address in no mapping is not named */
	usyms__resolve(u, getpid(), 8, &f);
	t_check(!f.sym && !f.module);
	usyms__free(u);
}

static void test_stripped(void)
{
	char exe[512], cmd[1200], copy[] = "/tmp/test_usyms.stripped.XXXXXX";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct elf_syms *full, *stripped;
	int fd = mkstemp(copy);
	uint64_t off = 0;
	const char *name;

	if (n < 0 || fd < 0) {
		t_check(0);
		return;
	}
	exe[n] = 0;
	close(fd);
	snprintf(cmd, sizeof(cmd), "strip -o %s %s", copy, exe);
	if (system(cmd)) {
		fprintf(stderr, "strip failed: skipping the stripped check\n");
		unlink(copy);
		return;
	}
	full = elf_syms__open(exe);
	stripped = elf_syms__open(copy);
	t_check(full && stripped);
	if (full && stripped) {
		/* fewer symbols, but the exported function is there, at the same address */
		uint64_t va = elf_syms__addr(full, "usyms_probe_target");

		t_check(elf_syms__count(stripped) < elf_syms__count(full));
		t_check(va != 0);
		name = elf_syms__find(stripped, va, &off);
		t_streq(name, "usyms_probe_target");
		t_check(off == 0);
	}
	elf_syms__free(full);
	elf_syms__free(stripped);
	unlink(copy);
	t_check(!elf_syms__open("/etc/passwd"));
}

int main(void)
{
	test_self();
	test_stripped();
	return t_done();
}
