/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ztest checking itself. The passing suites run through ztest_run_all() with a global state
 * the predicates look at; CONFIG_ZTEST_SELFTEST_FAILURES runs only the suite that fails on
 * purpose, by name, and asks for a suite that does not exist.
 */
#include <inox/ztest.h>
#include "selftest.h"

const int ztest_selftest_state = 42;

void test_main(void)
{
	if (IS_ENABLED(CONFIG_ZTEST_SELFTEST_FAILURES)) {
		ztest_run_test_suite("ztest_failures");
		ztest_run_test_suite("no_such_suite");
		return;
	}
	ztest_run_all(&ztest_selftest_state);
}
