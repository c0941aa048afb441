/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure data: the names strace users expect for numbers (AF_*, SOCK_*, MSG_*,
 * SO_*, EPOLL*, errno, ...) and the table of traced calls with their -e
 * categories.  No kernel access, so it is unit-tested without root.
 */
#ifndef XLAT_H
#define XLAT_H

#include <stddef.h>
#include <stdint.h>
#include "poison.h"

struct xlat {
	uint64_t val;
	const char *str;
};

extern const struct xlat xlat_af[], xlat_sock_type[], xlat_sock_flags[], xlat_ipproto[],
	xlat_msg_flags[], xlat_sol[], xlat_so[], xlat_scm[], xlat_udp_opt[], xlat_tcp_opt[],
	xlat_ip_opt[], xlat_ipv6_opt[], xlat_shut[], xlat_epoll_op[], xlat_epoll_events[],
	xlat_poll_events[], xlat_tcp_state[], xlat_uring_setup[], xlat_uring_enter[],
	xlat_uring_register[], xlat_uring_op[], xlat_uring_cqe_flags[], xlat_splice_flags[],
	xlat_netlink_proto[], xlat_eth_p[], xlat_packet_opt[], xlat_netlink_opt[];

/* The name of val, or NULL. */
const char *xlat_name(const struct xlat *tab, uint64_t val);
/* val as NAME|NAME|0x.. into buf; "0" when val is 0 (or zero_str if given). */
char *xlat_flags(const struct xlat *tab, uint64_t val, const char *zero_str, char *buf, size_t len);
/* val's name, or its number in decimal. */
char *xlat_name_or_num(const struct xlat *tab, uint64_t val, char *buf, size_t len);

/* io_uring opcodes whose result is a byte count (reads, writes, sends, receives) */
int uring_op_moves_bytes(unsigned int op);
int uring_op_receives(unsigned int op);

/* "ECONNREFUSED", "ERESTARTSYS", ...; NULL if unknown. */
const char *errno_name(int err);
/* The option-name table for a setsockopt level, or NULL. */
const struct xlat *sockopt_names(int level);

enum call_cat {
	CAT_SOCKET,
	CAT_BIND,
	CAT_LISTEN,
	CAT_ACCEPT,
	CAT_CONNECT,
	CAT_SEND,
	CAT_RECV,
	CAT_CLOSE,
	CAT_SHUTDOWN,
	CAT_SOCKOPT,
	CAT_SELECT,
	CAT_POLL,
	CAT_EPOLL,
	CAT_IO_URING,
	CAT_MAX,
};

struct sys_info {
	unsigned int id;  /* enum nt_sys */
	const char *name; /* as strace names it */
	enum call_cat cat;
	int nr;		    /* this arch's syscall number */
	enum call_cat cat2; /* splice goes either way: -e recv takes it too */
};

extern const struct sys_info sys_table[];
extern const size_t sys_table_len;
extern const char *const cat_names[CAT_MAX];

const struct sys_info *sys_by_id(unsigned int id);
const struct sys_info *sys_by_name(const char *name);
int cat_by_name(const char *name);

#endif /* XLAT_H */
