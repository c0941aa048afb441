/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Kernel-style short integer names are for the BPF side only. */
#ifndef POISON_H
#define POISON_H
#pragma GCC poison u8 u16 u32 u64 s8 s16 s32 s64
#endif
