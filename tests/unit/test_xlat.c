// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/tcp.h>
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
	/* every address family, by the number the system headers give it */
	{
#define F(name)                                                                                    \
	{                                                                                          \
		name, #name                                                                        \
	}
		static const struct {
			int af;
			const char *name;
		} afs[] = {
			F(AF_UNSPEC),	  F(AF_UNIX),	   F(AF_INET),	   F(AF_AX25),
			F(AF_IPX),	  F(AF_APPLETALK), F(AF_NETROM),   F(AF_BRIDGE),
			F(AF_ATMPVC),	  F(AF_X25),	   F(AF_INET6),	   F(AF_ROSE),
			F(AF_DECnet),	  F(AF_NETBEUI),   F(AF_SECURITY), F(AF_KEY),
			F(AF_NETLINK),	  F(AF_PACKET),	   F(AF_ASH),	   F(AF_ECONET),
			F(AF_ATMSVC),	  F(AF_RDS),	   F(AF_SNA),	   F(AF_IRDA),
			F(AF_PPPOX),	  F(AF_WANPIPE),   F(AF_LLC),	   F(AF_IB),
			F(AF_MPLS),	  F(AF_CAN),	   F(AF_TIPC),	   F(AF_BLUETOOTH),
			F(AF_IUCV),	  F(AF_RXRPC),	   F(AF_ISDN),	   F(AF_PHONET),
			F(AF_IEEE802154), F(AF_CAIF),	   F(AF_ALG),	   F(AF_NFC),
			F(AF_VSOCK),	  F(AF_KCM),	   F(AF_QIPCRTR),  F(AF_SMC),
			F(AF_XDP),	  F(AF_MCTP),
		};
#undef F
		for (size_t i = 0; i < sizeof(afs) / sizeof(afs[0]); i++)
			t_streq(xlat_name(xlat_af, afs[i].af), afs[i].name);
	}
	/* every SOL_SOCKET and TCP option by the number the system headers give it */
	{
#define O(level, name)                                                                             \
	{                                                                                          \
		level, name, #name                                                                 \
	}
		static const struct {
			int level, opt;
			const char *name;
		} opts[] = {
			O(SOL_SOCKET, SO_DEBUG),
			O(SOL_SOCKET, SO_REUSEADDR),
			O(SOL_SOCKET, SO_TYPE),
			O(SOL_SOCKET, SO_ERROR),
			O(SOL_SOCKET, SO_DONTROUTE),
			O(SOL_SOCKET, SO_BROADCAST),
			O(SOL_SOCKET, SO_SNDBUF),
			O(SOL_SOCKET, SO_RCVBUF),
			O(SOL_SOCKET, SO_KEEPALIVE),
			O(SOL_SOCKET, SO_OOBINLINE),
			O(SOL_SOCKET, SO_NO_CHECK),
			O(SOL_SOCKET, SO_PRIORITY),
			O(SOL_SOCKET, SO_LINGER),
			O(SOL_SOCKET, SO_BSDCOMPAT),
			O(SOL_SOCKET, SO_REUSEPORT),
			O(SOL_SOCKET, SO_PASSCRED),
			O(SOL_SOCKET, SO_PEERCRED),
			O(SOL_SOCKET, SO_RCVLOWAT),
			O(SOL_SOCKET, SO_SNDLOWAT),
			O(SOL_SOCKET, SO_RCVTIMEO_OLD),
			O(SOL_SOCKET, SO_SNDTIMEO_OLD),
			O(SOL_SOCKET, SO_SECURITY_AUTHENTICATION),
			O(SOL_SOCKET, SO_SECURITY_ENCRYPTION_TRANSPORT),
			O(SOL_SOCKET, SO_SECURITY_ENCRYPTION_NETWORK),
			O(SOL_SOCKET, SO_BINDTODEVICE),
			O(SOL_SOCKET, SO_ATTACH_FILTER),
			O(SOL_SOCKET, SO_DETACH_FILTER),
			O(SOL_SOCKET, SO_PEERNAME),
			O(SOL_SOCKET, SO_TIMESTAMP_OLD),
			O(SOL_SOCKET, SO_ACCEPTCONN),
			O(SOL_SOCKET, SO_PEERSEC),
			O(SOL_SOCKET, SO_SNDBUFFORCE),
			O(SOL_SOCKET, SO_RCVBUFFORCE),
			O(SOL_SOCKET, SO_PASSSEC),
			O(SOL_SOCKET, SO_TIMESTAMPNS_OLD),
			O(SOL_SOCKET, SO_MARK),
			O(SOL_SOCKET, SO_TIMESTAMPING_OLD),
			O(SOL_SOCKET, SO_PROTOCOL),
			O(SOL_SOCKET, SO_DOMAIN),
			O(SOL_SOCKET, SO_RXQ_OVFL),
			O(SOL_SOCKET, SO_WIFI_STATUS),
			O(SOL_SOCKET, SO_PEEK_OFF),
			O(SOL_SOCKET, SO_NOFCS),
			O(SOL_SOCKET, SO_LOCK_FILTER),
			O(SOL_SOCKET, SO_SELECT_ERR_QUEUE),
			O(SOL_SOCKET, SO_BUSY_POLL),
			O(SOL_SOCKET, SO_MAX_PACING_RATE),
			O(SOL_SOCKET, SO_BPF_EXTENSIONS),
			O(SOL_SOCKET, SO_INCOMING_CPU),
			O(SOL_SOCKET, SO_ATTACH_BPF),
			O(SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF),
			O(SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF),
			O(SOL_SOCKET, SO_CNX_ADVICE),
			O(SOL_SOCKET, SO_MEMINFO),
			O(SOL_SOCKET, SO_INCOMING_NAPI_ID),
			O(SOL_SOCKET, SO_COOKIE),
			O(SOL_SOCKET, SO_PEERGROUPS),
			O(SOL_SOCKET, SO_ZEROCOPY),
			O(SOL_SOCKET, SO_TXTIME),
			O(SOL_SOCKET, SO_BINDTOIFINDEX),
			O(SOL_SOCKET, SO_TIMESTAMP_NEW),
			O(SOL_SOCKET, SO_TIMESTAMPNS_NEW),
			O(SOL_SOCKET, SO_TIMESTAMPING_NEW),
			O(SOL_SOCKET, SO_RCVTIMEO_NEW),
			O(SOL_SOCKET, SO_SNDTIMEO_NEW),
			O(SOL_SOCKET, SO_DETACH_REUSEPORT_BPF),
			O(SOL_SOCKET, SO_PREFER_BUSY_POLL),
			O(SOL_SOCKET, SO_BUSY_POLL_BUDGET),
			O(SOL_SOCKET, SO_NETNS_COOKIE),
			O(SOL_SOCKET, SO_BUF_LOCK),
			O(SOL_SOCKET, SO_RESERVE_MEM),
			O(SOL_SOCKET, SO_TXREHASH),
			O(SOL_SOCKET, SO_RCVMARK),
			O(IPPROTO_TCP, TCP_NODELAY),
			O(IPPROTO_TCP, TCP_MAXSEG),
			O(IPPROTO_TCP, TCP_CORK),
			O(IPPROTO_TCP, TCP_KEEPIDLE),
			O(IPPROTO_TCP, TCP_KEEPINTVL),
			O(IPPROTO_TCP, TCP_KEEPCNT),
			O(IPPROTO_TCP, TCP_SYNCNT),
			O(IPPROTO_TCP, TCP_LINGER2),
			O(IPPROTO_TCP, TCP_DEFER_ACCEPT),
			O(IPPROTO_TCP, TCP_WINDOW_CLAMP),
			O(IPPROTO_TCP, TCP_INFO),
			O(IPPROTO_TCP, TCP_QUICKACK),
			O(IPPROTO_TCP, TCP_CONGESTION),
			O(IPPROTO_TCP, TCP_MD5SIG),
			O(IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS),
			O(IPPROTO_TCP, TCP_THIN_DUPACK),
			O(IPPROTO_TCP, TCP_USER_TIMEOUT),
			O(IPPROTO_TCP, TCP_REPAIR),
			O(IPPROTO_TCP, TCP_REPAIR_QUEUE),
			O(IPPROTO_TCP, TCP_QUEUE_SEQ),
			O(IPPROTO_TCP, TCP_REPAIR_OPTIONS),
			O(IPPROTO_TCP, TCP_FASTOPEN),
			O(IPPROTO_TCP, TCP_TIMESTAMP),
			O(IPPROTO_TCP, TCP_NOTSENT_LOWAT),
			O(IPPROTO_TCP, TCP_CC_INFO),
			O(IPPROTO_TCP, TCP_SAVE_SYN),
			O(IPPROTO_TCP, TCP_SAVED_SYN),
			O(IPPROTO_TCP, TCP_REPAIR_WINDOW),
			O(IPPROTO_TCP, TCP_FASTOPEN_CONNECT),
			O(IPPROTO_TCP, TCP_ULP),
			O(IPPROTO_TCP, TCP_MD5SIG_EXT),
			O(IPPROTO_TCP, TCP_FASTOPEN_KEY),
			O(IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE),
			O(IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE),
			O(IPPROTO_TCP, TCP_INQ),
			O(IPPROTO_TCP, TCP_TX_DELAY),
		};
#undef O
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			t_streq(xlat_name(sockopt_names(opts[i].level), opts[i].opt), opts[i].name);
	}
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
