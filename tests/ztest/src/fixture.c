/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fixtures and the order of setup (S), before (B), the test (T), after (A) and teardown (D):
 * ztest_fixture's two tests must see "SB" then "SBTAB", and suite ztest_fixture_order,
 * which runs next (name order), the whole "SBTABTAD".
 */
#include <inox/ztest.h>

struct ztest_fixture_fixture {
	uint32_t magic;
	int befores;
	int afters;
};

static struct ztest_fixture_fixture the_fixture;
static char order[16];
static size_t order_len;

static void log_step(char step)
{
	zassert_true(order_len + 1 < sizeof(order), "order log full: %s", order);
	order[order_len++] = step;
	order[order_len] = '\0';
}

static void *fixture_setup(void)
{
	log_step('S');
	the_fixture.magic = 0xf1c5;
	return &the_fixture;
}

static void fixture_before(void *data)
{
	struct ztest_fixture_fixture *f = data;

	zassert_equal_ptr(f, &the_fixture, "before() got another fixture");
	f->befores++;
	log_step('B');
}

static void fixture_after(void *data)
{
	struct ztest_fixture_fixture *f = data;

	zassert_equal_ptr(f, &the_fixture, "after() got another fixture");
	f->afters++;
	log_step('A');
}

static void fixture_teardown(void *data)
{
	zassert_equal_ptr(data, &the_fixture, "teardown() got another fixture");
	log_step('D');
}

ZTEST_SUITE(ztest_fixture, NULL, fixture_setup, fixture_before, fixture_after, fixture_teardown);

ZTEST_F(ztest_fixture, test_fixture_first)
{
	log_step('T');
	zassert_equal_ptr(fixture, &the_fixture);
	zassert_equal(fixture->magic, 0xf1c5, "setup's fixture not handed on");
	zassert_equal(fixture->befores, 1);
	zassert_equal(fixture->afters, 0);
	zassert_str_equal(order, "SBT");
}

ZTEST_F(ztest_fixture, test_fixture_second)
{
	log_step('T');
	zassert_equal(fixture->befores, 2);
	zassert_equal(fixture->afters, 1);
	zassert_str_equal(order, "SBTABT");
}

ZTEST_SUITE(ztest_fixture_order, NULL, NULL, NULL, NULL, NULL);

ZTEST(ztest_fixture_order, test_fixture_whole_order)
{
	zassert_str_equal(order, "SBTABTAD", "setup/before/after/teardown out of order");
}
