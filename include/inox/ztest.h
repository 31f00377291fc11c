/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ztest: Zephyr's test framework, in-kernel (subsys/testsuite, CONFIG_ZTEST).
 *
 *	static void *my_setup(void) { ... return &fixture; }
 *	ZTEST_SUITE(my_suite, NULL, my_setup, NULL, NULL, NULL);
 *	ZTEST(my_suite, test_add) { zassert_equal(1 + 1, 2, "math is broken"); }
 *
 * ztest provides main(): it calls test_main() (weak; the default runs every suite whose
 * predicate accepts a NULL global state), prints a summary and PROJECT EXECUTION SUCCESSFUL
 * or FAILED, in the console format scripts/twister's ztest harness reads.
 *
 * Tests run one after the other in the thread that runs main(). A failing assertion,
 * ztest_test_fail/skip/pass() and an expected fatal error end the running phase (setup,
 * before, test, after, teardown) with a longjmp back to the runner, so they must happen in
 * that thread (a fault declared valid in another thread fails the project). Test names are
 * keyed without their suite by scripts/twister, so keep them unique within an application.
 */
#ifndef INOX_ZTEST_H_
#define INOX_ZTEST_H_

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <inox/kernel.h>

/* Counts kept per test across every run of its suite. */
struct ztest_unit_test_stats {
	uint32_t run_count;
	uint32_t pass_count;
	uint32_t fail_count;
	uint32_t skip_count;
	uint32_t duration_last_ms;
};

struct ztest_suite_stats {
	uint32_t run_count;
	bool failed; /* setup or teardown failed, or a test of its last run did */
};

/* One ZTEST_SUITE(): lives in section .z_ztest_suite.<name>, sorted by name. */
struct ztest_suite_node {
	const char *name;
	bool (*predicate)(const void *global_state);
	void *(*setup)(void);
	void (*before)(void *fixture);
	void (*after)(void *fixture);
	void (*teardown)(void *fixture);
	struct ztest_suite_stats *stats;
};

/* One ZTEST()/ZTEST_F(): lives in section .z_ztest_test.<suite>.<name>, sorted by name. */
struct ztest_unit_test {
	const char *test_suite_name;
	const char *name;
	void (*test)(void *fixture);
	struct ztest_unit_test_stats *stats;
};

/* The suites and tests ZTEST_SUITE() and ZTEST() put in their sections (the linker script
 * brackets them). */
extern const struct ztest_suite_node __ztest_suite_start[];
extern const struct ztest_suite_node __ztest_suite_end[];
extern const struct ztest_unit_test __ztest_test_start[];
extern const struct ztest_unit_test __ztest_test_end[];

/*
 * Declares a suite. predicate(global_state) decides whether ztest_run_all() runs it (NULL:
 * always); setup() returns the fixture handed to before/after/teardown and to ZTEST_F tests.
 * Any of the functions may be NULL.
 */
#define ZTEST_SUITE(SUITE_NAME, PREDICATE, SETUP, BEFORE, AFTER, TEARDOWN)                         \
	static struct ztest_suite_stats z_ztest_suite_stats_##SUITE_NAME;                          \
	static const struct ztest_suite_node z_ztest_suite_node_##SUITE_NAME __used __aligned(8)   \
		__section(".z_ztest_suite." #SUITE_NAME) = {                                       \
			.name = #SUITE_NAME,                                                       \
			.predicate = (PREDICATE),                                                  \
			.setup = (SETUP),                                                          \
			.before = (BEFORE),                                                        \
			.after = (AFTER),                                                          \
			.teardown = (TEARDOWN),                                                    \
			.stats = &z_ztest_suite_stats_##SUITE_NAME,                                \
	}

#define Z_ZTEST_UNIT_TEST(suite, fn)                                                               \
	static void z_ztest_wrapper_##suite##_##fn(void *fixture);                                 \
	static struct ztest_unit_test_stats z_ztest_stats_##suite##_##fn;                          \
	static const struct ztest_unit_test z_ztest_unit_test_##suite##_##fn __used __aligned(8)   \
		__section(".z_ztest_test." #suite "." #fn) = {                                     \
			.test_suite_name = #suite,                                                 \
			.name = #fn,                                                               \
			.test = z_ztest_wrapper_##suite##_##fn,                                    \
			.stats = &z_ztest_stats_##suite##_##fn,                                    \
	}

/* Defines test `fn` of `suite`; the body follows, as for a function taking no argument. */
#define ZTEST(suite, fn)                                                                           \
	Z_ZTEST_UNIT_TEST(suite, fn);                                                              \
	static void suite##_##fn(void);                                                            \
	static void z_ztest_wrapper_##suite##_##fn(void *fixture)                                  \
	{                                                                                          \
		suite##_##fn();                                                                    \
	}                                                                                          \
	static void suite##_##fn(void)

/* As ZTEST(), with the suite's fixture as `struct suite##_fixture *fixture`. */
#define ZTEST_F(suite, fn)                                                                         \
	Z_ZTEST_UNIT_TEST(suite, fn);                                                              \
	static void suite##_##fn(struct suite##_fixture *fixture);                                 \
	static void z_ztest_wrapper_##suite##_##fn(void *fixture)                                  \
	{                                                                                          \
		suite##_##fn(fixture);                                                             \
	}                                                                                          \
	static void suite##_##fn(struct suite##_fixture *fixture)

/* End the running test (or setup/before/after/teardown) now, as failed, skipped or passed. */
__noreturn void ztest_test_fail(void);
__noreturn void ztest_test_skip(void);
__noreturn void ztest_test_pass(void);

/*
 * Declares that the running test will now cause a fatal error (panic(), a CPU exception):
 * the error then ends the test as passed, and z_fatal_last_report() holds its report. If the
 * fault happens in another thread, that thread is aborted and the test goes on. A test that
 * declares a fault and ends without one fails. ztest_set_fault_valid(false) withdraws it.
 */
void ztest_set_fault_valid(bool valid);

/*
 * Runs every suite whose predicate accepts global_state (NULL predicate: always), in
 * section (name) order. Returns the number of suites that failed.
 */
int ztest_run_all(const void *global_state);

/*
 * Runs the named suite whatever its predicate. Returns 0 if it passed, 1 if it failed, -1 if
 * there is no such suite (which also makes the project fail).
 */
int ztest_run_test_suite(const char *name);

/* What ztest's main() runs before the summary; override it to pick suites or a state. */
void test_main(void);

#include <inox/ztest_assert.h>

/* After an expected fault: asserts that the fatal report contains needle, printing the whole
 * report when it does not. */
#define zassert_fatal_report_has(needle)                                                           \
	zassert_not_null(strstr(z_fatal_last_report(), needle), "no \"%s\" in the report:\n%s",    \
			 needle, z_fatal_last_report())

/* After an expected fault: asserts that the last fatal report is one the test declared
 * (">>> INOX EXPECTED FATAL ERROR: "), not an unexpected one. */
#define zassert_fatal_report_expected()                                                            \
	zassert_equal(strncmp(z_fatal_last_report(), ">>> INOX EXPECTED FATAL ERROR: ", 31), 0,    \
		      "report: %s", z_fatal_last_report())

#endif /* INOX_ZTEST_H_ */
