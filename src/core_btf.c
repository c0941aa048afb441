// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's types our BPF object names, copied out of the kernel's BTF
 * into a small one for libbpf's CO-RE relocations (btf_custom_path).  libbpf
 * looks for each relocated type by walking the whole kernel BTF, 127k types
 * here: about 2 ms a type and a quarter of the time to attach.  The copy is
 * taken from the running kernel, so offsets are the kernel's own; a pointer
 * becomes a pointer to void, since CO-RE matches any pointer with any other
 * (each pointed-to type it relocates is copied as a type of its own), so only
 * what a type holds by value comes along.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "core_btf.h"

struct copier {
	const struct btf *src;
	struct btf *dst;
	int *new_id; /* by source id; 0: not copied yet */
	int void_ptr;
};

static int copy_type(struct copier *c, int id);

static int copy_members(struct copier *c, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++)
		if (copy_type(c, m[i].type) < 0)
			return -1;
	return 0;
}

static int add_composite(struct copier *c, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = btf_members(t);
	int id;

	/* members first: btf__add_field appends to the type added last */
	if (copy_members(c, t))
		return -1;
	id = btf_is_struct(t) ? btf__add_struct(c->dst, name, t->size)
			      : btf__add_union(c->dst, name, t->size);
	for (int i = 0; id > 0 && i < btf_vlen(t); i++)
		if (btf__add_field(c->dst, btf__name_by_offset(c->src, m[i].name_off),
				   c->new_id[m[i].type], btf_member_bit_offset(t, i),
				   btf_member_bitfield_size(t, i)))
			return -1;
	return id;
}

static int add_enum(struct copier *c, const struct btf_type *t, const char *name)
{
	int id;

	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		id = btf__add_enum(c->dst, name, t->size);
		for (int i = 0; id > 0 && i < btf_vlen(t); i++)
			if (btf__add_enum_value(c->dst, btf__name_by_offset(c->src, e[i].name_off),
						e[i].val))
				return -1;
		return id;
	}
	const struct btf_enum64 *e = btf_enum64(t);

	id = btf__add_enum64(c->dst, name, t->size, btf_kflag(t));
	for (int i = 0; id > 0 && i < btf_vlen(t); i++)
		if (btf__add_enum64_value(c->dst, btf__name_by_offset(c->src, e[i].name_off),
					  btf_enum64_value(&e[i])))
			return -1;
	return id;
}

static int add_func_proto(struct copier *c, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	int id;

	if (copy_type(c, t->type) < 0)
		return -1;
	for (int i = 0; i < btf_vlen(t); i++)
		if (copy_type(c, p[i].type) < 0)
			return -1;
	id = btf__add_func_proto(c->dst, c->new_id[t->type]);
	for (int i = 0; id > 0 && i < btf_vlen(t); i++)
		if (btf__add_func_param(c->dst, btf__name_by_offset(c->src, p[i].name_off),
					c->new_id[p[i].type]))
			return -1;
	return id;
}

/* The copy's id for source type id (copied now if it is not yet); < 0 on failure. */
static int copy_type(struct copier *c, int id)
{
	const struct btf_type *t = btf__type_by_id(c->src, id);
	const char *name;
	int ref, nid;

	if (!id || c->new_id[id])
		return c->new_id[id];
	if (!t)
		return -1;
	name = btf__name_by_offset(c->src, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		if (!c->void_ptr)
			c->void_ptr = btf__add_ptr(c->dst, 0);
		nid = c->void_ptr;
		break;
	case BTF_KIND_INT:
		nid = btf__add_int(c->dst, name, t->size, btf_int_encoding(t));
		break;
	case BTF_KIND_FLOAT:
		nid = btf__add_float(c->dst, name, t->size);
		break;
	case BTF_KIND_FWD:
		nid = btf__add_fwd(c->dst, name, btf_kflag(t) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		nid = add_enum(c, t, name);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		nid = add_composite(c, t, name);
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);

		if (copy_type(c, a->type) < 0 || copy_type(c, a->index_type) < 0)
			return -1;
		nid = btf__add_array(c->dst, c->new_id[a->index_type], c->new_id[a->type],
				     a->nelems);
		break;
	}
	case BTF_KIND_FUNC_PROTO:
		nid = add_func_proto(c, t);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		ref = copy_type(c, t->type);
		if (ref < 0)
			return -1;
		nid = btf_is_typedef(t)	   ? btf__add_typedef(c->dst, name, ref)
		      : btf_is_volatile(t) ? btf__add_volatile(c->dst, ref)
		      : btf_is_const(t)	   ? btf__add_const(c->dst, ref)
		      : btf_is_restrict(t) ? btf__add_restrict(c->dst, ref)
					   : btf__add_type_tag(c->dst, name, ref);
		break;
	default: /* functions, variables, sections: no type holds one */
		return -1;
	}
	if (nid <= 0)
		return -1;
	c->new_id[id] = nid;
	return nid;
}

/* "sock___old" is a flavor of "sock": CO-RE matches on the part before "___". */
static size_t essential_len(const char *name)
{
	const char *flavor = strstr(name, "___");

	return flavor ? (size_t)(flavor - name) : strlen(name);
}

static int can_relocate(const struct btf_type *t)
{
	return btf_is_composite(t) || btf_is_any_enum(t) || btf_is_typedef(t);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of local's types that a relocation can name, sorted; NULL on failure. */
static char **local_names(const struct btf *local, size_t *n)
{
	unsigned int types = btf__type_cnt(local);
	char **names = calloc(types, sizeof(*names));

	*n = 0;
	for (unsigned int id = 1; names && id < types; id++) {
		const struct btf_type *t = btf__type_by_id(local, id);
		const char *name = btf__name_by_offset(local, t->name_off);

		if (!can_relocate(t) || !name || !*name)
			continue;
		if (!(names[*n] = strndup(name, essential_len(name))))
			goto fail;
		++*n;
	}
	if (names)
		qsort(names, *n, sizeof(*names), by_name);
	return names;
fail:
	while (*n)
		free(names[--*n]);
	free(names);
	return NULL;
}

struct btf *core_btf_new(const struct btf *vmlinux, const struct btf *local)
{
	unsigned int types = btf__type_cnt(vmlinux);
	struct copier c = {.src = vmlinux, .dst = btf__new_empty()};
	size_t nnames = 0;
	char **names = local_names(local, &nnames);
	int ok = names && c.dst && (c.new_id = calloc(types, sizeof(*c.new_id)));

	for (unsigned int id = 1; ok && id < types; id++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, id);
		char essential[128];
		const char *name;
		size_t len;

		if (!can_relocate(t) || !t->name_off)
			continue;
		name = btf__name_by_offset(vmlinux, t->name_off);
		len = essential_len(name);
		if (name[len]) { /* the kernel's own flavors (nf_conn___init) are candidates too */
			snprintf(essential, sizeof(essential), "%.*s", (int)len, name);
			name = essential;
		}
		if (bsearch(&name, names, nnames, sizeof(*names), by_name))
			ok = copy_type(&c, id) > 0;
	}
	while (names && nnames)
		free(names[--nnames]);
	free(names);
	free(c.new_id);
	if (!ok) {
		btf__free(c.dst);
		errno = ENOMEM;
		return NULL;
	}
	return c.dst;
}
