/* SPDX-License-Identifier: Apache-2.0 */
/* Every zassert/zassume/zexpect check, with operands that pass; and ztest_test_pass(). */
#include <inox/ztest.h>

static const char hello[] = "hello";
static const uint8_t bytes[] = {1, 2, 3, 4};

static int returns_zero(void)
{
	return 0;
}

ZTEST_SUITE(ztest_assert, NULL, NULL, NULL, NULL, NULL);

ZTEST(ztest_assert, test_assert_all_pass)
{
	uint8_t copy[sizeof(bytes)];
	int *none = NULL;

	memcpy(copy, bytes, sizeof(copy));
	zassert_true(1 + 1 == 2);
	zassert_true(true, "with a message %d", 1);
	zassert_false(1 == 2, "no message arguments");
	zassert_ok(returns_zero());
	zassert_not_ok(-1);
	zassert_is_null(none);
	zassert_not_null(hello);
	zassert_equal(sizeof(hello), 6);
	zassert_not_equal(bytes[0], bytes[1]);
	zassert_equal_ptr(&hello[1], hello + 1);
	zassert_within(100, 103, 3);
	zassert_within(106, 103, 3);
	zassert_between_inclusive(5, 5, 7);
	zassert_between_inclusive(7, 5, 7);
	zassert_mem_equal(copy, bytes, sizeof(bytes));
	zassert_str_equal(hello, "hello");
}

ZTEST(ztest_assert, test_assume_all_pass)
{
	zassume_true(true);
	zassume_false(false, "%s", "message");
	zassume_ok(0);
	zassume_not_ok(1);
	zassume_is_null(NULL);
	zassume_not_null(hello);
	zassume_equal(2, 2);
	zassume_not_equal(2, 3);
	zassume_equal_ptr(hello, &hello[0]);
	zassume_within(-1, 1, 2);
	zassume_between_inclusive(0, -1, 1);
	zassume_mem_equal(bytes, bytes, sizeof(bytes));
	zassume_str_equal("", "");
}

ZTEST(ztest_assert, test_expect_all_pass)
{
	zexpect_true(true);
	zexpect_false(false);
	zexpect_ok(0);
	zexpect_not_ok(1);
	zexpect_is_null(NULL);
	zexpect_not_null(hello);
	zexpect_equal('h', hello[0]);
	zexpect_not_equal('x', hello[0]);
	zexpect_equal_ptr(NULL, (void *)0);
	zexpect_within(10U, 10U, 0U);
	zexpect_between_inclusive(6, 5, 7);
	zexpect_mem_equal(hello, "hello", sizeof(hello));
	zexpect_str_equal(hello, "hello", "checked %s", "last");
}

ZTEST(ztest_assert, test_pass_early)
{
	ztest_test_pass();
	zassert_unreachable("ztest_test_pass() returned");
}

ZTEST(ztest_assert, test_unreachable_not_reached)
{
	if (returns_zero() != 0) {
		zassert_unreachable();
		zexpect_unreachable("and %s", "this");
		zassume_unreachable();
	}
}
