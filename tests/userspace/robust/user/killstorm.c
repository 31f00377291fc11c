/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kill storm: victims busy in every kind of kernel work are killed at random moments, and
 * every kill must land. A victim spins in user mode, sleeps, blocks on a pipe (reading an
 * empty one or writing a full one), waits for a child, forks and reaps in a loop, execs
 * itself in a loop, or maps, writes and unmaps memory (COW faults included); it never ends
 * on its own. VICTIMS of them run at once; the killer sends SIGKILL or SIGTERM to one after
 * a random delay and waits for it: a lost kill hangs here until the runner's timeout, a
 * wrong wait status is a failure. At the end every orphan is reaped and every page must be
 * back. The seed is printed and can be set with KILLSTORM_SEED.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <inox/check.h>

#ifndef KILLSTORM_KILLS
#define KILLSTORM_KILLS 600
#endif
#ifndef KILLSTORM_SEED
#define KILLSTORM_SEED 0x6b111ed
#endif
#define VICTIMS   4
#define EXEC_LOOP "exec-loop"

enum activity {
	SPIN,
	SLEEP,
	PIPE_READ,
	PIPE_WRITE,
	WAIT_CHILD,
	FORK_LOOP,
	EXEC_LOOP_ACT,
	MEMORY,
	ACTIVITIES
};

static const char *const names[ACTIVITIES] = {
	"spin", "sleep", "pipe read", "pipe write", "wait", "fork loop", "exec loop", "memory",
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	return xorshift64s(&rng_state);
}

/* A buffer that COW faults break: written by the victims after fork. */
static char shared_data[16 * 4096];

static _Noreturn void run_activity(enum activity what, int pipe_fds[2], char *self)
{
	static const struct timespec long_sleep = {.tv_sec = 1000};
	char buf[512];

	switch (what) {
	case SPIN:
		for (;;) {
		}
	case SLEEP:
		for (;;) {
			nanosleep(&long_sleep, NULL);
		}
	case PIPE_READ:
		/* The killer holds the write end open and never writes. */
		for (;;) {
			read(pipe_fds[0], buf, sizeof(buf));
		}
	case PIPE_WRITE: {
		int fds[2];

		/* A pipe of its own that nobody reads: the writes fill it, then block. */
		if (pipe(fds) != 0) {
			_exit(100);
		}
		memset(buf, 'k', sizeof(buf));
		for (;;) {
			write(fds[1], buf, sizeof(buf));
		}
	}
	case WAIT_CHILD:
		/* Mostly blocked in waitpid(). A child left behind by the kill is init's (the
		 * killer's) then, and ends on its own soon after. */
		for (;;) {
			if (fork() == 0) {
				usleep(3000);
				_exit(0);
			}
			waitpid(-1, NULL, 0);
		}
	case FORK_LOOP:
		for (;;) {
			pid_t pid = fork();

			if (pid == 0) {
				shared_data[0]++;
				_exit(0);
			}
			if (pid > 0) {
				waitpid(pid, NULL, 0);
			}
		}
	case EXEC_LOOP_ACT:
		execv(self, (char *[]){self, EXEC_LOOP, NULL});
		_exit(101);
	case MEMORY:
		for (unsigned int i = 0;; i++) {
			char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			shared_data[(i * 4096) % sizeof(shared_data)] = (char)i;
			if (p != MAP_FAILED) {
				memset(p, (int)i, 8 * 4096);
				munmap(p, 8 * 4096);
			}
		}
	default:
		_exit(102);
	}
}

struct victim {
	pid_t pid;
	enum activity what;
};

static int pipe_fds[2];
static unsigned int kills[ACTIVITIES];
static unsigned int refused;

/* Starts a victim in slot v; false (slot left empty) when fork() finds the process table
 * full. That is not a failure: as a load of the latency benchmark, whose init reaps the
 * victims' orphans only between phases, the table can fill. Any other error is. */
static bool start(struct victim *v, char *self)
{
	fflush(stdout);
	v->what = (enum activity)(rng() % ACTIVITIES);
	v->pid = fork();
	if (v->pid == 0) {
		run_activity(v->what, pipe_fds, self);
	}
	if (v->pid < 0) {
		CHECK(errno == EAGAIN);
		refused++;
		v->pid = 0;
		return false;
	}
	return true;
}

/* A live victim, from a random slot on; NULL if every slot is empty. */
static struct victim *pick(struct victim *victims)
{
	unsigned int first = rng() % VICTIMS;

	for (unsigned int i = 0; i < VICTIMS; i++) {
		struct victim *v = &victims[(first + i) % VICTIMS];

		if (v->pid > 0) {
			return v;
		}
	}
	return NULL;
}

/* Kills v after a random delay (none, a short spin, or a short sleep) and reaps it. */
static void kill_and_reap(struct victim *v)
{
	int sig = (rng() & 1) ? SIGKILL : SIGTERM;
	uint64_t r = rng();
	int status;

	/* Short spins land in a new victim's way into its activity, where kills were lost. */
	switch (r % 4) {
	case 0:
		break;
	case 1:
		for (volatile uint64_t spin = 0; spin < (r >> 8) % 2000; spin++) {
		}
		break;
	case 2:
		for (volatile uint64_t spin = 0; spin < (r >> 8) % 20000; spin++) {
		}
		break;
	default:
		usleep((r >> 8) % 2000);
	}
	CHECK(kill(v->pid, sig) == 0);
	status = wait_status(v->pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig) {
		printf("FAIL victim %d (%s): wait status 0x%x, killed with %d\n", (int)v->pid,
		       names[v->what], status, sig);
		failures++;
	}
	kills[v->what]++;
}

int main(int argc, char **argv)
{
	struct victim victims[VICTIMS];
	uint64_t before;
	int orphans = 0;

	if (argc > 1 && strcmp(argv[1], EXEC_LOOP) == 0) {
		/* A victim of the exec loop: exec again, forever. */
		execv(argv[0], argv);
		return 103;
	}
	rng_state = KILLSTORM_SEED;
	printf("killstorm: seed 0x%llx, %d kills, %d victims at once\n",
	       (unsigned long long)KILLSTORM_SEED, KILLSTORM_KILLS, VICTIMS);
	CHECK(pipe(pipe_fds) == 0);
	before = free_pages();
	for (int i = 0; i < VICTIMS; i++) {
		start(&victims[i], argv[0]);
	}
	/*
	 * Each kill but the last VICTIMS ones starts a new victim in the slot. Half the kills go
	 * to the newest victim, which may not have reached its activity yet; the others to any.
	 */
	struct victim *newest = NULL;

	for (int n = 0; n < KILLSTORM_KILLS; n++) {
		struct victim *v = newest;

		if (v == NULL || (rng() & 1)) {
			v = pick(victims);
		}
		if (v != NULL) {
			kill_and_reap(v);
			v->pid = 0;
		} else {
			/* Every start was refused: try a slot again after a breath. */
			v = &victims[0];
			usleep(1000);
		}
		newest = NULL;
		if (n + VICTIMS < KILLSTORM_KILLS && start(v, argv[0])) {
			newest = v;
		}
	}
	/* What the victims left behind is init's now, and ends on its own. */
	while (waitpid(-1, NULL, 0) > 0) {
		orphans++;
	}
	CHECK(errno == ECHILD);
	for (int i = 0; i < ACTIVITIES; i++) {
		printf("killstorm: %-10s %u kills\n", names[i], kills[i]);
	}
	if (refused != 0) {
		printf("killstorm: %u forks refused (process table full)\n", refused);
	}
	printf("killstorm: %d orphans reaped; free pages %llu before, %llu after\n", orphans,
	       (unsigned long long)before, (unsigned long long)free_pages());
	CHECK(free_pages() == before);
	printf("killstorm: 0 lost kills, %d failures\n", failures);
	return failures == 0 ? 0 : 1;
}
