/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Failing on purpose (CONFIG_ZTEST_SELFTEST_FAILURES): testcase.yaml checks the report of
 * each failure line by line, and the run must end with PROJECT EXECUTION FAILED.
 */
#include <inox/ztest.h>

ZTEST_SUITE(ztest_failures, NULL, NULL, NULL, NULL, NULL);

ZTEST(ztest_failures, test_fail_assert)
{
	zassert_equal(1 + 1, 3, "one plus one is %d, not %d", 1 + 1, 3);
	printk("still running after a failed assertion\n");
}

ZTEST(ztest_failures, test_fail_expect_continues)
{
	bool flag = false;

	zexpect_true(flag);
	printk("still running after the failed expectation\n");
}

ZTEST(ztest_failures, test_fail_explicit)
{
	ztest_test_fail();
}

ZTEST(ztest_failures, test_fail_no_fault)
{
	ztest_set_fault_valid(true);
}

ZTEST(ztest_failures, test_pass_alongside)
{
}
