/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cyclictest: wake-up latency of a periodic thread, as rt-tests' cyclictest measures it, with
 * its main flags and its output. One measuring thread (a process here), which sleeps to
 * absolute deadlines of CLOCK_MONOTONIC with clock_nanosleep(TIMER_ABSTIME) and records how
 * late it woke. An application adds it to its initramfs with
 *   inox_user_program(cyclictest SOURCES ${INOX_BASE}/lib/user/programs/cyclictest.c)
 *
 *   cyclictest [-p PRIO] [-i INTERVAL_US] [-l LOOPS] [-h MAX_US] [-b MAX_US] [-q] [-N]
 *              [-y POLICY] [-k]
 *
 * -p   real-time priority (1..99): the process runs SCHED_FIFO (or -y rr) at it; 0 (the
 *      default) keeps SCHED_OTHER.
 * -i   interval between wake-ups in us (default 1000); -l samples to take (default 1000).
 * -h   histogram of 1-us buckets up to MAX_US, printed at the end as cyclictest prints it.
 * -b   stop at the first latency over MAX_US, print "# Break value:" and exit 1 (a test's
 *      bound; cyclictest would also stop a kernel trace there).
 * -q   print only the summary at the end (the only way here: no periodic refresh).
 * -N   latencies in ns instead of us (the histogram stays in us).
 * -k   Inox's addition: sample the kernel's highest-priority thread instead (SYS_inox_timerlat,
 *      CONFIG_TIMERLAT), to tell the kernel's own latency from the way back to user mode.
 * -m, -n, -t1, -a N are accepted for the command lines people already have, and change
 *      nothing: memory is never paged out, clock_nanosleep is the only way, one thread.
 *
 * Besides cyclictest's footer it prints "# P99 Latencies:", the 99th percentile.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <inox/timerlat.h>

#define NSEC_PER_SEC 1000000000LL

struct options {
	int prio;
	int policy;
	long interval_us;
	long loops;
	long hist_us;
	long break_us;
	bool quiet;
	bool nsecs;
	bool kernel;
};

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
	return (struct timespec){.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC};
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts_ns(&ts);
}

static bool over_bound(const struct options *o, uint32_t ns)
{
	return o->break_us > 0 && ns > o->break_us * 1000;
}

/* The user-space sampler: returns how many samples it took (fewer if a sleep failed). */
static long sample_user(const struct options *o, uint32_t *lat)
{
	int64_t interval = o->interval_us * 1000;
	int64_t next = monotonic_ns() + interval;
	long i;

	for (i = 0; i < o->loops; i++) {
		struct timespec ts = ns_ts(next);
		int64_t now;
		int ret = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

		if (ret != 0) {
			fprintf(stderr, "cyclictest: clock_nanosleep: %s\n", strerror(ret));
			break;
		}
		now = monotonic_ns();
		lat[i] = now - next > UINT32_MAX ? UINT32_MAX : (uint32_t)(now - next);
		if (over_bound(o, lat[i])) {
			return i + 1;
		}
		/* Deadlines already missed are skipped, so one long stall counts once. */
		do {
			next += interval;
		} while (next <= now);
	}
	return i;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a;
	uint32_t y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Prints the histogram and footer as cyclictest -h does, then the summary line. */
static void report(const struct options *o, uint32_t *lat, long n)
{
	long div = o->nsecs ? 1 : 1000;
	uint64_t sum = 0;
	uint32_t min = UINT32_MAX;
	uint32_t max = 0;
	long overflows = 0;
	uint32_t act = n > 0 ? lat[n - 1] : 0; /* the last sample, as cyclictest's "Act" */
	uint32_t p99 = 0;

	for (long i = 0; i < n; i++) {
		sum += lat[i];
		min = lat[i] < min ? lat[i] : min;
		max = lat[i] > max ? lat[i] : max;
	}
	if (n == 0) {
		min = 0;
	}
	if (o->hist_us > 0) {
		long *hist = calloc(o->hist_us, sizeof(long));

		if (hist == NULL) {
			fprintf(stderr, "cyclictest: no memory for the histogram\n");
			exit(1);
		}
		for (long i = 0; i < n; i++) {
			long us = lat[i] / 1000;

			if (us >= o->hist_us) {
				overflows++;
			} else {
				hist[us]++;
			}
		}
		printf("# Histogram\n");
		for (long b = 0; b < o->hist_us; b++) {
			printf("%06ld %06ld\n", b, hist[b]);
		}
		printf("# Total: %09ld\n", n - overflows);
		printf("# Min Latencies: %05lu\n", (unsigned long)(min / div));
		printf("# Avg Latencies: %05lu\n", (unsigned long)(n ? sum / n / div : 0));
		printf("# Max Latencies: %05lu\n", (unsigned long)(max / div));
		printf("# Histogram Overflows: %05ld\n", overflows);
		printf("# Histogram Overflow at cycle number:\n");
		printf("# Thread 0:");
		for (long i = 0, shown = 0; i < n && shown < 10; i++) {
			if (lat[i] / 1000 >= (uint32_t)o->hist_us) {
				printf(" %05ld", i);
				shown++;
			}
		}
		printf(overflows > 10 ? " # %05ld others\n" : "\n", overflows - 10);
		free(hist);
	}
	/* The 99th percentile, nearest rank, of the sorted samples. */
	if (n > 0) {
		qsort(lat, n, sizeof(lat[0]), compare_u32);
		p99 = lat[(n * 99 + 99) / 100 - 1];
	}
	printf("# P99 Latencies: %05lu\n", (unsigned long)(p99 / div));
	printf("T: 0 (%5d) P:%2d I:%ld C:%7ld Min:%7lu Act:%8lu Avg:%8lu Max:%8lu\n", (int)getpid(),
	       o->kernel ? 99 : o->prio, o->interval_us, n, (unsigned long)(min / div),
	       (unsigned long)(act / div), (unsigned long)(n ? sum / n / div : 0),
	       (unsigned long)(max / div));
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: cyclictest [-p PRIO] [-i INTERVAL_US] [-l LOOPS] [-h MAX_US] "
			"[-b MAX_US] [-q] [-N] [-y fifo|rr|other] [-k]\n");
	exit(2);
}

static long number(const char *arg, long lo, long hi)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "cyclictest: %s: not a number in %ld..%ld\n", arg, lo, hi);
		exit(2);
	}
	return v;
}

static void parse(int argc, char **argv, struct options *o)
{
	int c;

	*o = (struct options){.policy = -1, .interval_us = 1000, .loops = 1000};
	while ((c = getopt(argc, argv, "p:i:l:h:b:qNy:kmnt::a::")) != -1) {
		switch (c) {
		case 'p':
			o->prio = number(optarg, 0, 99);
			break;
		case 'i':
			o->interval_us = number(optarg, 1, 1000000);
			break;
		case 'l':
			o->loops = number(optarg, 1, 10000000);
			break;
		case 'h':
			o->hist_us = number(optarg, 1, 1000000);
			break;
		case 'b':
			o->break_us = number(optarg, 1, 1000000);
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'N':
			o->nsecs = true;
			break;
		case 'y':
			o->policy = !strcmp(optarg, "fifo")  ? SCHED_FIFO :
				    !strcmp(optarg, "rr")    ? SCHED_RR :
				    !strcmp(optarg, "other") ? SCHED_OTHER :
							       -2;
			if (o->policy == -2) {
				usage();
			}
			break;
		case 'k':
			o->kernel = true;
			break;
		case 'm':
		case 'n':
		case 't':
		case 'a':
			break;
		default:
			usage();
		}
	}
	if (optind != argc) {
		usage();
	}
	if (o->policy < 0) {
		o->policy = o->prio > 0 ? SCHED_FIFO : SCHED_OTHER;
	}
	if ((o->policy == SCHED_OTHER) != (o->prio == 0)) {
		fprintf(stderr, "cyclictest: policy %d needs priority %s\n", o->policy,
			o->policy == SCHED_OTHER ? "0" : "1..99");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct options o;
	uint32_t *lat;
	uint32_t lat_last;
	bool broke;
	long n;

	parse(argc, argv, &o);
	lat = malloc(o.loops * sizeof(*lat));
	if (lat == NULL) {
		fprintf(stderr, "cyclictest: no memory for %ld samples\n", o.loops);
		return 1;
	}
	if (o.kernel) {
		struct inox_timerlat req = {
			.interval_us = o.interval_us, .loops = o.loops, .samples_ns = lat};

		if (inox_timerlat(&req) != 0) {
			fprintf(stderr, "cyclictest: timerlat: %s\n", strerror(errno));
			return 1;
		}
		for (n = 0; n < o.loops && !over_bound(&o, lat[n]); n++) {
		}
		n += n < o.loops;
	} else {
		struct sched_param param = {.sched_priority = o.prio};

		if (sched_setscheduler(0, o.policy, &param) != 0) {
			fprintf(stderr, "cyclictest: sched_setscheduler: %s\n", strerror(errno));
			return 1;
		}
		n = sample_user(&o, lat);
	}
	/* A break is the last sample taken (report() sorts them). */
	broke = n > 0 && over_bound(&o, lat[n - 1]);
	lat_last = n > 0 ? lat[n - 1] : 0;
	report(&o, lat, n);
	if (broke) {
		printf("# Break thread: 0\n# Break value: %lu\n",
		       (unsigned long)(lat_last / (o.nsecs ? 1 : 1000)));
	}
	free(lat);
	return n == o.loops && !broke ? 0 : 1;
}
