// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Known nested functions that make socket calls, for -u:
 *   main -> serve_one -> handle_client -> reply -> send    (handle_client is static)
 *   main -> serve_one -> open_socket -> socket
 *   main -> serve_one -> lib_reply -> sendmsg              (libustack-lib.so, linked)
 *   main -> serve_one -> plugin_reply -> recv              (the library argv[1], dlopened)
 * Built several ways (see the Makefile): PIE and not, with frame pointers and
 * without.  The plugin is opened after the first calls, so socktrace has
 * read the mappings before it appears; the program waits half a second before
 * exiting, so its mappings are still there when its frames are named (by a
 * sanitizer build of socktrace too, slow to load the kernel's symbols).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int lib_reply(int fd);

__attribute__((noinline)) int open_socket(void);
__attribute__((noinline)) int reply(int fd);
__attribute__((noinline)) int serve_one(const char *plugin);

__attribute__((noinline)) int open_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	__asm__ volatile("" ::: "memory"); /* keep the frame: not a tail call */
	return fd;
}

__attribute__((noinline)) int reply(int fd)
{
	int n = send(fd, "pong", 4, 0); /* the send line */

	__asm__ volatile("" ::: "memory");
	return n;
}

/* static: in .symtab (and a debug file), never in .dynsym */
__attribute__((noinline)) static int handle_client(int fd)
{
	int n = reply(fd);

	__asm__ volatile("" ::: "memory");
	return n;
}

static int call_plugin(const char *plugin, int fd)
{
	void *h = dlopen(plugin, RTLD_NOW);
	int (*plugin_reply)(int) = h ? (int (*)(int))dlsym(h, "plugin_reply") : NULL;

	if (!plugin_reply) {
		fprintf(stderr, "ustack: %s\n", dlerror());
		return -1;
	}
	return plugin_reply(fd);
}

__attribute__((noinline)) int serve_one(const char *plugin)
{
	int sv[2], n;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	n = handle_client(sv[0]);
	close(open_socket());
	n += lib_reply(sv[0]);
	if (plugin) {
		usleep(100000); /* the tracer names the first calls' frames meanwhile */
		n += call_plugin(plugin, sv[1]);
	}
	__asm__ volatile("" ::: "memory");
	close(sv[0]);
	close(sv[1]);
	return n;
}

int main(int argc, char **argv)
{
	int n = serve_one(argc > 1 ? argv[1] : NULL);

	usleep(500000);
	return n == (argc > 1 ? 16 : 8) ? 0 : 1;
}
