// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <netinet/in.h>
#include <linux/types.h>
#include "socktrace.h"
#include "xlat.h"
#include "unit.h"

int main(void)
{
	char buf[256];

	t_streq(xlat_name(xlat_af, 10), "AF_INET6");
	t_check(xlat_name(xlat_af, 999) == NULL);
	t_streq(xlat_name_or_num(xlat_af, 999, buf, sizeof(buf)), "999");
	t_streq(xlat_flags(xlat_msg_flags, 0x4040, NULL, buf, sizeof(buf)),
		"MSG_DONTWAIT|MSG_NOSIGNAL");
	t_streq(xlat_flags(xlat_msg_flags, 0, NULL, buf, sizeof(buf)), "0");
	t_streq(xlat_flags(xlat_msg_flags, 0x40 | 0x100000, NULL, buf, sizeof(buf)),
		"MSG_DONTWAIT|0x100000");
	t_streq(xlat_flags(xlat_epoll_events, 0x80000001u, NULL, buf, sizeof(buf)),
		"EPOLLIN|EPOLLET");
	t_streq(xlat_flags(xlat_poll_events, 0x2011, NULL, buf, sizeof(buf)),
		"POLLIN|POLLHUP|POLLRDHUP");
	t_streq(xlat_name(xlat_tcp_state, 10), "LISTEN");
	t_streq(errno_name(111), "ECONNREFUSED");
	t_streq(errno_name(115), "EINPROGRESS");
	t_streq(errno_name(512), "ERESTARTSYS");
	t_streq(xlat_name(sockopt_names(1), 2), "SO_REUSEADDR");
	t_streq(xlat_name(sockopt_names(6), 1), "TCP_NODELAY");
	/* the IP and IPv6 options by glibc's own numbers */
	t_streq(xlat_name(sockopt_names(IPPROTO_IPV6), IPV6_RECVHOPLIMIT), "IPV6_RECVHOPLIMIT");
	t_streq(xlat_name(sockopt_names(IPPROTO_IPV6), IPV6_RECVTCLASS), "IPV6_RECVTCLASS");
	t_streq(xlat_name(sockopt_names(IPPROTO_IPV6), IPV6_DONTFRAG), "IPV6_DONTFRAG");
	t_streq(xlat_name(sockopt_names(IPPROTO_IPV6), IPV6_FREEBIND), "IPV6_FREEBIND");
	t_streq(xlat_name(sockopt_names(IPPROTO_IPV6), IPV6_TRANSPARENT), "IPV6_TRANSPARENT");
	t_streq(xlat_name(sockopt_names(IPPROTO_IPV6), IPV6_RECVORIGDSTADDR),
		"IPV6_RECVORIGDSTADDR");
	t_streq(xlat_name(sockopt_names(IPPROTO_IP), IP_RECVORIGDSTADDR), "IP_RECVORIGDSTADDR");
	t_streq(xlat_name(sockopt_names(IPPROTO_IP), IP_MINTTL), "IP_MINTTL");
	t_streq(xlat_name(sockopt_names(IPPROTO_IP), IP_UNICAST_IF), "IP_UNICAST_IF");
	/* the call table: one entry per enum value, categories as -e spells them */
	t_check(sys_table_len == NT_SYS_MAX - 1);
	for (unsigned int id = 1; id < NT_SYS_MAX; id++)
		t_check(sys_by_id(id) && sys_by_id(id)->id == id && sys_by_id(id)->nr >= 0);
	t_check(sys_by_name("sendmmsg")->cat == CAT_SEND);
	t_check(sys_by_name("read")->cat == CAT_RECV);
	t_check(cat_by_name("io_uring") == CAT_IO_URING);
	t_check(cat_by_name("bogus") == -1);
	return t_done();
}
