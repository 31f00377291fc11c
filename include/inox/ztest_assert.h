/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ztest assertions, as Zephyr's: each takes its operands, then an optional printf-style
 * message whose format must be a string literal.
 *
 *	zassert_*: on failure, print it and end the test as failed.
 *	zassume_*: on failure, print it and end the test as skipped (a precondition is missing).
 *	zexpect_*: on failure, print it, mark the test failed and go on with it.
 *
 * A failure prints "    Assertion failed at FILE:LINE: FUNC: <what failed>" (Assumption,
 * Expectation for the other two kinds), then the message on a line of its own.
 */
#ifndef INOX_ZTEST_ASSERT_H_
#define INOX_ZTEST_ASSERT_H_

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <inox/toolchain.h>

/*
 * What a failed check prints and does. fmt starts with "\n" (the macros prepend it, so an
 * empty message still ends the line and the format is never empty for -Wformat).
 */
__noreturn void z_zassert_fail(const char *file, int line, const char *func, const char *what,
			       const char *fmt, ...) __printf_like(5, 6);
__noreturn void z_zassume_fail(const char *file, int line, const char *func, const char *what,
			       const char *fmt, ...) __printf_like(5, 6);
void z_zexpect_fail(const char *file, int line, const char *func, const char *what, const char *fmt,
		    ...) __printf_like(5, 6);

#define Z_ZTEST_CHECK(fail, cond, what, ...)                                                       \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fail(__FILE__, __LINE__, __func__, what, "\n" __VA_ARGS__);                \
		}                                                                                  \
	} while (0)

/* The base checks: `what` says in words what went wrong. */
#define zassert(cond, what, ...) Z_ZTEST_CHECK(z_zassert_fail, cond, what, __VA_ARGS__)
#define zassume(cond, what, ...) Z_ZTEST_CHECK(z_zassume_fail, cond, what, __VA_ARGS__)
#define zexpect(cond, what, ...) Z_ZTEST_CHECK(z_zexpect_fail, cond, what, __VA_ARGS__)

#define zassert_true(cond, ...)      zassert(cond, #cond " is false", __VA_ARGS__)
#define zassert_false(cond, ...)     zassert(!(cond), #cond " is true", __VA_ARGS__)
#define zassert_ok(cond, ...)        zassert((cond) == 0, #cond " is non-zero", __VA_ARGS__)
#define zassert_not_ok(cond, ...)    zassert((cond) != 0, #cond " is zero", __VA_ARGS__)
#define zassert_is_null(ptr, ...)    zassert((ptr) == NULL, #ptr " is not NULL", __VA_ARGS__)
#define zassert_not_null(ptr, ...)   zassert((ptr) != NULL, #ptr " is NULL", __VA_ARGS__)
#define zassert_unreachable(...)     zassert(0, "Reached unreachable code", __VA_ARGS__)
#define zassert_equal(a, b, ...)     zassert((a) == (b), #a " not equal to " #b, __VA_ARGS__)
#define zassert_not_equal(a, b, ...) zassert((a) != (b), #a " equal to " #b, __VA_ARGS__)
#define zassert_equal_ptr(a, b, ...)                                                               \
	zassert((const void *)(a) == (const void *)(b), #a " not equal to " #b, __VA_ARGS__)
#define zassert_within(a, b, d, ...)                                                               \
	zassert(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d,     \
		__VA_ARGS__)
#define zassert_between_inclusive(a, l, u, ...)                                                    \
	zassert(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive",       \
		__VA_ARGS__)
#define zassert_mem_equal(buf, exp, size, ...)                                                     \
	zassert(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, __VA_ARGS__)
#define zassert_str_equal(s1, s2, ...)                                                             \
	zassert(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, __VA_ARGS__)

#define zassume_true(cond, ...)      zassume(cond, #cond " is false", __VA_ARGS__)
#define zassume_false(cond, ...)     zassume(!(cond), #cond " is true", __VA_ARGS__)
#define zassume_ok(cond, ...)        zassume((cond) == 0, #cond " is non-zero", __VA_ARGS__)
#define zassume_not_ok(cond, ...)    zassume((cond) != 0, #cond " is zero", __VA_ARGS__)
#define zassume_is_null(ptr, ...)    zassume((ptr) == NULL, #ptr " is not NULL", __VA_ARGS__)
#define zassume_not_null(ptr, ...)   zassume((ptr) != NULL, #ptr " is NULL", __VA_ARGS__)
#define zassume_unreachable(...)     zassume(0, "Reached unreachable code", __VA_ARGS__)
#define zassume_equal(a, b, ...)     zassume((a) == (b), #a " not equal to " #b, __VA_ARGS__)
#define zassume_not_equal(a, b, ...) zassume((a) != (b), #a " equal to " #b, __VA_ARGS__)
#define zassume_equal_ptr(a, b, ...)                                                               \
	zassume((const void *)(a) == (const void *)(b), #a " not equal to " #b, __VA_ARGS__)
#define zassume_within(a, b, d, ...)                                                               \
	zassume(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d,     \
		__VA_ARGS__)
#define zassume_between_inclusive(a, l, u, ...)                                                    \
	zassume(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive",       \
		__VA_ARGS__)
#define zassume_mem_equal(buf, exp, size, ...)                                                     \
	zassume(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, __VA_ARGS__)
#define zassume_str_equal(s1, s2, ...)                                                             \
	zassume(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, __VA_ARGS__)

#define zexpect_true(cond, ...)      zexpect(cond, #cond " is false", __VA_ARGS__)
#define zexpect_false(cond, ...)     zexpect(!(cond), #cond " is true", __VA_ARGS__)
#define zexpect_ok(cond, ...)        zexpect((cond) == 0, #cond " is non-zero", __VA_ARGS__)
#define zexpect_not_ok(cond, ...)    zexpect((cond) != 0, #cond " is zero", __VA_ARGS__)
#define zexpect_is_null(ptr, ...)    zexpect((ptr) == NULL, #ptr " is not NULL", __VA_ARGS__)
#define zexpect_not_null(ptr, ...)   zexpect((ptr) != NULL, #ptr " is NULL", __VA_ARGS__)
#define zexpect_unreachable(...)     zexpect(0, "Reached unreachable code", __VA_ARGS__)
#define zexpect_equal(a, b, ...)     zexpect((a) == (b), #a " not equal to " #b, __VA_ARGS__)
#define zexpect_not_equal(a, b, ...) zexpect((a) != (b), #a " equal to " #b, __VA_ARGS__)
#define zexpect_equal_ptr(a, b, ...)                                                               \
	zexpect((const void *)(a) == (const void *)(b), #a " not equal to " #b, __VA_ARGS__)
#define zexpect_within(a, b, d, ...)                                                               \
	zexpect(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d,     \
		__VA_ARGS__)
#define zexpect_between_inclusive(a, l, u, ...)                                                    \
	zexpect(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive",       \
		__VA_ARGS__)
#define zexpect_mem_equal(buf, exp, size, ...)                                                     \
	zexpect(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, __VA_ARGS__)
#define zexpect_str_equal(s1, s2, ...)                                                             \
	zexpect(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, __VA_ARGS__)
#endif /* INOX_ZTEST_ASSERT_H_ */
