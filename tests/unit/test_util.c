// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/types.h>
#include "cli.h"
#include "util.h"
#include "unit.h"

static volatile sig_atomic_t terms;

static void on_term(int sig)
{
	(void)sig;
	terms++;
}

/*
 * A server that misses its first SIGTERM (it came between its look at the
 * flag and its wait): the second stops it, and its own exit status is kept.
 */
static void test_stop_server_child(void)
{
	int ready[2], status = 0;
	char c;
	pid_t pid;

	t_check(pipe(ready) == 0);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = {.sa_handler = on_term};

		sigaction(SIGTERM, &sa, NULL);
		(void)!write(ready[1], "r", 1);
		while (terms < 2)
			pause();
		_exit(3);
	}
	t_check(pid > 0 && read(ready[0], &c, 1) == 1);
	t_check(stop_server_child(pid, &status) == 0);
	t_check(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	test_stop_server_child();
	unsigned char on[NT_SYS_MAX];
	char bad[64];
	uint64_t ns;
	char buf[32];
	long v;

	t_check(parse_long("42", 0, 100, &v) == 0 && v == 42);
	t_check(parse_long("42x", 0, 100, &v) == -EINVAL);
	t_check(parse_long("", 0, 100, &v) == -EINVAL);
	t_check(parse_long("101", 0, 100, &v) == -ERANGE);
	t_check(parse_long("99999999999999999999", 0, 100, &v) == -ERANGE);
	t_check(parse_duration_ns("2", &ns) == 0 && ns == 2000000000ull);
	t_check(parse_duration_ns("0.5s", &ns) == 0 && ns == 500000000ull);
	t_check(parse_duration_ns("200ms", &ns) == 0 && ns == 200000000ull);
	t_check(parse_duration_ns("250us", &ns) == 0 && ns == 250000ull);
	t_check(parse_duration_ns("1.5µs", &ns) == 0 && ns == 1500ull);
	t_check(parse_duration_ns("1us2", &ns) == -EINVAL);
	t_check(parse_duration_ns("0", &ns) == -ERANGE);
	t_check(parse_duration_ns("-1", &ns) == -ERANGE);
	t_check(parse_duration_ns("nan", &ns) == -ERANGE);
	/* minutes and hours as timeout(1) takes them; days are too many */
	t_check(parse_duration_ns("2m", &ns) == 0 && ns == 120000000000ull);
	t_check(parse_duration_ns("1.5h", &ns) == 0 && ns == 5400000000000ull);
	t_check(parse_duration_ns("1d", &ns) == -EINVAL);
	t_check(parse_duration_ns("365d", &ns) == -EINVAL);
	t_check(parse_duration_ns("8761h", &ns) == -E2BIG);
	t_check(parse_duration_ns("8760h", &ns) == 0 && ns == 8760 * 3600e9);
	t_streq(fmt_dur(950, buf, sizeof(buf)), "950ns");
	t_streq(fmt_dur(8200, buf, sizeof(buf)), "8.2µs");
	t_streq(fmt_dur(1250000, buf, sizeof(buf)), "1.25ms");
	t_streq(fmt_dur(3000000000ull, buf, sizeof(buf)), "3.000s");
	/* rounded as printf's %.1f would (ties aside), without floating point */
	t_streq(fmt_dur(8249, buf, sizeof(buf)), "8.2µs");
	t_streq(fmt_dur(8251, buf, sizeof(buf)), "8.3µs");
	t_streq(fmt_dur(999999, buf, sizeof(buf)), "1000.0µs");
	t_streq(fmt_dur(1000, buf, sizeof(buf)), "1.0µs");
	t_streq(fmt_dur(60123456789ull, buf, sizeof(buf)), "60.123s");
	{
		char num[24], small[6];
		size_t o = 0;

		t_check(fmt_u64(num, 0) == 1 && !strcmp(num, "0"));
		t_check(fmt_u64(num, 18446744073709551615ull) == 20 &&
			!strcmp(num, "18446744073709551615"));
		t_check(fmt_i64(num, -9223372036854775807ll - 1) == 20 &&
			!strcmp(num, "-9223372036854775808"));
		t_check(fmt_i64(num, -42) == 3 && !strcmp(num, "-42"));
		/* every length, and the digits around each power of ten, as printf writes them */
		for (uint64_t p = 1, i = 0; i < 20; i++, p *= 10)
			for (uint64_t x = p > 3 ? p - 3 : 0; x < p + 3; x++) {
				char want[24];
				size_t n =
					snprintf(want, sizeof(want), "%llu", (unsigned long long)x);

				t_check(fmt_u64(num, x) == n && !strcmp(num, want));
			}
		for (uint64_t x = 1; x; x <<= 3) {
			char want[24];
			size_t n =
				snprintf(want, sizeof(want), "%#llx", (unsigned long long)(x - 1));

			t_check(fmt_x64(num, x - 1) == n && !strcmp(num, want));
		}
		/* arrows (three bytes, one column) at every offset of an eight-byte step */
		for (int at = 0; at < 20; at++) {
			char s[64];

			memset(s, 'a', 24);
			memcpy(s + at, "→", 3);
			s[24] = 0;
			t_check(utf8_width(s) == 22);
			s[at + 3] = 0;
			t_check(utf8_width(s) == at + 1);
		}
		buf_put_fixed(num, &o, sizeof(num), 1000001, 6);
		t_streq(num, "1.000001");
		o = 0;
		buf_put_fixed(num, &o, sizeof(num), 5, 6);
		t_streq(num, "0.000005");
		/* appends stop at the end, always terminated */
		o = 0;
		small[0] = 0;
		buf_put(small, &o, sizeof(small), "abc");
		buf_put(small, &o, sizeof(small), "defgh");
		t_streq(small, "abcde");
		t_check(o == 5);
	}
	{
		/* a traced program's names: terminal controls become '?', UTF-8 text stays */
		char name[] = "ev\x1b[2J\x7f\tx\xc2\x9b"
			      "1m\xc3\xa9\xe2\x86\x92\xc2";

		/* ... and the lead byte the kernel's 15-byte cut left alone goes */
		t_streq(printable(name), "ev?[2J??x??1m\xc3\xa9\xe2\x86\x92");
	}
	{
		char cut3[] = "ab\xe2\x86", cut4[] = "a\xf0\x9f\x98",
		     whole4[] = "a\xf0\x9f\x98\x80", only[] = "\xc3";

		t_streq(printable(cut3), "ab");
		t_streq(printable(cut4), "a");
		t_streq(printable(whole4), "a\xf0\x9f\x98\x80");
		t_streq(printable(only), "");
	}

	{
		long port;

		/* a number, or a name /etc/services gives */
		t_check(parse_port("8080", &port) == 0 && port == 8080);
		t_check(parse_port("http", &port) == 0 && port == 80);
		t_check(parse_port("www", &port) == 0 && port == 80); /* an alias */
		t_check(parse_port("clc-build-daemon", &port) == 0 && port == 8990);
		t_check(parse_port("65536", &port) != 0 && parse_port("0", &port) != 0);
		t_check(parse_port("no-such-service", &port) != 0 && parse_port("", &port) != 0);
	}

	uint32_t sz;

	t_check(cli_parse_size("64K", &sz) == 0 && sz == 65536);
	t_check(cli_parse_size("16M", &sz) == 0 && sz == 16u << 20);
	t_check(cli_parse_size("8192", &sz) == 0 && sz == 8192);
	t_check(cli_parse_size("4K", &sz) == -ERANGE);
	t_check(cli_parse_size("12K", &sz) == -ERANGE);
	t_check(cli_parse_size("2G", &sz) == -ERANGE);
	t_check(cli_parse_size("99999999999999999999", &sz) == -ERANGE);
	t_check(cli_parse_size("16MB", &sz) == -EINVAL);
	t_check(cli_parse_size("-8K", &sz) == -EINVAL);

	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("send,connect", on, NULL, 0) == 0);
	t_check(on[NT_SYS_SENDTO] && on[NT_SYS_WRITEV] && on[NT_SYS_CONNECT]);
	t_check(!on[NT_SYS_RECVFROM] && !on[NT_SYS_SOCKET]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("accept4", on, NULL, 0) == 0 && on[NT_SYS_ACCEPT4] &&
		!on[NT_SYS_ACCEPT]);
	t_check(cli_parse_calls("socket,nope", on, bad, sizeof(bad)) == -EINVAL &&
		!strcmp(bad, "nope"));
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls(",", on, bad, sizeof(bad)) == -EINVAL && !*bad);
	/* strace's syntax: trace=, a negated list, %network */
	t_check(cli_parse_calls("trace=connect", on, NULL, 0) == 0 && on[NT_SYS_CONNECT] &&
		!on[NT_SYS_SENDTO]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("!epoll,poll", on, NULL, 0) == 0);
	t_check(!on[NT_SYS_EPOLL_WAIT] && !on[NT_SYS_EPOLL_CTL] && !on[NT_SYS_POLL]);
	t_check(on[NT_SYS_SENDTO] && on[NT_SYS_SELECT] && on[NT_SYS_ACCEPT4]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("trace=!connect", on, NULL, 0) == 0 && !on[NT_SYS_CONNECT] &&
		on[NT_SYS_SOCKET]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("%network", on, NULL, 0) == 0 && on[NT_SYS_CONNECT] &&
		on[NT_SYS_EPOLL_WAIT]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("!all", on, bad, sizeof(bad)) == -EINVAL && !*bad);
	t_check(cli_parse_calls("!nope", on, bad, sizeof(bad)) == -EINVAL && !strcmp(bad, "nope"));
	/* strace's /REGEX (unanchored, POSIX extended) and ?NAME (no error if it names nothing) */
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("/^send", on, NULL, 0) == 0 && on[NT_SYS_SENDTO] &&
		on[NT_SYS_SENDMSG] && on[NT_SYS_SENDMMSG] && on[NT_SYS_SENDFILE] &&
		!on[NT_SYS_RECVFROM] && !on[NT_SYS_WRITE]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("trace=/mmsg$|^acc", on, NULL, 0) == 0 && on[NT_SYS_SENDMMSG] &&
		on[NT_SYS_RECVMMSG] && on[NT_SYS_ACCEPT] && on[NT_SYS_ACCEPT4] &&
		!on[NT_SYS_SENDMSG]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("!/^(send|recv)", on, NULL, 0) == 0 && !on[NT_SYS_SENDTO] &&
		!on[NT_SYS_RECVMSG] && on[NT_SYS_CONNECT] && on[NT_SYS_WRITE]);
	t_check(cli_parse_calls("/(", on, bad, sizeof(bad)) == -EBADMSG && !strcmp(bad, "/("));
	t_check(cli_parse_calls("connect,/zzz", on, bad, sizeof(bad)) == -ENOENT &&
		!strcmp(bad, "/zzz"));
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("?nope,?/zzz,connect", on, bad, sizeof(bad)) == 0 && !*bad &&
		on[NT_SYS_CONNECT] && !on[NT_SYS_SENDTO]);
	memset(on, 0, sizeof(on));
	t_check(cli_parse_calls("?nope", on, bad, sizeof(bad)) == -EINVAL && !*bad);
	return t_done();
}
