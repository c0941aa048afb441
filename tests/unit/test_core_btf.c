// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <bpf/btf.h>
#include "core_btf.h"
#include "unit.h"

static const struct btf_type *named(const struct btf *b, const char *name, int kind)
{
	int id = btf__find_by_name_kind(b, name, kind);

	return id > 0 ? btf__type_by_id(b, id) : NULL;
}

static const char *member_name(const struct btf *b, const struct btf_type *t, int i)
{
	return btf__name_by_offset(b, btf_members(t)[i].name_off);
}

/* A made-up kernel: what the copy keeps, and what it leaves. */
static void test_synthetic(void)
{
	struct btf *kernel = btf__new_empty(), *local = btf__new_empty(), *core;
	const struct btf_type *t, *inner;
	int i32, inner_id, sock, arr, ptr;

	i32 = btf__add_int(kernel, "int", 4, BTF_INT_SIGNED);
	inner_id = btf__add_struct(kernel, "sock_common", 8);
	btf__add_field(kernel, "a", i32, 0, 0);
	btf__add_field(kernel, "flags", i32, 32, 4); /* a bitfield */
	arr = btf__add_array(kernel, i32, btf__add_int(kernel, "char", 1, BTF_INT_CHAR), 16);
	/* a pointer to the struct that holds it, made first: fields go to the type added last */
	ptr = btf__add_ptr(kernel, btf__type_cnt(kernel) + 1);
	sock = btf__add_struct(kernel, "sock", 48);
	btf__add_field(kernel, "common", inner_id, 0, 0);
	btf__add_field(kernel, "protocol", i32, 64, 0);
	btf__add_field(kernel, "next", ptr, 128, 0);
	btf__add_field(kernel, "name", arr, 192, 0);
	btf__add_struct(kernel, "unrelated", 4);
	btf__add_field(kernel, "y", i32, 0, 0);
	/* the kernel's own flavor of a type is a candidate for it too */
	btf__add_struct(kernel, "sock___init", 4);
	btf__add_field(kernel, "protocol", i32, 0, 0);
	btf__add_enum(kernel, "sk_state", 4);
	btf__add_enum_value(kernel, "TCP_ESTABLISHED", 1);
	btf__add_enum_value(kernel, "TCP_CLOSE", 7);

	/* a flavor names its type by the part before "___" */
	btf__add_struct(local, "sock___new", 4);
	btf__add_field(local, "protocol", btf__add_int(local, "int", 4, 0), 0, 0);
	btf__add_enum(local, "sk_state", 4);
	btf__add_enum_value(local, "TCP_CLOSE", 7);

	core = core_btf_new(kernel, local);
	t_check(sock == ptr + 1 && core != NULL);
	if (!core)
		goto out;
	t = named(core, "sock", BTF_KIND_STRUCT);
	t_check(t && t->size == 48 && btf_vlen(t) == 4);
	if (t && btf_vlen(t) == 4) {
		t_streq(member_name(core, t, 1), "protocol");
		t_check(btf_member_bit_offset(t, 1) == 64);
		t_check(btf_member_bit_offset(t, 3) == 192);
		/* a pointer keeps its kind, not what it points to */
		t_check(btf_is_ptr(btf__type_by_id(core, btf_members(t)[2].type)));
		t_check(btf__type_by_id(core, btf_members(t)[2].type)->type == 0);
		t_check(btf_is_array(btf__type_by_id(core, btf_members(t)[3].type)));
		/* what it holds by value comes whole, bitfields and all */
		inner = btf__type_by_id(core, btf_members(t)[0].type);
		t_check(inner && btf_is_struct(inner) && btf_vlen(inner) == 2);
		if (inner && btf_vlen(inner) == 2) {
			t_streq(member_name(core, inner, 1), "flags");
			t_check(btf_member_bit_offset(inner, 1) == 32);
			t_check(btf_member_bitfield_size(inner, 1) == 4);
		}
	}
	t = named(core, "sk_state", BTF_KIND_ENUM);
	t_check(t && btf_vlen(t) == 2 && btf_enum(t)[1].val == 7);
	t_check(!named(core, "unrelated", BTF_KIND_STRUCT));
	t_check(named(core, "sock___init", BTF_KIND_STRUCT));
	btf__free(core);
out:
	btf__free(kernel);
	btf__free(local);
}

/* The running kernel's own BTF: every kind it uses copies, and a struct keeps its layout. */
static int test_vmlinux(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf(), *local = btf__new_empty(), *core;
	const char *names[] = {"sock", "task_struct", "file", "io_kiocb"};
	int kinds = 0;

	if (!vmlinux) {
		btf__free(local);
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		btf__add_struct(local, names[i], 8);
	core = core_btf_new(vmlinux, local);
	t_check(core != NULL);
	for (size_t i = 0; core && i < sizeof(names) / sizeof(names[0]); i++) {
		const struct btf_type *want = named(vmlinux, names[i], BTF_KIND_STRUCT);
		const struct btf_type *got = named(core, names[i], BTF_KIND_STRUCT);

		if (!want)
			continue;
		kinds++;
		t_check(got && got->size == want->size && btf_vlen(got) == btf_vlen(want));
		for (int m = 0; got && m < btf_vlen(got) && m < btf_vlen(want); m++) {
			t_streq(member_name(core, got, m), member_name(vmlinux, want, m));
			t_check(btf_member_bit_offset(got, m) == btf_member_bit_offset(want, m));
		}
	}
	/* a small fraction of the kernel's types */
	t_check(!core || btf__type_cnt(core) < btf__type_cnt(vmlinux) / 10);
	t_check(kinds >= 3);
	btf__free(core);
	btf__free(vmlinux);
	btf__free(local);
	return 1;
}

int main(void)
{
	test_synthetic();
	if (!test_vmlinux())
		fprintf(stderr, "no kernel BTF here: the test on it was skipped\n");
	return t_done();
}
