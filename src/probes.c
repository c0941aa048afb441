// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Find what the kernel offers (kfeatures.c) and plan each kernel-path hook's
 * mechanism (plan.c); open the skeleton, write the knobs (which calls, follow
 * children, the plan's programs), load (CO-RE against the small BTF
 * core_btf.c copies), seed the traced set, then attach:
 * process following, the path hooks, and the syscall exit before its enter.
 * The syscall surface is tp_btf: typed registers, for programs that run at
 * every syscall of the machine.  The other tracepoints are raw_tp, which the
 * kernel loads without searching its BTF for the target by name (a quarter
 * of a millisecond a program here).  Neither needs tracefs or kprobes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include "socktrace.h" /* before the skeleton: its rodata holds struct nt_port_range */
#include "socktrace.skel.h"
#include "cgroup_root.h"
#include "core_btf.h"
#include "ksyms.h"
#include "log.h"
#include "kfeatures.h"
#include "plan.h"
#include "probes.h"
#include "util.h"
#include "xlat.h"

#define MAX_LINKS (4 * NT_FN_MAX + 8)
#define STACK_IDS 8192 /* max_entries of the stacks map */

struct probes {
	struct socktrace_bpf *skel;
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
	struct ksyms *ksyms;
	int ksyms_tried;
	pthread_t ksyms_loader; /* preload_ksyms's, joined at first need */
	int ksyms_loading, ksyms_errno;
	struct probe_report report;
	int hook_on[HOOK_MAX]; /* a traced call takes the hook's path: load and attach it */
	/* io_uring_submit_sqe on older kernels: a raw_tp attaches by name */
	const char *uring_submit_tp;
	uint64_t (*stack_cache)[NT_STACK_DEPTH]; /* stack ids are stable: read each once */
	int *stack_len;				 /* frames cached per id, 0 = not yet */
	int counts_b_now;			 /* calls count in counts_b, not counts_a */
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && log_verbosity < 2)
		return 0;
	/* libbpf's warnings repeat what our one-line error says; -v shows them */
	if (level != LIBBPF_DEBUG && log_verbosity < 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int check_privileges(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	/* CAP_SYS_ADMIN (21), or CAP_BPF (39) with CAP_PERFMON (38) */
	if ((eff & (1ull << 21)) || ((eff & (1ull << 39)) && (eff & (1ull << 38))))
		return 0;
	err("needs root, or CAP_BPF and CAP_PERFMON, to load eBPF programs: run it with sudo");
	return -EPERM;
}

static int check_kernel(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		err("this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): socktrace needs "
		    "a "
		    "kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux 5.8 or later)");
		return -ENOENT;
	}
	if (access("/proc/sys/kernel/bpf_stats_enabled", F_OK) && errno == ENOENT) {
		err("this kernel has no eBPF support (CONFIG_BPF_SYSCALL is off)");
		return -ENOSYS;
	}
	return 0;
}

int probes_check_host(void)
{
	int ret = check_privileges();

	return ret ? ret : check_kernel();
}

static int add_link(struct probes *p, struct bpf_link *l)
{
	if (!l)
		return -errno;
	if (p->nlinks >= MAX_LINKS) {
		bpf_link__destroy(l);
		return -E2BIG;
	}
	p->links[p->nlinks++] = l;
	return 0;
}

static const struct ksyms *ksyms_of(void *ctx);

/* The programs of one function hook under one mechanism: entry and exit. */
static void fn_progs(struct probes *p, unsigned int fn, enum mech m, struct bpf_program **entry,
		     struct bpf_program **exit)
{
	char name[96];

	*entry = *exit = NULL;
	/* under kprobe.multi one pair of programs serves every function */
	if ((m != MECH_FENTRY && m != MECH_KPROBE) || (m == MECH_KPROBE && p->report.kprobe_multi))
		return;
	snprintf(name, sizeof(name), "%s_%s", m == MECH_FENTRY ? "fentry" : "kprobe", fn_name(fn));
	*entry = bpf_object__find_program_by_name(p->skel->obj, name);
	snprintf(name, sizeof(name), "%s_%s", m == MECH_FENTRY ? "fexit" : "kretprobe",
		 fn_name(fn));
	*exit = bpf_object__find_program_by_name(p->skel->obj, name);
}

static struct bpf_program *tp_prog(struct probes *p, unsigned int tp)
{
	char name[96];

	snprintf(name, sizeof(name), "tp_%s", fn_name(tp));
	return bpf_object__find_program_by_name(p->skel->obj, name);
}

static struct bpf_program *cg_prog(struct probes *p, unsigned int cg)
{
	return bpf_object__find_program_by_name(p->skel->obj, cg_hooks[cg].prog);
}

static int is_path_prog(const char *name)
{
	static const char *const prefixes[] = {"fentry_", "fexit_", "kprobe_", "kretprobe_", "cg_"};

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	for (unsigned int tp = NT_TP_SOCK_SEND_LENGTH; tp < NT_FN_MAX; tp++)
		if (fn_is_tracepoint(tp) && !strncmp(name, "tp_", 3) &&
		    !strcmp(name + 3, fn_name(tp)))
			return 1;
	return 0;
}

static int is_uring_prog(const struct bpf_program *prog)
{
	return !strncmp(bpf_program__name(prog), "uring_", 6);
}

/*
 * The io_uring request programs, on the tracepoints this kernel has: the
 * submission tracepoint's name and the completion's arguments changed in 6.4.
 */
static void plan_uring(struct probes *p, const struct kernel_features *f, int wanted)
{
	struct probe_report *r = &p->report;
	struct bpf_program *prog;

	r->uring = wanted && f->uring_submit_tp;
	if (wanted && !r->uring)
		snprintf(r->uring_why, sizeof(r->uring_why),
			 "this kernel has no io_uring tracepoints (CONFIG_IO_URING off?)");
	bpf_object__for_each_program(prog, p->skel->obj) if (is_uring_prog(prog))
		bpf_program__set_autoload(prog, r->uring);
	if (!r->uring)
		return;
	p->uring_submit_tp = f->uring_submit_tp;
	snprintf(r->uring_tps, sizeof(r->uring_tps),
		 "%s, io_uring_complete(%s), poll_arm, task_add, queue_async_work, link, "
		 "req_failed",
		 f->uring_submit_tp, f->uring_complete_cqe ? "ctx, req, cqe" : "ctx, req, res...");
	bpf_program__set_autoload(f->uring_complete_cqe ? p->skel->progs.uring_complete_args
							: p->skel->progs.uring_complete_cqe,
				  false);
}

/* TCP state changes, and the RSTs a call sent, are shown under every mechanism */
static const __u16 every_mech_tps[] = {NT_TP_INET_SOCK_SET_STATE, NT_TP_TCP_SEND_RESET};

/* Loads only the path programs the plan chose (a fentry program this kernel
 * refuses would fail the whole load), for the hooks of the calls traced. */
static void apply_plan(struct probes *p, const struct kernel_features *f,
		       const struct probe_opts *o)
{
	struct probe_report *r = &p->report;
	struct bpf_program *prog, *a, *b;
	int state_stack = 0;

	/* an io_uring request's path runs through the socket hooks' functions too */
	for (int h = 0; h < HOOK_MAX; h++)
		p->hook_on[h] = o->uring;
	for (unsigned int sys = 0; sys < NT_SYS_MAX; sys++)
		if (o->sys_on[sys] && hook_of_sys(sys) >= 0)
			p->hook_on[hook_of_sys(sys)] = 1;
	/* their bytes may come from the socket */
	if (o->sys_on[NT_SYS_SENDFILE] || o->sys_on[NT_SYS_SPLICE])
		p->hook_on[HOOK_RECVMSG] = 1;

	bpf_object__for_each_program(prog, p->skel->obj) if (is_path_prog(bpf_program__name(prog)))
		bpf_program__set_autoload(prog, false);
	if (r->kprobe_multi) {
		bpf_program__set_autoload(p->skel->progs.kprobe_multi_enter, true);
		bpf_program__set_autoload(p->skel->progs.kprobe_multi_exit, true);
	}
	for (int h = 0; h < HOOK_MAX; h++) {
		const struct hook *hk = &hooks[h];
		struct hook_report *hr = &r->hooks[h];

		if (!p->hook_on[h])
			continue;
		for (int i = 0; i < HOOK_FNS_MAX && hk->fns[i]; i++) {
			if (hr->fn_state[i] != FN_PRESENT)
				continue;
			fn_progs(p, hk->fns[i], hr->chosen, &a, &b);
			if (a && b) {
				bpf_program__set_autoload(a, true);
				bpf_program__set_autoload(b, true);
			}
		}
		for (int i = 0; i < HOOK_TPS_MAX && hk->tps[i]; i++) {
			if (hr->tp_state[i] != FN_PRESENT || !(prog = tp_prog(p, hk->tps[i])))
				continue;
			bpf_program__set_autoload(prog, true);
			state_stack |= hk->tps[i] == NT_TP_INET_SOCK_SET_STATE;
		}
		for (int i = 0; i < HOOK_CGS_MAX && hk->cgs[i]; i++) {
			if (hr->cg_state[i] != FN_PRESENT || !(prog = cg_prog(p, hk->cgs[i])))
				continue;
			bpf_program__set_autoload(prog, true);
			bpf_program__set_expected_attach_type(prog, f->cg_attach_type[hk->cgs[i]]);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(every_mech_tps); i++)
		if (f->tp_exists[every_mech_tps[i]])
			bpf_program__set_autoload(tp_prog(p, every_mech_tps[i]), true);
	p->skel->rodata->targ_state_stack = state_stack;
	p->skel->rodata->targ_kstack = o->kstack;
	for (unsigned int sys = 0; sys < NT_SYS_MAX; sys++)
		p->skel->rodata->targ_sys_path[sys] = hook_of_sys(sys) >= 0;
}

/* tp: a raw tracepoint's name, where it is not the one in the program's section */
static int attach_prog_to(struct probes *p, struct bpf_program *prog, const char *tp)
{
	int ret = add_link(p, tp ? bpf_program__attach_raw_tracepoint(prog, tp)
				 : bpf_program__attach(prog));

	if (ret)
		vlog("failed to attach %s: %s", bpf_program__name(prog), strerror(-ret));
	return ret;
}

static int attach_prog(struct probes *p, struct bpf_program *prog)
{
	return attach_prog_to(p, prog, NULL);
}

/*
 * Every kprobe-hooked function in one kprobe.multi link per direction; the
 * programs know each function by the address fn_ips maps to its id.
 */
static void attach_kprobe_multi(struct probes *p)
{
	struct probe_report *r = &p->report;
	const struct ksyms *ks = ksyms_of(p);
	const char *syms[NT_FN_MAX];
	enum fn_state *state[NT_FN_MAX];
	size_t n = 0;
	int ok;

	for (int h = 0; h < HOOK_MAX; h++) {
		if (r->hooks[h].chosen != MECH_KPROBE || !p->hook_on[h])
			continue;
		for (int i = 0; i < HOOK_FNS_MAX && hooks[h].fns[i]; i++) {
			__u16 fn = hooks[h].fns[i];
			uint64_t ip = ksyms__addr(ks, fn_name(fn));

			if (r->hooks[h].fn_state[i] != FN_PRESENT)
				continue;
			if (!ip || bpf_map_update_elem(bpf_map__fd(p->skel->maps.fn_ips), &ip, &fn,
						       BPF_ANY)) {
				r->hooks[h].fn_state[i] = FN_FAILED;
				continue;
			}
			syms[n] = fn_name(fn);
			state[n++] = &r->hooks[h].fn_state[i];
		}
	}
	if (!n)
		return;
	LIBBPF_OPTS(bpf_kprobe_multi_opts, exit_opts, .syms = syms, .cnt = n, .retprobe = true);
	LIBBPF_OPTS(bpf_kprobe_multi_opts, enter_opts, .syms = syms, .cnt = n);
	/* the exit first, so no hit opens without its close in place */
	ok = !add_link(p, bpf_program__attach_kprobe_multi_opts(p->skel->progs.kprobe_multi_exit,
								NULL, &exit_opts)) &&
	     !add_link(p, bpf_program__attach_kprobe_multi_opts(p->skel->progs.kprobe_multi_enter,
								NULL, &enter_opts));
	if (!ok)
		vlog("failed to attach kprobe.multi to %zu functions: %s", n, strerror(errno));
	for (size_t i = 0; i < n; i++)
		*state[i] = ok ? FN_ATTACHED : FN_FAILED;
}

/* The cgroup hooks at the cgroup v2 root, where every process is below. */
static void attach_cgroup(struct probes *p)
{
	struct probe_report *r = &p->report;
	int root = -1, opened = 0;
	char why[160] = "";

	for (int h = 0; h < HOOK_MAX; h++) {
		struct hook_report *hr = &r->hooks[h];

		if (!p->hook_on[h])
			continue;
		for (int i = 0; i < HOOK_CGS_MAX && hooks[h].cgs[i]; i++) {
			struct bpf_program *prog = cg_prog(p, hooks[h].cgs[i]);
			int ok;

			if (hr->cg_state[i] != FN_PRESENT)
				continue;
			if (!opened++ && (root = cgroup_root_open(why, sizeof(why))) < 0)
				vlog("cgroup socket hooks not attached: %s", why);
			ok = root >= 0 && prog &&
			     !add_link(p, bpf_program__attach_cgroup(prog, root));
			hr->cg_state[i] = ok ? FN_ATTACHED : FN_FAILED;
		}
	}
	if (root >= 0)
		close(root);
}

/* A path program that fails to attach costs its hook that function, not the trace. */
static void attach_path(struct probes *p)
{
	struct probe_report *r = &p->report;
	struct bpf_program *a, *b, *prog;
	enum fn_state tp_done[NT_FN_MAX] = {}; /* hooks share tracepoints: attach each once */

	if (r->kprobe_multi)
		attach_kprobe_multi(p);
	for (int h = 0; h < HOOK_MAX; h++) {
		const struct hook *hk = &hooks[h];
		struct hook_report *hr = &r->hooks[h];

		if (!p->hook_on[h])
			continue;
		for (int i = 0; i < HOOK_FNS_MAX && hk->fns[i]; i++) {
			if (hr->fn_state[i] != FN_PRESENT ||
			    (hr->chosen == MECH_KPROBE && r->kprobe_multi))
				continue;
			fn_progs(p, hk->fns[i], hr->chosen, &a, &b);
			/* the exit first, so no hit opens without its close in place */
			hr->fn_state[i] = a && b && !attach_prog(p, b) && !attach_prog(p, a)
						  ? FN_ATTACHED
						  : FN_FAILED;
		}
		for (int i = 0; i < HOOK_TPS_MAX && hk->tps[i]; i++) {
			if (hr->tp_state[i] != FN_PRESENT)
				continue;
			if (!tp_done[hk->tps[i]]) {
				prog = tp_prog(p, hk->tps[i]);
				tp_done[hk->tps[i]] =
					prog && !attach_prog(p, prog) ? FN_ATTACHED : FN_FAILED;
			}
			hr->tp_state[i] = tp_done[hk->tps[i]];
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(every_mech_tps); i++) {
		prog = tp_prog(p, every_mech_tps[i]);
		if (!tp_done[every_mech_tps[i]] && bpf_program__autoload(prog))
			attach_prog(p, prog);
	}
	attach_cgroup(p);
}

static int attach_uring(struct probes *p)
{
	struct bpf_program *prog;
	int ret;

	if (!p->report.uring)
		return 0;
	bpf_object__for_each_program(prog, p->skel->obj)
	{
		if (!is_uring_prog(prog) || !bpf_program__autoload(prog))
			continue;
		ret = attach_prog_to(
			p, prog, prog == p->skel->progs.uring_submit ? p->uring_submit_tp : NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The kernel's own BTF: copied out by the bpf syscall in one piece, where
 * sysfs hands it over a page per read (1,350 reads, a third of the parse).
 */
static struct btf *vmlinux_btf(void)
{
	struct bpf_btf_info info = {};
	__u32 len = sizeof(info), id = 0;
	char name[16] = "";
	int fd;

	/* the kernel registers its own first, before any module's */
	if (!bpf_btf_get_next_id(0, &id) && (fd = bpf_btf_get_fd_by_id(id)) >= 0) {
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.kernel_btf ||
		    strcmp(name, "vmlinux"))
			id = 0;
		close(fd);
		if (id) {
			struct btf *b = btf__load_from_kernel_by_id(id);

			if (b)
				return b;
		}
	}
	return btf__load_vmlinux_btf();
}

struct detect_job {
	struct probes *p;
	struct kernel_features feat;
	/* the object's own BTF, once libbpf has opened it: the CO-RE copy needs its names */
	pthread_mutex_t lock;
	pthread_cond_t opened_cond;
	int opened;
	const struct btf *local;
	int core_fd; /* where the CO-RE BTF goes (a memfd), -1: libbpf reads the kernel's */
};

static const struct btf *wait_opened(struct detect_job *job)
{
	pthread_mutex_lock(&job->lock);
	while (!job->opened)
		pthread_cond_wait(&job->opened_cond, &job->lock);
	pthread_mutex_unlock(&job->lock);
	return job->local;
}

static void set_opened(struct detect_job *job, const struct btf *local)
{
	pthread_mutex_lock(&job->lock);
	job->local = local;
	job->opened = 1;
	pthread_cond_signal(&job->opened_cond);
	pthread_mutex_unlock(&job->lock);
}

/* The types libbpf relocates, for its btf_custom_path; the whole kernel BTF if the copy fails. */
static void write_core_btf(int fd, const struct btf *vmlinux, const struct btf *local)
{
	struct btf *core = core_btf_new(vmlinux, local);
	__u32 size = 0;
	const char *data = btf__raw_data(core ? core : vmlinux, &size);

	if (!core)
		vlog("no small BTF for CO-RE (%s): libbpf searches the kernel's", strerror(errno));
	while (data && size) {
		ssize_t n = write(fd, data, size);

		if (n <= 0)
			break;
		data += n;
		size -= n;
	}
	btf__free(core);
}

static void *detect(void *arg)
{
	struct detect_job *job = arg;
	struct btf *vmlinux = vmlinux_btf();
	const struct btf *local;

	features_detect(&job->feat, vmlinux, ksyms_of, job->p);
	local = wait_opened(job);
	if (local && job->core_fd >= 0)
		write_core_btf(job->core_fd, vmlinux, local);
	btf__free(vmlinux); /* megabytes, needed for nothing else */
	return NULL;
}

/*
 * Calls count in the set of counters `counts` holds.  Putting another there
 * returns once every program that could be adding to the old one has ended
 * (the kernel waits for them on an update of a map of maps): the old set can
 * then be read whole, no call lost between its read and its zeroing.
 */
static int counts_swap(struct probes *p, struct bpf_map *next)
{
	uint32_t zero = 0;
	int fd = bpf_map__fd(next);

	return bpf_map_update_elem(bpf_map__fd(p->skel->maps.counts), &zero, &fd, BPF_ANY) ? -errno
											   : 0;
}

/* the files a trace holds open, with room (91 measured with every hook and -C) */
#define PROBES_FILES 128

static void *load_ksyms(void *ctx)
{
	struct probes *p = ctx;

	p->ksyms = ksyms__load();
	p->ksyms_errno = p->ksyms ? 0 : errno;
	return NULL;
}

/*
 * In a thread of their own: the first call is not shown ~60 ms late, when
 * a short command's /proc/PID/maps may be gone, and -u names none of it.
 */
static void preload_ksyms(struct probes *p)
{
	p->ksyms_loading = !pthread_create(&p->ksyms_loader, NULL, load_ksyms, p);
}

struct probes *probes__new(const struct probe_opts *o)
{
	struct probes *p = calloc(1, sizeof(*p));
	struct detect_job job = {.p = p,
				 .lock = PTHREAD_MUTEX_INITIALIZER,
				 .opened_cond = PTHREAD_COND_INITIALIZER,
				 .core_fd = -1};
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct kernel_features *feat = &job.feat;
	struct bpf_program *prog;
	char core_path[64];
	pthread_t detecting;
	int threaded;
	char why[256];
	int ret = 0, counts_shape = -1;
	unsigned long limit;

	if (!p)
		return NULL;
	/*
	 * A map, a program and a link are a file each: found short half-way
	 * through the load, that would read as a load or attach failure.
	 */
	if ((limit = nofile_raise()) < PROBES_FILES) {
		err("a trace keeps about %d files open (its BPF maps, programs and links), "
		    "and ulimit -n allows %lu: raise it, e.g. ulimit -n 1024",
		    PROBES_FILES, limit);
		free(p);
		errno = EMFILE;
		return NULL;
	}
	libbpf_set_print(libbpf_print);
	job.core_fd = memfd_create("socktrace-core-btf", MFD_CLOEXEC);
	if (job.core_fd >= 0) {
		snprintf(core_path, sizeof(core_path), "/proc/self/fd/%d", job.core_fd);
		open_opts.btf_custom_path = core_path;
	}

	/*
	 * What the kernel offers is found, and the small BTF for CO-RE
	 * (core_btf.c) copied from the kernel's, while libbpf opens the object
	 * and reads the kernel's BTF for itself: the two sides need each other
	 * only once the plan picks the programs to load.
	 */
	threaded = !pthread_create(&detecting, NULL, detect, &job);
	p->skel = socktrace_bpf__open_opts(&open_opts);
	ret = p->skel ? 0 : -errno;
	/*
	 * libbpf reads the kernel's BTF again for itself (attach targets) at
	 * the first attach target it resolves: naming the syscall exit's own
	 * target makes that happen now, beside the detection's read.  libbpf
	 * 1.1 frees that copy at load only, so not when a forced mechanism
	 * the kernel may refuse could end this before the load.
	 */
	if (!ret && o->mechanism != MECH_FENTRY && o->mechanism != MECH_KPROBE)
		bpf_program__set_attach_target(p->skel->progs.tp_btf_sys_exit, 0, "sys_exit");
	set_opened(&job, p->skel ? bpf_object__btf(p->skel->obj) : NULL);
	if (threaded)
		pthread_join(detecting, NULL);
	else
		detect(&job);
	if (ret) {
		err("failed to open the BPF object: %s", strerror(-ret));
		goto cleanup;
	}
	ret = plan_hooks(feat, o->mechanism, &p->report, why, sizeof(why));
	if (ret) {
		err("%s", why);
		goto cleanup;
	}
	/* paths from tracepoints are kernel stacks, to be named: read while the programs load */
	for (int h = 0; h < HOOK_MAX && !o->count; h++)
		if (o->kstack || p->report.hooks[h].chosen == MECH_TRACEPOINT) {
			preload_ksyms(p);
			break;
		}
	p->skel->rodata->targ_follow = o->follow;
	/* --by conn: a close ends its row, shown or not (the table's rows are
	 * keyed by a socket's address, which the next socket may get) */
	p->skel->rodata->targ_close_uncounted = o->conns && !o->sys_on[NT_SYS_CLOSE];
	for (size_t i = 0; i < sys_table_len; i++)
		if ((o->sys_on[sys_table[i].id] ||
		     (sys_table[i].id == NT_SYS_CLOSE && p->skel->rodata->targ_close_uncounted)) &&
		    sys_table[i].nr >= 0 && sys_table[i].nr < NT_NR_MAX)
			p->skel->rodata->targ_sys_id[sys_table[i].nr] = sys_table[i].id;
	ret = bpf_map__set_max_entries(p->skel->maps.events, o->buffer_bytes);
	if (ret) {
		err("failed to size the ring buffer to %u bytes: %s", o->buffer_bytes,
		    strerror(-ret));
		goto cleanup;
	}
	/* wake the reader early once half the ring is waiting */
	p->skel->rodata->targ_wakeup_bytes = o->buffer_bytes / 2;
	if (!o->count)
		apply_plan(p, feat, o);
	else
		bpf_object__for_each_program(
			prog, p->skel->obj) if (is_path_prog(bpf_program__name(prog)))
			bpf_program__set_autoload(prog, false);
	p->skel->rodata->targ_count = o->count;
	p->skel->rodata->targ_ustack = o->ustack;
	p->skel->rodata->targ_payload = o->payload;
	p->skel->rodata->targ_conns = o->conns;
	p->skel->rodata->targ_status = o->status;
	p->skel->rodata->targ_min_dur_ns = o->min_dur_ns;
	for (int i = 0; i < o->nports && i < NT_PORTS_MAX; i++)
		p->skel->rodata->targ_ports[i] = o->ports[i];
	p->skel->rodata->targ_nports = o->nports;
	/* an LRU map is built whole at load: kept small unless --by conn fills it */
	if (!o->conns)
		bpf_map__set_max_entries(p->skel->maps.conns, 64);
	plan_uring(p, feat, o->uring);
	if (!o->count) { /* the counters are per CPU: none kept for nothing */
		bpf_map__set_max_entries(p->skel->maps.counts_a, 1);
		bpf_map__set_max_entries(p->skel->maps.counts_b, 1);
	}
	counts_shape = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, NULL, sizeof(uint32_t),
				      sizeof(struct nt_count),
				      bpf_map__max_entries(p->skel->maps.counts_a), NULL);
	if (counts_shape < 0 ||
	    (ret = bpf_map__set_inner_map_fd(p->skel->maps.counts, counts_shape))) {
		ret = counts_shape < 0 ? -errno : ret;
		err("failed to create the counters: %s", strerror(-ret));
		goto cleanup;
	}

	ret = socktrace_bpf__load(p->skel);
	close(counts_shape); /* the kernel has taken the shape */
	counts_shape = -1;
	close(job.core_fd); /* libbpf has read it */
	job.core_fd = -1;
	if (ret) {
		err("failed to load the BPF programs: %s (run with -vv for the verifier log)",
		    strerror(-ret));
		goto cleanup;
	}
	if ((ret = counts_swap(p, p->skel->maps.counts_a))) {
		err("failed to set up the counters: %s", strerror(-ret));
		goto cleanup;
	}
	for (int i = 0; i < o->ntgids; i++)
		if ((ret = probes__trace_pid(p, o->tgids[i], 1))) {
			err("failed to add pid %u to the traced set: %s", o->tgids[i],
			    strerror(-ret));
			goto cleanup;
		}

	ret = add_link(p, bpf_program__attach(p->skel->progs.tp_sched_process_fork));
	if (!ret)
		ret = add_link(p, bpf_program__attach(p->skel->progs.tp_sched_process_exec));
	if (!ret)
		ret = add_link(p, bpf_program__attach(p->skel->progs.tp_sched_process_exit));
	if (ret) {
		err("failed to attach the process-tracking programs: %s", strerror(-ret));
		goto cleanup;
	}
	if (!o->count)
		attach_path(p);
	ret = attach_uring(p);
	if (ret) {
		err("failed to attach to the io_uring tracepoints: %s", strerror(-ret));
		goto cleanup;
	}
	/* last, so a call's exit is never seen without its enter having been possible */
	ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sys_exit));
	if (!ret)
		ret = add_link(p, bpf_program__attach(p->skel->progs.tp_btf_sys_enter));
	if (ret) {
		err("failed to attach to the raw syscall tracepoints: %s", strerror(-ret));
		goto cleanup;
	}
	return p;
cleanup:
	if (job.core_fd >= 0)
		close(job.core_fd);
	if (counts_shape >= 0)
		close(counts_shape);
	probes__free(p);
	errno = -ret;
	return NULL;
}

static void destroy_links(struct probes *p)
{
	for (int i = p->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(p->links[i]);
	p->nlinks = 0;
}

void probes__free(struct probes *p)
{
	if (!p)
		return;
	destroy_links(p);
	socktrace_bpf__destroy(p->skel);
	if (p->ksyms_loading)
		pthread_join(p->ksyms_loader, NULL);
	ksyms__free(p->ksyms);
	free(p->stack_cache);
	free(p->stack_len);
	free(p);
}

void probes__detach(struct probes *p)
{
	if (p)
		destroy_links(p);
}

/* Entries a syscall: the sequence view looks at them all before each drain. */
#define INFLIGHT_BATCH 64

/*
 * The entries by batches, where the kernel takes them (5.6 on): 1 if all
 * were seen, 0 if none was (no batches here: one by one, then), -1 if some
 * were and the rest cannot be.
 */
static int inflight_batches(const struct bpf_map *map,
			    void (*fn)(void *ctx, uint32_t tid, const struct inflight *in),
			    void *ctx, int *n)
{
	__u32 cap = INFLIGHT_BATCH, count, next, *keys = NULL;
	struct inflight *vals = NULL;
	void *from = NULL;
	int e, ret;

	for (;;) {
		if (!keys && (!(keys = calloc(cap, sizeof(*keys))) ||
			      !(vals = calloc(cap, sizeof(*vals))))) {
			ret = from ? -1 : 0;
			break;
		}
		count = cap;
		e = bpf_map_lookup_batch(bpf_map__fd(map), from, &next, keys, vals, &count, NULL);
		if (e && errno == ENOSPC && cap < bpf_map__max_entries(map)) {
			/* a bucket holds more than fit: the same batch again, larger */
			free(keys);
			free(vals);
			keys = NULL;
			vals = NULL;
			cap *= 4;
			continue;
		}
		if (e && errno != ENOENT) {
			ret = from ? -1 : 0;
			break;
		}
		for (__u32 i = 0; i < count; i++)
			if (vals[i].active) {
				fn(ctx, keys[i], &vals[i]);
				(*n)++;
			}
		if (e) {
			ret = 1;
			break;
		}
		from = &next;
	}
	free(keys);
	free(vals);
	return ret;
}

int probes__inflight(const struct probes *p,
		     void (*fn)(void *ctx, uint32_t tid, const struct inflight *in), void *ctx)
{
	int fd = bpf_map__fd(p->skel->maps.inflight), n = 0;
	__u32 key, next, *prev = NULL;
	struct inflight in;

	if (inflight_batches(p->skel->maps.inflight, fn, ctx, &n))
		return n;
	/* or one by one: this kernel takes no batches */
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (!bpf_map_lookup_elem(fd, &next, &in) && in.active) {
			fn(ctx, next, &in);
			n++;
		}
		key = next;
		prev = &key;
	}
	return n;
}

int probes__seed_inflight(const struct probes *p, uint32_t tgid, uint32_t tid, long nr,
			  const uint64_t args[6], uint64_t now_ns)
{
	struct inflight in = {0};

	/* a close is traced only on a socket, read before it goes: too late for that */
	if (nr < 0 || nr >= NT_NR_MAX || !p->skel->rodata->targ_sys_id[nr] ||
	    p->skel->rodata->targ_sys_id[nr] == NT_SYS_CLOSE)
		return -1;
	in.nr = nr;
	in.sys = p->skel->rodata->targ_sys_id[nr];
	in.tgid = tgid;
	/* what a call's entry reads is gone; an address is bounded by the largest */
	switch (in.sys) {
	case NT_SYS_ACCEPT:
	case NT_SYS_ACCEPT4:
	case NT_SYS_RECVFROM:
	case NT_SYS_GETSOCKNAME:
	case NT_SYS_GETPEERNAME:
	case NT_SYS_RECVMSG:
		in.enter_val = sizeof(struct sockaddr_storage);
		break;
	case NT_SYS_RECVMMSG:
		for (int i = 0; i < NT_MMSG_MAX; i++)
			in.mmsg_namelen[i] = sizeof(struct sockaddr_storage);
		in.enter_val = NT_ENTER_UNSEEN;
		break;
	default:
		in.enter_val = NT_ENTER_UNSEEN;
	}
	in.flags = NT_F_BEFORE_TRACE;
	memcpy(in.args, args, sizeof(in.args));
	in.p.ts = now_ns;
	in.active = 1;
	/* not over an entry the thread made itself meanwhile */
	if (bpf_map_update_elem(bpf_map__fd(p->skel->maps.inflight), &tid, &in, BPF_NOEXIST))
		return -1;
	return 0;
}

void probes__set_start(struct probes *p, uint64_t ns)
{
	__atomic_store_n(&p->skel->bss->nt_start_ns, ns, __ATOMIC_RELAXED);
}

int probes__ringbuf_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.events);
}

uint64_t probes__lost(const struct probes *p)
{
	return __atomic_load_n(&p->skel->bss->nt_lost, __ATOMIC_RELAXED);
}

int probes__stats(const struct probes *p, uint64_t out[NT_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus(), fd = bpf_map__fd(p->skel->maps.stats);
	uint64_t *vals;

	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < NT_STAT_MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
	return 0;
}

int probes__counts(struct probes *p, struct nt_count *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct bpf_map *was = p->counts_b_now ? p->skel->maps.counts_b : p->skel->maps.counts_a;
	struct bpf_map *next = p->counts_b_now ? p->skel->maps.counts_a : p->skel->maps.counts_b;
	struct nt_count *vals, *zero;
	int fd = bpf_map__fd(was), ret;

	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	zero = calloc(ncpu, sizeof(*zero));
	if (!vals || !zero) {
		free(vals);
		free(zero);
		return -ENOMEM;
	}
	if ((ret = counts_swap(p, next)))
		goto out;
	p->counts_b_now = !p->counts_b_now;
	for (uint32_t k = 0; k < NT_COUNT_SLOTS; k++) {
		memset(&out[k], 0, sizeof(out[k]));
		if (bpf_map_lookup_elem(fd, &k, vals) || !memcmp(vals, zero, ncpu * sizeof(*vals)))
			continue;
		/* zeroed for its next turn */
		bpf_map_update_elem(fd, &k, zero, BPF_ANY);
		for (int c = 0; c < ncpu; c++) {
			const struct nt_count *v = &vals[c];

			out[k].calls += v->calls;
			out[k].errors += v->errors;
			out[k].ns += v->ns;
			out[k].bytes += v->bytes;
			if (v->max_ns > out[k].max_ns)
				out[k].max_ns = v->max_ns;
			for (int b = 0; b < NT_HIST_BUCKETS; b++)
				out[k].hist[b] += v->hist[b];
			for (int e = 0; e < NT_ERRNO_SLOTS; e++)
				out[k].errnos[e] += v->errnos[e];
		}
	}
out:
	free(vals);
	free(zero);
	return ret;
}

int probes__conns(const struct probes *p, struct nt_conn **out)
{
	int fd = bpf_map__fd(p->skel->maps.conns), n = 0, cap = 64;
	__u64 key, next, *prev = NULL;
	struct nt_conn *v = malloc(cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		if (n == cap) {
			struct nt_conn *grown = realloc(v, 2 * cap * sizeof(*v));

			if (!grown)
				break;
			v = grown;
			cap *= 2;
		}
		if (!bpf_map_lookup_elem(fd, &next, &v[n]))
			n++;
		key = next;
		prev = &key;
	}
	*out = v;
	return n;
}

int probes__trace_pid(const struct probes *p, uint32_t pid, int on)
{
	int fd = bpf_map__fd(p->skel->maps.tgids);
	uint32_t traced = NT_TGID_TRACED;

	if (on) {
		/* the quick "not traced" answer must not be given for pid from here on */
		p->skel->bss->nt_maybe_traced[pid % NT_TGID_SLOTS] = 1;
		return bpf_map_update_elem(fd, &pid, &traced, BPF_ANY) ? -errno : 0;
	}
	return bpf_map_delete_elem(fd, &pid) && errno != ENOENT ? -errno : 0;
}

const struct probe_report *probes__report(const struct probes *p)
{
	return &p->report;
}

/* Loaded on first need (about 60 ms for 120k symbols, most of it the
 * kernel writing /proc/kallsyms): a trace whose mechanisms need no names
 * never pays for it. */
static const struct ksyms *ksyms_of(void *ctx)
{
	struct probes *p = ctx;

	if (p->ksyms_tried)
		return p->ksyms;
	p->ksyms_tried = 1;
	if (p->ksyms_loading) {
		pthread_join(p->ksyms_loader, NULL);
		p->ksyms_loading = 0;
	} else {
		load_ksyms(p);
	}
	if (!p->ksyms)
		vlog("cannot read kernel symbols from /proc/kallsyms: %s: stacks stay unnamed",
		     strerror(p->ksyms_errno));
	return p->ksyms;
}

const struct ksyms *probes__ksyms(void *p)
{
	return ksyms_of(p);
}

int probes__stack(void *ctx, int id, uint64_t *frames, int max)
{
	struct probes *p = ctx;
	uint32_t key = id;
	int n = 0;

	if (id < 0 || id >= STACK_IDS)
		return -EINVAL;
	if (!p->stack_cache) {
		p->stack_cache = calloc(STACK_IDS, sizeof(*p->stack_cache));
		p->stack_len = calloc(STACK_IDS, sizeof(*p->stack_len));
		if (!p->stack_cache || !p->stack_len)
			return -ENOMEM;
	}
	if (!p->stack_len[id]) {
		if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.stacks), &key,
					p->stack_cache[id]))
			return -errno;
		while (n < NT_STACK_DEPTH && p->stack_cache[id][n])
			n++;
		p->stack_len[id] = n;
	}
	n = p->stack_len[id] < max ? p->stack_len[id] : max;
	memcpy(frames, p->stack_cache[id], n * sizeof(*frames));
	return n;
}
