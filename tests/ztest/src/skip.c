/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Skipping: by zassume, by ztest_test_skip(), and by a suite whose setup's assumption fails
 * (its tests are skipped without running and its teardown does not run). Suites and tests
 * run in name order, so test_skip_counted runs last and checks what the others recorded.
 */
#include <inox/ztest.h>

static bool setup_skip_teardown_ran;

static void *setup_skip_setup(void)
{
	zassume_true(false, "this suite's precondition is missing");
	return NULL;
}

static void setup_skip_teardown(void *fixture)
{
	setup_skip_teardown_ran = true;
}

ZTEST_SUITE(ztest_setup_skip, NULL, setup_skip_setup, NULL, NULL, setup_skip_teardown);

ZTEST(ztest_setup_skip, test_skipped_by_setup)
{
	zassert_unreachable("a test ran although its suite's setup skipped");
}

ZTEST_SUITE(ztest_skip, NULL, NULL, NULL, NULL, NULL);

ZTEST(ztest_skip, test_skip_by_assume)
{
	zassume_equal(1, 2, "skipping on purpose");
	zassert_unreachable("zassume_equal() did not end the test");
}

ZTEST(ztest_skip, test_skip_by_call)
{
	ztest_test_skip();
	zassert_unreachable("ztest_test_skip() returned");
}

static void check_skipped_once(const struct ztest_unit_test_stats *stats, const char *name)
{
	zassert_equal(stats->run_count, 1, "%s ran %u times", name, stats->run_count);
	zassert_equal(stats->skip_count, 1, "%s not counted as skipped", name);
	zassert_equal(stats->pass_count + stats->fail_count, 0, "%s passed or failed", name);
}

ZTEST(ztest_skip, test_skip_counted)
{
	check_skipped_once(&z_ztest_stats_ztest_skip_test_skip_by_assume, "test_skip_by_assume");
	check_skipped_once(&z_ztest_stats_ztest_skip_test_skip_by_call, "test_skip_by_call");
	check_skipped_once(&z_ztest_stats_ztest_setup_skip_test_skipped_by_setup,
			   "test_skipped_by_setup");
	zassert_false(setup_skip_teardown_ran, "teardown ran after a setup that skipped");
}
