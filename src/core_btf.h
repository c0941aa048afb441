/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A small BTF for libbpf's CO-RE relocations: see core_btf.c. */
#ifndef CORE_BTF_H
#define CORE_BTF_H

struct btf;

/*
 * The types of vmlinux whose names local (a BPF object's BTF) also has, with
 * what they hold by value; NULL with errno set on failure.
 */
struct btf *core_btf_new(const struct btf *vmlinux, const struct btf *local);

#endif /* CORE_BTF_H */
