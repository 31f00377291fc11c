/* SPDX-License-Identifier: Apache-2.0 */
/* Predicates: given test_main()'s global state, they pick which suites ztest_run_all() runs. */
#include <inox/ztest.h>
#include "selftest.h"

static bool is_selftest_state(const void *state)
{
	return state == &ztest_selftest_state;
}

static bool no_state(const void *state)
{
	return state == NULL;
}

ZTEST_SUITE(ztest_predicate_true, is_selftest_state, NULL, NULL, NULL, NULL);

ZTEST(ztest_predicate_true, test_predicate_saw_state)
{
	zassert_equal(ztest_selftest_state, 42);
}

/* Left out of the run: scripts/twister reports its test as skipped (not run). */
ZTEST_SUITE(ztest_predicate_false, no_state, NULL, NULL, NULL, NULL);

ZTEST(ztest_predicate_false, test_predicate_never_runs)
{
	zassert_unreachable("a suite ran although its predicate refused the state");
}
