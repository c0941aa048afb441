// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `sleepers N NAME`: N processes named NAME that sleep until this one is
 * gone (killed, or after a minute), for attach's limit on the processes it
 * takes at once.  A shell starts a thousand sleeps in 10 s here, this in a
 * fraction of one.  Prints "ready" once every one has its name.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int named[2], n = argc == 3 ? atoi(argv[1]) : 0;
	pid_t parent = getpid();
	char c;

	if (n <= 0 || pipe(named)) {
		fprintf(stderr, "usage: sleepers N NAME\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("sleepers: fork");
			return 1;
		}
		if (pid == 0) {
			/* gone with the parent, even if it went before this line */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			prctl(PR_SET_NAME, argv[2]);
			if (write(named[1], "n", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
	}
	for (int i = 0; i < n; i++)
		if (read(named[0], &c, 1) != 1)
			return 1;
	printf("ready\n");
	fflush(stdout);
	alarm(60);
	pause();
	return 0;
}
