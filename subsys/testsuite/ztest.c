/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ztest's runner: main(), the suites and tests from their linker sections, the phases of a
 * test, the console report scripts/twister reads, and the fatal-error hook. See
 * <inox/ztest.h>.
 *
 * Every phase (setup, before, test, after, teardown) runs under a z_ztest_setjmp(); a failed
 * zassert, zassume, ztest_test_fail/skip/pass() or an expected fatal error longjmps back
 * with the phase's result. A fatal error in the runner's thread is handled on that thread's
 * stack (the trap frame goes below the faulting code's), so the jump also unwinds the trap or
 * panic.
 */
#include <stdarg.h>
#include <inox/sys_clock.h>
#include <inox/ztest.h>
#include <inox/arch/ztest_jmp.h>

enum ztest_phase {
	PHASE_FRAMEWORK, /* no suite code is running */
	PHASE_SETUP,
	PHASE_BEFORE,
	PHASE_TEST,
	PHASE_AFTER,
	PHASE_TEARDOWN,
};

/* In increasing severity: a test's result is the worst of its phases'. */
enum ztest_result {
	RESULT_PASS,
	RESULT_SKIP,
	RESULT_FAIL,
};

static const char *const phase_names[] = {
	[PHASE_FRAMEWORK] = "framework", [PHASE_SETUP] = "setup", [PHASE_BEFORE] = "before",
	[PHASE_TEST] = "test",           [PHASE_AFTER] = "after", [PHASE_TEARDOWN] = "teardown",
};
static const char *const result_names[] = {"PASS", "SKIP", "FAIL"};

#define Z_ZTEST_LINE "==================================================================="

static struct z_ztest_jmp_buf phase_jmp;
static enum ztest_phase phase;
static enum ztest_result phase_result; /* how the running phase ended */
static bool expect_failed; /* a zexpect_*() failed in the running test */
static bool fault_valid; /* ztest_set_fault_valid(true) in the running phase */
static bool runner_active; /* between the start of main() and its final report */
static k_tid_t runner_thread; /* the thread that runs main() */
static bool project_failed;
static const struct ztest_suite_node *cur_suite;
static const struct ztest_unit_test *cur_test;
static uint64_t test_start; /* cycles */
static void *fixture;

static uint32_t ms_since(uint64_t start)
{
	return (uint32_t)(k_cyc_to_ns_floor64(k_cycle_get_64() - start) / 1000000);
}

/* Ends the running phase with `result`; `caller` is named in the panic if none is running. */
static __noreturn void end_phase(const char *caller, enum ztest_result result)
{
	if (phase == PHASE_FRAMEWORK) {
		panic("%s: called outside a test (no setup/before/test/after/teardown running)",
		      caller);
	}
	phase_result = result;
	z_ztest_longjmp(&phase_jmp, 1);
}

void ztest_test_fail(void)
{
	end_phase(__func__, RESULT_FAIL);
}

void ztest_test_skip(void)
{
	end_phase(__func__, RESULT_SKIP);
}

void ztest_test_pass(void)
{
	end_phase(__func__, RESULT_PASS);
}

void ztest_set_fault_valid(bool valid)
{
	fault_valid = valid;
	z_fatal_expect(valid);
}

/* Prints a failed check: "    <kind> failed at FILE:LINE: FUNC: <what>", then the message. */
static void report_check(const char *kind, const char *file, int line, const char *func,
			 const char *what, const char *fmt, va_list ap)
{
	printk("    %s failed at %s:%d: %s: %s", kind, file, line, func, what);
	/* fmt is "\n" followed by the caller's message, if it gave one. */
	vprintk(fmt, ap);
	if (fmt[0] != '\0' && fmt[1] != '\0') {
		printk("\n");
	}
	if (phase != PHASE_TEST) {
		printk("    (in the %s phase of suite %s)\n", phase_names[phase],
		       cur_suite != NULL ? cur_suite->name : "none");
	}
}

void z_zassert_fail(const char *file, int line, const char *func, const char *what, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_check("Assertion", file, line, func, what, fmt, ap);
	va_end(ap);
	end_phase(__func__, RESULT_FAIL);
}

void z_zassume_fail(const char *file, int line, const char *func, const char *what, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_check("Assumption", file, line, func, what, fmt, ap);
	va_end(ap);
	end_phase(__func__, RESULT_SKIP);
}

void z_zexpect_fail(const char *file, int line, const char *func, const char *what, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_check("Expectation", file, line, func, what, fmt, ap);
	va_end(ap);
	if (phase == PHASE_FRAMEWORK) {
		panic("%s: called outside a test (no setup/before/test/after/teardown running)",
		      __func__);
	}
	expect_failed = true;
}

/*
 * Runs fn(arg) as phase p. Returns RESULT_PASS if fn returned, else the result it ended with.
 * Not inlined: the z_ztest_setjmp() frame must be this one, with nothing live across it.
 */
static __attribute__((noinline)) enum ztest_result run_phase(enum ztest_phase p, void (*fn)(void *),
							     void *arg)
{
	phase = p;
	if (z_ztest_setjmp(&phase_jmp) == 0) {
		fn(arg);
		phase_result = RESULT_PASS;
	}
	phase = PHASE_FRAMEWORK;
	return phase_result;
}

static void call_setup(void *unused)
{
	fixture = cur_suite->setup();
}

/* Counts and prints the result of cur_test, which took `ms`; the test is over after this. */
static void end_test(enum ztest_result result, uint32_t ms)
{
	struct ztest_unit_test_stats *stats = cur_test->stats;

	stats->run_count++;
	if (result == RESULT_PASS) {
		stats->pass_count++;
	} else if (result == RESULT_SKIP) {
		stats->skip_count++;
	} else {
		stats->fail_count++;
		cur_suite->stats->failed = true;
	}
	stats->duration_last_ms = ms;
	printk(" %s - %s in %u.%03u seconds\n" Z_ZTEST_LINE "\n", result_names[result],
	       cur_test->name, ms / 1000, ms % 1000);
	cur_test = NULL;
}

/* Runs cur_test of cur_suite: before, the test (if before passed), after, then the report. */
static void run_test(void)
{
	const struct ztest_suite_node *suite = cur_suite;
	enum ztest_result result = RESULT_PASS;

	printk("START - %s\n", cur_test->name);
	expect_failed = false;
	test_start = k_cycle_get_64();
	if (suite->before != NULL) {
		result = run_phase(PHASE_BEFORE, suite->before, fixture);
	}
	if (result == RESULT_PASS) {
		result = run_phase(PHASE_TEST, cur_test->test, fixture);
	}
	if (fault_valid) {
		/* Withdraw it, so a fault in after() or a later test is not taken as expected. */
		ztest_set_fault_valid(false);
		if (result == RESULT_PASS) {
			printk("    %s declared a fault valid, but no fatal error happened\n",
			       cur_test->name);
			result = RESULT_FAIL;
		}
	}
	if (suite->after != NULL) {
		enum ztest_result after_result = run_phase(PHASE_AFTER, suite->after, fixture);

		result = MAX(result, after_result);
	}
	if (expect_failed) {
		result = RESULT_FAIL;
	}
	end_test(result, ms_since(test_start));
}

/*
 * Runs one suite: setup, each of its tests, teardown (only if setup returned). A setup that
 * fails or skips gives that result to every test without running them. Returns true if the
 * suite passed (skipped tests included).
 */
static bool run_suite(const struct ztest_suite_node *suite)
{
	enum ztest_result setup_result = RESULT_PASS;
	bool failed;

	cur_suite = suite;
	fixture = NULL;
	suite->stats->run_count++;
	suite->stats->failed = false;
	printk("Running TESTSUITE %s\n" Z_ZTEST_LINE "\n", suite->name);
	if (suite->setup != NULL) {
		setup_result = run_phase(PHASE_SETUP, call_setup, NULL);
	}
	for (const struct ztest_unit_test *t = __ztest_test_start; t < __ztest_test_end; t++) {
		if (strcmp(t->test_suite_name, suite->name) != 0) {
			continue;
		}
		cur_test = t;
		if (setup_result == RESULT_PASS) {
			run_test();
		} else {
			end_test(setup_result, 0);
		}
	}
	if (setup_result == RESULT_FAIL) {
		suite->stats->failed = true;
	} else if (setup_result == RESULT_PASS && suite->teardown != NULL &&
		   run_phase(PHASE_TEARDOWN, suite->teardown, fixture) == RESULT_FAIL) {
		suite->stats->failed = true;
	}
	failed = suite->stats->failed;
	printk("TESTSUITE %s %s\n", suite->name, failed ? "failed" : "succeeded");
	cur_suite = NULL;
	if (failed) {
		project_failed = true;
	}
	return !failed;
}

int ztest_run_all(const void *global_state)
{
	int failed = 0;

	for (const struct ztest_suite_node *s = __ztest_suite_start; s < __ztest_suite_end; s++) {
		if (s->predicate != NULL && !s->predicate(global_state)) {
			continue;
		}
		if (!run_suite(s)) {
			failed++;
		}
	}
	return failed;
}

int ztest_run_test_suite(const char *name)
{
	for (const struct ztest_suite_node *s = __ztest_suite_start; s < __ztest_suite_end; s++) {
		if (strcmp(s->name, name) == 0) {
			return run_suite(s) ? 0 : 1;
		}
	}
	printk("ERROR: ztest_run_test_suite: no test suite named %s\n", name);
	project_failed = true;
	return -1;
}

/* A test's overall result over every run of its suite (ztest_run_* may repeat one). */
static enum ztest_result test_result(const struct ztest_unit_test_stats *stats)
{
	if (stats->fail_count > 0) {
		return RESULT_FAIL;
	}
	return stats->pass_count > 0 ? RESULT_PASS : RESULT_SKIP;
}

/* The summary lines of one suite that ran, in Zephyr's format. */
static void print_suite_summary(const struct ztest_suite_node *suite)
{
	int pass = 0, fail = 0, skip = 0, total = 0;
	uint32_t duration_ms = 0;
	uint32_t rate = 0; /* pass rate in thousandths of a percent */
	enum ztest_result result;

	for (const struct ztest_unit_test *t = __ztest_test_start; t < __ztest_test_end; t++) {
		if (strcmp(t->test_suite_name, suite->name) != 0) {
			continue;
		}
		total++;
		duration_ms += t->stats->duration_last_ms;
		switch (test_result(t->stats)) {
		case RESULT_PASS:
			pass++;
			break;
		case RESULT_SKIP:
			skip++;
			break;
		default:
			fail++;
			break;
		}
	}
	if (total > skip) {
		rate = (uint32_t)pass * 100000 / (uint32_t)(total - skip);
	}
	if (fail > 0 || suite->stats->failed) {
		result = RESULT_FAIL;
	} else {
		result = (total > 0 && skip == total) ? RESULT_SKIP : RESULT_PASS;
	}
	/* Rounded to hundredths, as Zephyr does. */
	rate = (rate + 5) / 10;
	printk("SUITE %s - %3u.%02u%% [%s]: pass = %d, fail = %d, skip = %d, total = %d "
	       "duration = %u.%03u seconds\n",
	       result_names[result], rate / 100, rate % 100, suite->name, pass, fail, skip, total,
	       duration_ms / 1000, duration_ms % 1000);
	for (const struct ztest_unit_test *t = __ztest_test_start; t < __ztest_test_end; t++) {
		if (strcmp(t->test_suite_name, suite->name) != 0) {
			continue;
		}
		printk(" - %s - [%s.%s] duration = %u.%03u seconds\n",
		       result_names[test_result(t->stats)], suite->name, t->name,
		       t->stats->duration_last_ms / 1000, t->stats->duration_last_ms % 1000);
	}
}

/* The summary of every suite that ran, then the project's verdict. */
static void end_report(void)
{
	printk("\n------ TESTSUITE SUMMARY START ------\n\n");
	for (const struct ztest_suite_node *s = __ztest_suite_start; s < __ztest_suite_end; s++) {
		if (s->stats->run_count > 0) {
			print_suite_summary(s);
		}
	}
	printk("\n------ TESTSUITE SUMMARY END ------\n\n");
	printk(Z_ZTEST_LINE "\nPROJECT EXECUTION %s\n", project_failed ? "FAILED" : "SUCCESSFUL");
}

/*
 * Replaces the kernel's default. A fault declared valid in the runner's thread ends the
 * running phase as passed; in another thread, that thread is aborted (z_fatal_error() does
 * it when this returns) and the phase goes on. Any other fault fails the running test and
 * the project, and stops the system.
 */
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	if (!runner_active) {
		z_fatal_halt();
	}
	if (phase != PHASE_FRAMEWORK && fault_valid) {
		fault_valid = false;
		/* The jump lands on the runner's stack: only the runner's own fault can take it. */
		if (k_current_get() == runner_thread) {
			phase_result = RESULT_PASS;
			z_ztest_longjmp(&phase_jmp, 1);
		}
		/* Another thread: returning lets the kernel abort it, and the test goes on. */
		if (!k_is_in_isr()) {
			printk("    Expected fault in thread '%s': the thread is aborted\n",
			       k_thread_name_get(k_current_get()));
			return;
		}
		printk("    The fault declared valid happened in an interrupt handler: ztest "
		       "cannot resume from it\n");
	}
	printk("    Unexpected fatal error (reason %u) in the %s phase%s%s\n", reason,
	       phase_names[phase], cur_suite != NULL ? " of suite " : "",
	       cur_suite != NULL ? cur_suite->name : "");
	phase = PHASE_FRAMEWORK;
	if (cur_test != NULL) {
		end_test(RESULT_FAIL, ms_since(test_start));
	}
	if (cur_suite != NULL) {
		cur_suite->stats->failed = true;
		printk("TESTSUITE %s failed\n", cur_suite->name);
	}
	project_failed = true;
	end_report();
	runner_active = false;
	z_fatal_halt();
}

__weak void test_main(void)
{
	ztest_run_all(NULL);
}

/* ztest's main(): test_main(), then the summary. Returns 1 if anything failed, else 0. */
int main(void)
{
	runner_thread = k_current_get();
	runner_active = true;
	test_main();
	end_report();
	runner_active = false;
	return project_failed ? 1 : 0;
}
