/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The reference printer's record, shared by its BPF side and its reader. */
#ifndef REFPRINT_H
#define REFPRINT_H

struct ref_call {
	__u64 ts_ns;
	__u64 dur_ns;
	__s64 nr;
	__s64 ret;
	__u32 tgid;
	__u32 tid;
};

#endif /* REFPRINT_H */
