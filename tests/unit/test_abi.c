// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The record layout shared with BPF: any change to it must be deliberate. */
#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"
#include "unit.h"

int main(void)
{
	t_check(sizeof(struct nt_addr) == 20);
	t_check(sizeof(struct nt_sock) == 64);
	t_check(offsetof(struct nt_sock, local) == 16);
	t_check(offsetof(struct nt_sock, peer) == 36);
	t_check(offsetof(struct nt_sock, state) == 62);
	t_check(sizeof(struct ev_hdr) == 24);
	t_check(offsetof(struct ev_hdr, type) == 16);
	t_check(offsetof(struct ev_hdr, size) == 18);
	t_check(sizeof(struct ev_call) == 184);
	t_check(offsetof(struct ev_call, dur_ns) == 24);
	t_check(offsetof(struct ev_call, args) == 32);
	t_check(offsetof(struct ev_call, ret) == 80);
	t_check(offsetof(struct ev_call, enter_val) == 88);
	t_check(offsetof(struct ev_call, sock) == 96);
	t_check(offsetof(struct ev_call, comm) == 160);
	t_check(offsetof(struct ev_call, sys) == 176);
	t_check(offsetof(struct ev_call, aux_len) == 180);
	t_check(offsetof(struct ev_call, nhits) == 182);
	t_check(offsetof(struct ev_call, nuser) == 183);
	t_check(sizeof(struct nt_hit) == 20);
	t_check(offsetof(struct nt_hit, fn) == 16);
	t_check((NT_HITS_MAX & (NT_HITS_MAX - 1)) == 0);
	t_check(sizeof(struct ev_proc) == 120);
	t_check(offsetof(struct ev_proc, comm) == 40);
	t_check(sizeof(struct nt_aux_fdsets) == 8 + 6 * NT_FDSET_BYTES);
	t_check(sizeof(struct nt_aux_msghdr) == 24);
	/* the lens where recordings before the peers had them, the peers after */
	t_check(offsetof(struct nt_aux_mmsg, namelens) == 4 + 4 * NT_MMSG_MAX);
	t_check(sizeof(struct nt_aux_mmsg) == 4 + 8 * NT_MMSG_MAX + NT_MMSG_NAME * NT_MMSG_MAX);
	t_check(sizeof(struct nt_aux_mmsg) <= NT_AUX_MAX);
	t_check(sizeof(struct nt_aux_sockopt) == 4 + NT_SOCKOPT_MAX);
	t_check(sizeof(struct nt_aux_uring_params) == 24);
	t_check(sizeof(struct nt_aux_uring_enter) == 8);
	t_check(sizeof(struct ev_ureq) == 176);
	t_check(offsetof(struct ev_ureq, submit_ns) == 24);
	t_check(offsetof(struct ev_ureq, sock) == 64);
	t_check(offsetof(struct ev_ureq, comm) == 128);
	t_check(offsetof(struct ev_ureq, res) == 144);
	t_check(offsetof(struct ev_ureq, how) == 168);
	t_check(offsetof(struct ev_ureq, nhits) == 171);
	t_check(sizeof(struct ev_ureq) % 4 == 0); /* the hits that follow stay aligned */
	t_check(sizeof(struct ev_lost) == 32);	  /* recordings hold it */
	/* every aux layout fits the space the BPF side reserves */
	t_check(sizeof(struct nt_aux_fdsets) <= NT_AUX_MAX);
	t_check(sizeof(struct nt_aux_msghdr) + NT_SOCKADDR_MAX <= NT_AUX_MAX);
	t_check(NT_VEC_MAX * 12 <= NT_AUX_MAX);
	return t_done();
}
