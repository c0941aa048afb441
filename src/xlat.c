// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Number-to-name tables (values from the Linux UAPI headers) and the call table. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/types.h>
#include "socktrace.h"
#include "xlat.h"
#include "util.h"

#define X(v, s)                                                                                    \
	{                                                                                          \
		(v), (s)                                                                           \
	}
#define XEND                                                                                       \
	{                                                                                          \
		0, NULL                                                                            \
	}

const struct xlat xlat_af[] = {
	X(0, "AF_UNSPEC"),
	X(1, "AF_UNIX"),
	X(2, "AF_INET"),
	X(3, "AF_AX25"),
	X(4, "AF_IPX"),
	X(5, "AF_APPLETALK"),
	X(6, "AF_NETROM"),
	X(7, "AF_BRIDGE"),
	X(8, "AF_ATMPVC"),
	X(9, "AF_X25"),
	X(10, "AF_INET6"),
	X(11, "AF_ROSE"),
	X(12, "AF_DECnet"),
	X(13, "AF_NETBEUI"),
	X(14, "AF_SECURITY"),
	X(15, "AF_KEY"),
	X(16, "AF_NETLINK"),
	X(17, "AF_PACKET"),
	X(18, "AF_ASH"),
	X(19, "AF_ECONET"),
	X(20, "AF_ATMSVC"),
	X(21, "AF_RDS"),
	X(22, "AF_SNA"),
	X(23, "AF_IRDA"),
	X(24, "AF_PPPOX"),
	X(25, "AF_WANPIPE"),
	X(26, "AF_LLC"),
	X(27, "AF_IB"),
	X(28, "AF_MPLS"),
	X(29, "AF_CAN"),
	X(30, "AF_TIPC"),
	X(31, "AF_BLUETOOTH"),
	X(32, "AF_IUCV"),
	X(33, "AF_RXRPC"),
	X(34, "AF_ISDN"),
	X(35, "AF_PHONET"),
	X(36, "AF_IEEE802154"),
	X(37, "AF_CAIF"),
	X(38, "AF_ALG"),
	X(39, "AF_NFC"),
	X(40, "AF_VSOCK"),
	X(41, "AF_KCM"),
	X(42, "AF_QIPCRTR"),
	X(43, "AF_SMC"),
	X(44, "AF_XDP"),
	X(45, "AF_MCTP"),
	XEND,
};
const struct xlat xlat_sock_type[] = {
	X(1, "SOCK_STREAM"),
	X(2, "SOCK_DGRAM"),
	X(3, "SOCK_RAW"),
	X(4, "SOCK_RDM"),
	X(5, "SOCK_SEQPACKET"),
	X(10, "SOCK_PACKET"),
	XEND,
};
const struct xlat xlat_sock_flags[] = {
	X(02000000, "SOCK_CLOEXEC"),
	X(04000, "SOCK_NONBLOCK"),
	XEND,
};
const struct xlat xlat_ipproto[] = {
	X(0, "IPPROTO_IP"),	   X(1, "IPPROTO_ICMP"),    X(2, "IPPROTO_IGMP"),
	X(4, "IPPROTO_IPIP"),	   X(6, "IPPROTO_TCP"),	    X(8, "IPPROTO_EGP"),
	X(12, "IPPROTO_PUP"),	   X(17, "IPPROTO_UDP"),    X(22, "IPPROTO_IDP"),
	X(29, "IPPROTO_TP"),	   X(33, "IPPROTO_DCCP"),   X(41, "IPPROTO_IPV6"),
	X(46, "IPPROTO_RSVP"),	   X(47, "IPPROTO_GRE"),    X(50, "IPPROTO_ESP"),
	X(51, "IPPROTO_AH"),	   X(58, "IPPROTO_ICMPV6"), X(92, "IPPROTO_MTP"),
	X(94, "IPPROTO_BEETPH"),   X(98, "IPPROTO_ENCAP"),  X(103, "IPPROTO_PIM"),
	X(108, "IPPROTO_COMP"),	   X(115, "IPPROTO_L2TP"),  X(132, "IPPROTO_SCTP"),
	X(136, "IPPROTO_UDPLITE"), X(137, "IPPROTO_MPLS"),  X(143, "IPPROTO_ETHERNET"),
	X(255, "IPPROTO_RAW"),	   X(262, "IPPROTO_MPTCP"), XEND,
};
const struct xlat xlat_msg_flags[] = {
	X(0x1, "MSG_OOB"),
	X(0x2, "MSG_PEEK"),
	X(0x4, "MSG_DONTROUTE"),
	X(0x8, "MSG_CTRUNC"),
	X(0x10, "MSG_PROXY"),
	X(0x20, "MSG_TRUNC"),
	X(0x40, "MSG_DONTWAIT"),
	X(0x80, "MSG_EOR"),
	X(0x100, "MSG_WAITALL"),
	X(0x200, "MSG_FIN"),
	X(0x400, "MSG_SYN"),
	X(0x800, "MSG_CONFIRM"),
	X(0x1000, "MSG_RST"),
	X(0x2000, "MSG_ERRQUEUE"),
	X(0x4000, "MSG_NOSIGNAL"),
	X(0x8000, "MSG_MORE"),
	X(0x10000, "MSG_WAITFORONE"),
	X(0x40000, "MSG_BATCH"),
	X(0x4000000, "MSG_ZEROCOPY"),
	X(0x20000000, "MSG_FASTOPEN"),
	X(0x40000000, "MSG_CMSG_CLOEXEC"),
	XEND,
};
const struct xlat xlat_splice_flags[] = {
	X(0x1, "SPLICE_F_MOVE"),
	X(0x2, "SPLICE_F_NONBLOCK"),
	X(0x4, "SPLICE_F_MORE"),
	X(0x8, "SPLICE_F_GIFT"),
	XEND,
};
const struct xlat xlat_sol[] = {
	X(0, "SOL_IP"),	      X(1, "SOL_SOCKET"),    X(6, "SOL_TCP"),	 X(17, "SOL_UDP"),
	X(41, "SOL_IPV6"),    X(58, "SOL_ICMPV6"),   X(132, "SOL_SCTP"), X(255, "SOL_RAW"),
	X(263, "SOL_PACKET"), X(270, "SOL_NETLINK"), X(282, "SOL_TLS"),	 XEND,
};
/* AF_NETLINK's protocols: which kernel part the socket talks to */
const struct xlat xlat_netlink_proto[] = {
	X(0, "NETLINK_ROUTE"),
	X(2, "NETLINK_USERSOCK"),
	X(4, "NETLINK_SOCK_DIAG"),
	X(5, "NETLINK_NFLOG"),
	X(6, "NETLINK_XFRM"),
	X(7, "NETLINK_SELINUX"),
	X(8, "NETLINK_ISCSI"),
	X(9, "NETLINK_AUDIT"),
	X(10, "NETLINK_FIB_LOOKUP"),
	X(11, "NETLINK_CONNECTOR"),
	X(12, "NETLINK_NETFILTER"),
	X(13, "NETLINK_IP6_FW"),
	X(14, "NETLINK_DNRTMSG"),
	X(15, "NETLINK_KOBJECT_UEVENT"),
	X(16, "NETLINK_GENERIC"),
	X(18, "NETLINK_SCSITRANSPORT"),
	X(19, "NETLINK_ECRYPTFS"),
	X(20, "NETLINK_RDMA"),
	X(21, "NETLINK_CRYPTO"),
	X(22, "NETLINK_SMC"),
	XEND,
};
/* AF_PACKET's protocols (ethertypes, host order; the call passes them htons'd) */
const struct xlat xlat_eth_p[] = {
	X(0x0003, "ETH_P_ALL"),
	X(0x0800, "ETH_P_IP"),
	X(0x0806, "ETH_P_ARP"),
	X(0x8100, "ETH_P_8021Q"),
	X(0x86dd, "ETH_P_IPV6"),
	X(0x88cc, "ETH_P_LLDP"),
	XEND,
};
const struct xlat xlat_so[] = {
	X(1, "SO_DEBUG"),
	X(2, "SO_REUSEADDR"),
	X(3, "SO_TYPE"),
	X(4, "SO_ERROR"),
	X(5, "SO_DONTROUTE"),
	X(6, "SO_BROADCAST"),
	X(7, "SO_SNDBUF"),
	X(8, "SO_RCVBUF"),
	X(9, "SO_KEEPALIVE"),
	X(10, "SO_OOBINLINE"),
	X(11, "SO_NO_CHECK"),
	X(12, "SO_PRIORITY"),
	X(13, "SO_LINGER"),
	X(14, "SO_BSDCOMPAT"),
	X(15, "SO_REUSEPORT"),
	X(16, "SO_PASSCRED"),
	X(17, "SO_PEERCRED"),
	X(18, "SO_RCVLOWAT"),
	X(19, "SO_SNDLOWAT"),
	X(20, "SO_RCVTIMEO_OLD"),
	X(21, "SO_SNDTIMEO_OLD"),
	X(22, "SO_SECURITY_AUTHENTICATION"),
	X(23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
	X(24, "SO_SECURITY_ENCRYPTION_NETWORK"),
	X(25, "SO_BINDTODEVICE"),
	X(26, "SO_ATTACH_FILTER"),
	X(27, "SO_DETACH_FILTER"),
	X(28, "SO_PEERNAME"),
	X(29, "SO_TIMESTAMP_OLD"),
	X(30, "SO_ACCEPTCONN"),
	X(31, "SO_PEERSEC"),
	X(32, "SO_SNDBUFFORCE"),
	X(33, "SO_RCVBUFFORCE"),
	X(34, "SO_PASSSEC"),
	X(35, "SO_TIMESTAMPNS_OLD"),
	X(36, "SO_MARK"),
	X(37, "SO_TIMESTAMPING_OLD"),
	X(38, "SO_PROTOCOL"),
	X(39, "SO_DOMAIN"),
	X(40, "SO_RXQ_OVFL"),
	X(41, "SO_WIFI_STATUS"),
	X(42, "SO_PEEK_OFF"),
	X(43, "SO_NOFCS"),
	X(44, "SO_LOCK_FILTER"),
	X(45, "SO_SELECT_ERR_QUEUE"),
	X(46, "SO_BUSY_POLL"),
	X(47, "SO_MAX_PACING_RATE"),
	X(48, "SO_BPF_EXTENSIONS"),
	X(49, "SO_INCOMING_CPU"),
	X(50, "SO_ATTACH_BPF"),
	X(51, "SO_ATTACH_REUSEPORT_CBPF"),
	X(52, "SO_ATTACH_REUSEPORT_EBPF"),
	X(53, "SO_CNX_ADVICE"),
	X(55, "SO_MEMINFO"),
	X(56, "SO_INCOMING_NAPI_ID"),
	X(57, "SO_COOKIE"),
	X(59, "SO_PEERGROUPS"),
	X(60, "SO_ZEROCOPY"),
	X(61, "SO_TXTIME"),
	X(62, "SO_BINDTOIFINDEX"),
	X(63, "SO_TIMESTAMP_NEW"),
	X(64, "SO_TIMESTAMPNS_NEW"),
	X(65, "SO_TIMESTAMPING_NEW"),
	X(66, "SO_RCVTIMEO_NEW"),
	X(67, "SO_SNDTIMEO_NEW"),
	X(68, "SO_DETACH_REUSEPORT_BPF"),
	X(69, "SO_PREFER_BUSY_POLL"),
	X(70, "SO_BUSY_POLL_BUDGET"),
	X(71, "SO_NETNS_COOKIE"),
	X(72, "SO_BUF_LOCK"),
	X(73, "SO_RESERVE_MEM"),
	X(74, "SO_TXREHASH"),
	X(75, "SO_RCVMARK"),
	X(76, "SO_PASSPIDFD"),
	X(77, "SO_PEERPIDFD"),
	XEND,
};
const struct xlat xlat_tcp_opt[] = {
	X(1, "TCP_NODELAY"),
	X(2, "TCP_MAXSEG"),
	X(3, "TCP_CORK"),
	X(4, "TCP_KEEPIDLE"),
	X(5, "TCP_KEEPINTVL"),
	X(6, "TCP_KEEPCNT"),
	X(7, "TCP_SYNCNT"),
	X(8, "TCP_LINGER2"),
	X(9, "TCP_DEFER_ACCEPT"),
	X(10, "TCP_WINDOW_CLAMP"),
	X(11, "TCP_INFO"),
	X(12, "TCP_QUICKACK"),
	X(13, "TCP_CONGESTION"),
	X(14, "TCP_MD5SIG"),
	X(16, "TCP_THIN_LINEAR_TIMEOUTS"),
	X(17, "TCP_THIN_DUPACK"),
	X(18, "TCP_USER_TIMEOUT"),
	X(19, "TCP_REPAIR"),
	X(20, "TCP_REPAIR_QUEUE"),
	X(21, "TCP_QUEUE_SEQ"),
	X(22, "TCP_REPAIR_OPTIONS"),
	X(23, "TCP_FASTOPEN"),
	X(24, "TCP_TIMESTAMP"),
	X(25, "TCP_NOTSENT_LOWAT"),
	X(26, "TCP_CC_INFO"),
	X(27, "TCP_SAVE_SYN"),
	X(28, "TCP_SAVED_SYN"),
	X(29, "TCP_REPAIR_WINDOW"),
	X(30, "TCP_FASTOPEN_CONNECT"),
	X(31, "TCP_ULP"),
	X(32, "TCP_MD5SIG_EXT"),
	X(33, "TCP_FASTOPEN_KEY"),
	X(34, "TCP_FASTOPEN_NO_COOKIE"),
	X(35, "TCP_ZEROCOPY_RECEIVE"),
	X(36, "TCP_INQ"),
	X(37, "TCP_TX_DELAY"),
	XEND,
};
const struct xlat xlat_ip_opt[] = {
	X(1, "IP_TOS"),
	X(2, "IP_TTL"),
	X(3, "IP_HDRINCL"),
	X(4, "IP_OPTIONS"),
	X(5, "IP_ROUTER_ALERT"),
	X(6, "IP_RECVOPTS"),
	X(7, "IP_RETOPTS"),
	X(8, "IP_PKTINFO"),
	X(9, "IP_PKTOPTIONS"),
	X(10, "IP_MTU_DISCOVER"),
	X(11, "IP_RECVERR"),
	X(12, "IP_RECVTTL"),
	X(13, "IP_RECVTOS"),
	X(14, "IP_MTU"),
	X(15, "IP_FREEBIND"),
	X(16, "IP_IPSEC_POLICY"),
	X(17, "IP_XFRM_POLICY"),
	X(18, "IP_PASSSEC"),
	X(19, "IP_TRANSPARENT"),
	X(20, "IP_RECVORIGDSTADDR"),
	X(21, "IP_MINTTL"),
	X(22, "IP_NODEFRAG"),
	X(23, "IP_CHECKSUM"),
	X(24, "IP_BIND_ADDRESS_NO_PORT"),
	X(25, "IP_RECVFRAGSIZE"),
	X(32, "IP_MULTICAST_IF"),
	X(33, "IP_MULTICAST_TTL"),
	X(34, "IP_MULTICAST_LOOP"),
	X(35, "IP_ADD_MEMBERSHIP"),
	X(36, "IP_DROP_MEMBERSHIP"),
	X(37, "IP_UNBLOCK_SOURCE"),
	X(38, "IP_BLOCK_SOURCE"),
	X(39, "IP_ADD_SOURCE_MEMBERSHIP"),
	X(40, "IP_DROP_SOURCE_MEMBERSHIP"),
	X(41, "IP_MSFILTER"),
	X(42, "MCAST_JOIN_GROUP"),
	X(43, "MCAST_BLOCK_SOURCE"),
	X(44, "MCAST_UNBLOCK_SOURCE"),
	X(45, "MCAST_LEAVE_GROUP"),
	X(46, "MCAST_JOIN_SOURCE_GROUP"),
	X(47, "MCAST_LEAVE_SOURCE_GROUP"),
	X(48, "MCAST_MSFILTER"),
	X(49, "IP_MULTICAST_ALL"),
	X(50, "IP_UNICAST_IF"),
	XEND,
};
const struct xlat xlat_ipv6_opt[] = {
	X(1, "IPV6_ADDRFORM"),
	X(2, "IPV6_2292PKTINFO"),
	X(3, "IPV6_2292HOPOPTS"),
	X(4, "IPV6_2292DSTOPTS"),
	X(5, "IPV6_2292RTHDR"),
	X(6, "IPV6_2292PKTOPTIONS"),
	X(7, "IPV6_CHECKSUM"),
	X(8, "IPV6_2292HOPLIMIT"),
	X(9, "IPV6_NEXTHOP"),
	X(10, "IPV6_AUTHHDR"),
	X(11, "IPV6_FLOWINFO"),
	X(16, "IPV6_UNICAST_HOPS"),
	X(17, "IPV6_MULTICAST_IF"),
	X(18, "IPV6_MULTICAST_HOPS"),
	X(19, "IPV6_MULTICAST_LOOP"),
	X(20, "IPV6_ADD_MEMBERSHIP"),
	X(21, "IPV6_DROP_MEMBERSHIP"),
	X(22, "IPV6_ROUTER_ALERT"),
	X(23, "IPV6_MTU_DISCOVER"),
	X(24, "IPV6_MTU"),
	X(25, "IPV6_RECVERR"),
	X(26, "IPV6_V6ONLY"),
	X(27, "IPV6_JOIN_ANYCAST"),
	X(28, "IPV6_LEAVE_ANYCAST"),
	X(29, "IPV6_MULTICAST_ALL"),
	X(30, "IPV6_ROUTER_ALERT_ISOLATE"),
	X(31, "IPV6_RECVERR_RFC4884"),
	X(32, "IPV6_FLOWLABEL_MGR"),
	X(33, "IPV6_FLOWINFO_SEND"),
	X(34, "IPV6_IPSEC_POLICY"),
	X(35, "IPV6_XFRM_POLICY"),
	X(36, "IPV6_HDRINCL"),
	X(49, "IPV6_RECVPKTINFO"),
	X(50, "IPV6_PKTINFO"),
	X(51, "IPV6_RECVHOPLIMIT"),
	X(52, "IPV6_HOPLIMIT"),
	X(53, "IPV6_RECVHOPOPTS"),
	X(54, "IPV6_HOPOPTS"),
	X(55, "IPV6_RTHDRDSTOPTS"),
	X(56, "IPV6_RECVRTHDR"),
	X(57, "IPV6_RTHDR"),
	X(58, "IPV6_RECVDSTOPTS"),
	X(59, "IPV6_DSTOPTS"),
	X(60, "IPV6_RECVPATHMTU"),
	X(61, "IPV6_PATHMTU"),
	X(62, "IPV6_DONTFRAG"),
	X(66, "IPV6_RECVTCLASS"),
	X(67, "IPV6_TCLASS"),
	X(70, "IPV6_AUTOFLOWLABEL"),
	X(72, "IPV6_ADDR_PREFERENCES"),
	X(73, "IPV6_MINHOPCOUNT"),
	X(74, "IPV6_RECVORIGDSTADDR"),
	X(75, "IPV6_TRANSPARENT"),
	X(76, "IPV6_UNICAST_IF"),
	X(77, "IPV6_RECVFRAGSIZE"),
	X(78, "IPV6_FREEBIND"),
	XEND,
};
/* SOL_SOCKET's control messages (their numbers are not SO_*'s) */
const struct xlat xlat_scm[] = {
	X(1, "SCM_RIGHTS"),
	X(2, "SCM_CREDENTIALS"),
	X(3, "SCM_SECURITY"),
	X(4, "SCM_PIDFD"),
	X(29, "SCM_TIMESTAMP"),
	X(35, "SCM_TIMESTAMPNS"),
	X(37, "SCM_TIMESTAMPING"),
	X(63, "SCM_TIMESTAMP"),
	X(64, "SCM_TIMESTAMPNS"),
	X(65, "SCM_TIMESTAMPING"),
	XEND,
};
/* SOL_UDP's options; UDP_SEGMENT and UDP_GRO are its control messages too */
const struct xlat xlat_udp_opt[] = {
	X(1, "UDP_CORK"),
	X(100, "UDP_ENCAP"),
	X(101, "UDP_NO_CHECK6_TX"),
	X(102, "UDP_NO_CHECK6_RX"),
	X(103, "UDP_SEGMENT"),
	X(104, "UDP_GRO"),
	XEND,
};
const struct xlat xlat_packet_opt[] = {
	X(1, "PACKET_ADD_MEMBERSHIP"),	 X(2, "PACKET_DROP_MEMBERSHIP"),
	X(5, "PACKET_RX_RING"),		 X(6, "PACKET_STATISTICS"),
	X(8, "PACKET_AUXDATA"),		 X(10, "PACKET_VERSION"),
	X(13, "PACKET_TX_RING"),	 X(18, "PACKET_FANOUT"),
	X(23, "PACKET_IGNORE_OUTGOING"), XEND,
};
const struct xlat xlat_netlink_opt[] = {
	X(1, "NETLINK_ADD_MEMBERSHIP"),
	X(2, "NETLINK_DROP_MEMBERSHIP"),
	X(3, "NETLINK_PKTINFO"),
	X(4, "NETLINK_BROADCAST_ERROR"),
	X(5, "NETLINK_NO_ENOBUFS"),
	X(8, "NETLINK_LISTEN_ALL_NSID"),
	X(9, "NETLINK_LIST_MEMBERSHIPS"),
	X(10, "NETLINK_CAP_ACK"),
	X(11, "NETLINK_EXT_ACK"),
	X(12, "NETLINK_GET_STRICT_CHK"),
	XEND,
};
const struct xlat xlat_shut[] = {
	X(0, "SHUT_RD"),
	X(1, "SHUT_WR"),
	X(2, "SHUT_RDWR"),
	XEND,
};
const struct xlat xlat_epoll_op[] = {
	X(1, "EPOLL_CTL_ADD"),
	X(2, "EPOLL_CTL_DEL"),
	X(3, "EPOLL_CTL_MOD"),
	XEND,
};
#define POLLBITS(P)                                                                                \
	X(0x1, P "IN"), X(0x2, P "PRI"), X(0x4, P "OUT"), X(0x8, P "ERR"), X(0x10, P "HUP"),       \
		X(0x20, P "NVAL"), X(0x40, P "RDNORM"), X(0x80, P "RDBAND"), X(0x100, P "WRNORM"), \
		X(0x200, P "WRBAND"), X(0x400, P "MSG"), X(0x2000, P "RDHUP")
const struct xlat xlat_epoll_events[] = {
	POLLBITS("EPOLL"),	     X(1u << 28, "EPOLLEXCLUSIVE"), X(1u << 29, "EPOLLWAKEUP"),
	X(1u << 30, "EPOLLONESHOT"), X(1u << 31, "EPOLLET"),	    XEND,
};
const struct xlat xlat_poll_events[] = {POLLBITS("POLL"), XEND};
const struct xlat xlat_tcp_state[] = {
	X(1, "ESTABLISHED"),
	X(2, "SYN_SENT"),
	X(3, "SYN_RECV"),
	X(4, "FIN_WAIT1"),
	X(5, "FIN_WAIT2"),
	X(6, "TIME_WAIT"),
	X(7, "CLOSE"),
	X(8, "CLOSE_WAIT"),
	X(9, "LAST_ACK"),
	X(10, "LISTEN"),
	X(11, "CLOSING"),
	X(12, "NEW_SYN_RECV"),
	XEND,
};
const struct xlat xlat_uring_setup[] = {
	X(1u << 0, "IORING_SETUP_IOPOLL"),	   X(1u << 1, "IORING_SETUP_SQPOLL"),
	X(1u << 2, "IORING_SETUP_SQ_AFF"),	   X(1u << 3, "IORING_SETUP_CQSIZE"),
	X(1u << 4, "IORING_SETUP_CLAMP"),	   X(1u << 5, "IORING_SETUP_ATTACH_WQ"),
	X(1u << 6, "IORING_SETUP_R_DISABLED"),	   X(1u << 7, "IORING_SETUP_SUBMIT_ALL"),
	X(1u << 8, "IORING_SETUP_COOP_TASKRUN"),   X(1u << 9, "IORING_SETUP_TASKRUN_FLAG"),
	X(1u << 10, "IORING_SETUP_SQE128"),	   X(1u << 11, "IORING_SETUP_CQE32"),
	X(1u << 12, "IORING_SETUP_SINGLE_ISSUER"), X(1u << 13, "IORING_SETUP_DEFER_TASKRUN"),
	X(1u << 14, "IORING_SETUP_NO_MMAP"),	   X(1u << 15, "IORING_SETUP_REGISTERED_FD_ONLY"),
	X(1u << 16, "IORING_SETUP_NO_SQARRAY"),	   XEND,
};
const struct xlat xlat_uring_enter[] = {
	X(1u << 0, "IORING_ENTER_GETEVENTS"),	    X(1u << 1, "IORING_ENTER_SQ_WAKEUP"),
	X(1u << 2, "IORING_ENTER_SQ_WAIT"),	    X(1u << 3, "IORING_ENTER_EXT_ARG"),
	X(1u << 4, "IORING_ENTER_REGISTERED_RING"), XEND,
};
const struct xlat xlat_uring_register[] = {
	X(0, "IORING_REGISTER_BUFFERS"),	 X(1, "IORING_UNREGISTER_BUFFERS"),
	X(2, "IORING_REGISTER_FILES"),		 X(3, "IORING_UNREGISTER_FILES"),
	X(4, "IORING_REGISTER_EVENTFD"),	 X(5, "IORING_UNREGISTER_EVENTFD"),
	X(6, "IORING_REGISTER_FILES_UPDATE"),	 X(7, "IORING_REGISTER_EVENTFD_ASYNC"),
	X(8, "IORING_REGISTER_PROBE"),		 X(9, "IORING_REGISTER_PERSONALITY"),
	X(10, "IORING_UNREGISTER_PERSONALITY"),	 X(11, "IORING_REGISTER_RESTRICTIONS"),
	X(12, "IORING_REGISTER_ENABLE_RINGS"),	 X(13, "IORING_REGISTER_FILES2"),
	X(14, "IORING_REGISTER_FILES_UPDATE2"),	 X(15, "IORING_REGISTER_BUFFERS2"),
	X(16, "IORING_REGISTER_BUFFERS_UPDATE"), X(17, "IORING_REGISTER_IOWQ_AFF"),
	X(18, "IORING_UNREGISTER_IOWQ_AFF"),	 X(19, "IORING_REGISTER_IOWQ_MAX_WORKERS"),
	X(20, "IORING_REGISTER_RING_FDS"),	 X(21, "IORING_UNREGISTER_RING_FDS"),
	X(22, "IORING_REGISTER_PBUF_RING"),	 X(23, "IORING_UNREGISTER_PBUF_RING"),
	X(24, "IORING_REGISTER_SYNC_CANCEL"),	 X(25, "IORING_REGISTER_FILE_ALLOC_RANGE"),
	X(26, "IORING_REGISTER_PBUF_STATUS"),	 X(27, "IORING_REGISTER_NAPI"),
	X(28, "IORING_UNREGISTER_NAPI"),	 XEND,
};

/* IORING_OP_*, without the prefix: a request is named by its opcode */
const struct xlat xlat_uring_op[] = {
	X(0, "NOP"),
	X(1, "READV"),
	X(2, "WRITEV"),
	X(3, "FSYNC"),
	X(4, "READ_FIXED"),
	X(5, "WRITE_FIXED"),
	X(6, "POLL_ADD"),
	X(7, "POLL_REMOVE"),
	X(8, "SYNC_FILE_RANGE"),
	X(9, "SENDMSG"),
	X(10, "RECVMSG"),
	X(11, "TIMEOUT"),
	X(12, "TIMEOUT_REMOVE"),
	X(13, "ACCEPT"),
	X(14, "ASYNC_CANCEL"),
	X(15, "LINK_TIMEOUT"),
	X(16, "CONNECT"),
	X(17, "FALLOCATE"),
	X(18, "OPENAT"),
	X(19, "CLOSE"),
	X(20, "FILES_UPDATE"),
	X(21, "STATX"),
	X(22, "READ"),
	X(23, "WRITE"),
	X(24, "FADVISE"),
	X(25, "MADVISE"),
	X(26, "SEND"),
	X(27, "RECV"),
	X(28, "OPENAT2"),
	X(29, "EPOLL_CTL"),
	X(30, "SPLICE"),
	X(31, "PROVIDE_BUFFERS"),
	X(32, "REMOVE_BUFFERS"),
	X(33, "TEE"),
	X(34, "SHUTDOWN"),
	X(35, "RENAMEAT"),
	X(36, "UNLINKAT"),
	X(37, "MKDIRAT"),
	X(38, "SYMLINKAT"),
	X(39, "LINKAT"),
	X(40, "MSG_RING"),
	X(41, "FSETXATTR"),
	X(42, "SETXATTR"),
	X(43, "FGETXATTR"),
	X(44, "GETXATTR"),
	X(45, "SOCKET"),
	X(46, "URING_CMD"),
	X(47, "SEND_ZC"),
	X(48, "SENDMSG_ZC"),
	X(49, "READ_MULTISHOT"),
	X(50, "WAITID"),
	X(51, "FUTEX_WAIT"),
	X(52, "FUTEX_WAKE"),
	X(53, "FUTEX_WAITV"),
	X(54, "FIXED_FD_INSTALL"),
	X(55, "FTRUNCATE"),
	X(56, "BIND"),
	X(57, "LISTEN"),
	X(58, "RECV_ZC"),
	X(59, "EPOLL_WAIT"),
	X(60, "READV_FIXED"),
	X(61, "WRITEV_FIXED"),
	X(62, "PIPE"),
	XEND,
};

const struct xlat xlat_uring_cqe_flags[] = {
	X(1, "F_BUFFER"), X(2, "F_MORE"), X(4, "F_SOCK_NONEMPTY"), X(8, "F_NOTIF"), XEND,
};

int uring_op_moves_bytes(unsigned int op)
{
	switch (op) { /* READV WRITEV READ/WRITE_FIXED SENDMSG RECVMSG READ WRITE SEND RECV
		       * SEND_ZC SENDMSG_ZC READ_MULTISHOT: uring.bpf.c's op_dir() */
	case 1:
	case 2:
	case 4:
	case 5:
	case 9:
	case 10:
	case 22:
	case 23:
	case 26:
	case 27:
	case 47:
	case 48:
	case 49:
		return 1;
	}
	return 0;
}

int uring_op_receives(unsigned int op)
{
	switch (op) { /* READV READ_FIXED RECVMSG READ RECV READ_MULTISHOT */
	case 1:
	case 4:
	case 10:
	case 22:
	case 27:
	case 49:
		return 1;
	}
	return 0;
}

const char *xlat_name(const struct xlat *tab, uint64_t val)
{
	for (; tab->str; tab++)
		if (tab->val == val)
			return tab->str;
	return NULL;
}

char *xlat_name_or_num(const struct xlat *tab, uint64_t val, char *buf, size_t len)
{
	const char *s = xlat_name(tab, val);

	if (s)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "%llu", (unsigned long long)val);
	return buf;
}

char *xlat_flags(const struct xlat *tab, uint64_t val, const char *zero_str, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	if (!val) {
		buf_put(buf, &off, len, zero_str ? zero_str : "0");
		return buf;
	}
	/* every call's flags come through here: appends, not printf */
	for (; tab->str && val; tab++) {
		if (tab->val && (val & tab->val) == tab->val) {
			if (off)
				buf_put(buf, &off, len, "|");
			buf_put(buf, &off, len, tab->str);
			val &= ~tab->val;
		}
	}
	if (val)
		snprintf(buf + off, off < len ? len - off : 0, "%s%#llx", off ? "|" : "",
			 (unsigned long long)val);
	return buf;
}

const char *errno_name(int err)
{
	/* kernel-internal restart codes, seen at syscall exit before signal delivery */
	switch (err) {
	case 512:
		return "ERESTARTSYS";
	case 513:
		return "ERESTARTNOINTR";
	case 514:
		return "ERESTARTNOHAND";
	case 515:
		return "ENOIOCTLCMD";
	case 516:
		return "ERESTART_RESTARTBLOCK";
	}
	return strerrorname_np(err);
}

const struct xlat *sockopt_names(int level)
{
	switch (level) {
	case 1:
		return xlat_so;
	case 6:
		return xlat_tcp_opt;
	case 0:
		return xlat_ip_opt;
	case 41:
		return xlat_ipv6_opt;
	case 17:
		return xlat_udp_opt;
	case 263:
		return xlat_packet_opt;
	case 270:
		return xlat_netlink_opt;
	}
	return NULL;
}

const char *const cat_names[CAT_MAX] = {
	[CAT_SOCKET] = "socket",   [CAT_BIND] = "bind",		[CAT_LISTEN] = "listen",
	[CAT_ACCEPT] = "accept",   [CAT_CONNECT] = "connect",	[CAT_SEND] = "send",
	[CAT_RECV] = "recv",	   [CAT_CLOSE] = "close",	[CAT_SHUTDOWN] = "shutdown",
	[CAT_SOCKOPT] = "sockopt", [CAT_SELECT] = "select",	[CAT_POLL] = "poll",
	[CAT_EPOLL] = "epoll",	   [CAT_IO_URING] = "io_uring",
};

#define S2(id, name, cat, cat2)                                                                    \
	{                                                                                          \
		NT_SYS_##id, #name, CAT_##cat, SYS_##name, CAT_##cat2                              \
	}
#define S(id, name, cat) S2(id, name, cat, cat)
const struct sys_info sys_table[] = {
	S(SOCKET, socket, SOCKET),
	S(SOCKETPAIR, socketpair, SOCKET),
	S(BIND, bind, BIND),
	S(LISTEN, listen, LISTEN),
	S(ACCEPT, accept, ACCEPT),
	S(ACCEPT4, accept4, ACCEPT),
	S(CONNECT, connect, CONNECT),
	S(GETSOCKNAME, getsockname, SOCKOPT),
	S(GETPEERNAME, getpeername, SOCKOPT),
	S(SETSOCKOPT, setsockopt, SOCKOPT),
	S(GETSOCKOPT, getsockopt, SOCKOPT),
	S(SHUTDOWN, shutdown, SHUTDOWN),
	S(SENDTO, sendto, SEND),
	S(SENDMSG, sendmsg, SEND),
	S(SENDMMSG, sendmmsg, SEND),
	S(WRITE, write, SEND),
	S(WRITEV, writev, SEND),
	S(RECVFROM, recvfrom, RECV),
	S(RECVMSG, recvmsg, RECV),
	S(RECVMMSG, recvmmsg, RECV),
	S(READ, read, RECV),
	S(READV, readv, RECV),
	S(CLOSE, close, CLOSE),
	S(SELECT, select, SELECT),
	S(PSELECT6, pselect6, SELECT),
	S(POLL, poll, POLL),
	S(PPOLL, ppoll, POLL),
	S(EPOLL_CREATE, epoll_create, EPOLL),
	S(EPOLL_CREATE1, epoll_create1, EPOLL),
	S(EPOLL_CTL, epoll_ctl, EPOLL),
	S(EPOLL_WAIT, epoll_wait, EPOLL),
	S(EPOLL_PWAIT, epoll_pwait, EPOLL),
	S(EPOLL_PWAIT2, epoll_pwait2, EPOLL),
	S(IO_URING_SETUP, io_uring_setup, IO_URING),
	S(IO_URING_ENTER, io_uring_enter, IO_URING),
	S(IO_URING_REGISTER, io_uring_register, IO_URING),
	S(SENDFILE, sendfile, SEND),
	S2(SPLICE, splice, SEND, RECV),
};
const size_t sys_table_len = sizeof(sys_table) / sizeof(sys_table[0]);

const struct sys_info *sys_by_id(unsigned int id)
{
	/* every record asks: the table is in enum order, so look there first */
	if (id && id <= sys_table_len && sys_table[id - 1].id == id)
		return &sys_table[id - 1];
	for (size_t i = 0; i < sys_table_len; i++)
		if (sys_table[i].id == id)
			return &sys_table[i];
	return NULL;
}

const struct sys_info *sys_by_name(const char *name)
{
	for (size_t i = 0; i < sys_table_len; i++)
		if (!strcmp(sys_table[i].name, name))
			return &sys_table[i];
	return NULL;
}

int cat_by_name(const char *name)
{
	for (int i = 0; i < CAT_MAX; i++)
		if (!strcmp(cat_names[i], name))
			return i;
	return -1;
}
