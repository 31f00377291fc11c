/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel faults and their reports: a NULL load, a store to kernel text and a jump into data
 * (W^X), and a stack overflow caught by the guard page. Each fault test declares the fault
 * valid, faults, and ztest ends it as passed; the test after it (by name) reads the report
 * the kernel kept (z_fatal_last_report()) and checks what it says.
 *
 * Every fault happens on the test's own call path, on purpose: ztest recovers from an
 * expected fault by a longjmp back to its runner, which is only possible from the stack the
 * runner itself runs on (the main thread's; it has a guard page like every thread stack).
 * A fault in another thread would jump across stacks into a thread that is not running.
 */
#include <inox/ztest.h>

/* Read through a volatile, so the compiler cannot see the NULL and drop the load. */
static volatile int *volatile null_ptr;
static volatile uintptr_t text_addr;
static volatile int helper_depth;

ZTEST_SUITE(fatal, NULL, NULL, NULL, NULL, NULL);

/* -- NULL dereference ------------------------------------------------------------------------ */

__noinline int fatal_load_helper(volatile int *p)
{
	return *p + 1;
}

ZTEST(fatal, test_1a_null_deref)
{
	ztest_set_fault_valid(true);
	helper_depth = fatal_load_helper(null_ptr);
	zassert_unreachable("a load from NULL did not fault");
}

ZTEST(fatal, test_1b_null_deref_report)
{
	zassert_fatal_report_expected();
	zassert_fatal_report_has("Load page fault in kernel mode");
	zassert_fatal_report_has("thread 'main'");
	zassert_fatal_report_has("stval 0x0000000000000000");
	/* sepc names the faulting function; the backtrace goes on to the test. */
	zassert_fatal_report_has("sepc  0x");
	zassert_fatal_report_has(" <fatal_load_helper+0x");
	zassert_fatal_report_has("Backtrace:");
	/* The test body may be inlined into ztest's wrapper, z_ztest_wrapper_fatal_test_... */
	zassert_fatal_report_has("fatal_test_1a_null_deref+0x");
	zassert_is_null(strstr(z_fatal_last_report(), "stack overflow"), "a NULL load is not one");
}

/* -- W^X: kernel text is not writable, data is not executable ------------------------------ */

__noinline int fatal_text_target(void)
{
	return 42;
}

ZTEST(fatal, test_2a_store_to_text)
{
	text_addr = (uintptr_t)fatal_text_target;
	ztest_set_fault_valid(true);
	*(volatile uint32_t *)text_addr = 0;
	zassert_unreachable("a store to kernel text did not fault");
}

ZTEST(fatal, test_2b_store_to_text_report)
{
	char stval[40];

	zassert_fatal_report_expected();
	zassert_fatal_report_has("Store/AMO page fault in kernel mode");
	snprintk(stval, sizeof(stval), "stval 0x%016lx", (unsigned long)text_addr);
	zassert_fatal_report_has(stval);
	zassert_fatal_report_has("fatal_test_2a_store_to_text+0x");
	zassert_equal(fatal_text_target(), 42, "the text was changed");
}

/* A `ret` instruction in a data array. */
static uint32_t data_code[] = {0x00008067};

ZTEST(fatal, test_3a_exec_data)
{
	int (*fn)(void) = (int (*)(void))(uintptr_t)data_code;

	ztest_set_fault_valid(true);
	helper_depth = fn();
	zassert_unreachable("a jump into data did not fault");
}

ZTEST(fatal, test_3b_exec_data_report)
{
	char sepc[40];

	zassert_fatal_report_expected();
	zassert_fatal_report_has("Instruction page fault in kernel mode");
	/* A data address is printed bare, not as an offset from the last function. */
	snprintk(sepc, sizeof(sepc), "sepc  0x%016lx\n", (unsigned long)(uintptr_t)data_code);
	zassert_fatal_report_has(sepc);
	zassert_fatal_report_has("fatal_test_3a_exec_data+0x");
}

/* -- Stack overflow ------------------------------------------------------------------------ */

/* Recurses with 1 KiB of live, volatile locals per level until the stack runs out. */
__noinline int fatal_overflow_helper(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	helper_depth = depth;
	if (depth > 1000000) {
		return 0;
	}
	return fatal_overflow_helper(depth + 1) + frame[0] + frame[sizeof(frame) - 1];
}

ZTEST(fatal, test_4a_stack_overflow)
{
	helper_depth = 0;
	ztest_set_fault_valid(true);
	fatal_overflow_helper(0);
	zassert_unreachable("recursion without end did not overflow");
}

ZTEST(fatal, test_4b_stack_overflow_report)
{
	k_tid_t self = k_current_get();
	char guard[40];

	zassert_fatal_report_expected();
	zassert_fatal_report_has("kernel stack overflow in thread 'main'");
	snprintk(guard, sizeof(guard), "guard page at 0x%lx", (unsigned long)self->stack_guard);
	zassert_fatal_report_has(guard);
	zassert_fatal_report_has(" <fatal_overflow_helper+0x");
	/* About CONFIG_MAIN_STACK_SIZE / 1 KiB levels deep: the guard stopped it, not luck. */
	zassert_true(helper_depth > 4 && helper_depth < CONFIG_MAIN_STACK_SIZE / 1024 + 2,
		     "overflowed at depth %d", helper_depth);
	/* The stack is usable again after the jump back. */
	zassert_equal(fatal_load_helper(&helper_depth), helper_depth + 1);
}
