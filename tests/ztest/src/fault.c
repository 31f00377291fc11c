/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An expected fatal error ends its test as passed. test_fault_1_panic flips sstatus.SIE and
 * panics; test_fault_2_report (next, by name) checks the report the kernel kept and that the
 * jump back to the runner gave SIE back the value the runner had. test_fault_3_cpu_exception
 * does the same with a trap (an illegal instruction), whose handler runs on the test's stack.
 * test_fault_5_other_thread: a fault declared valid that happens in another thread aborts
 * that thread, and the test goes on.
 */
#include <inox/ztest.h>
#include <inox/arch/riscv/csr.h>

static bool panicked;
static bool trapped;
static unsigned long runner_sie;

ZTEST_SUITE(ztest_fault, NULL, NULL, NULL, NULL, NULL);

ZTEST(ztest_fault, test_fault_1_panic)
{
	runner_sie = csr_read(sstatus) & SSTATUS_SIE;
	if (runner_sie != 0) {
		csr_clear(sstatus, SSTATUS_SIE);
	} else {
		/* Only safe if no interrupt source is enabled. */
		zassume_equal(csr_read(sie), 0, "interrupt sources enabled with SIE clear");
		csr_set(sstatus, SSTATUS_SIE);
	}
	ztest_set_fault_valid(true);
	panicked = true;
	panic("deliberate panic %d from %s", 42, __func__);
	zassert_unreachable("panic() returned");
}

ZTEST(ztest_fault, test_fault_2_report)
{
	const char *report = z_fatal_last_report();

	zassume_true(panicked, "test_fault_1_panic did not run");
	zassert_equal(csr_read(sstatus) & SSTATUS_SIE, runner_sie,
		      "sstatus.SIE not restored by the jump back to the runner");
	zassert_not_null(strstr(report, "deliberate panic 42 from ztest_fault_test_fault_1_panic"),
			 "report: %s", report);
	zassert_fatal_report_expected();
	zassert_equal(z_ztest_stats_ztest_fault_test_fault_1_panic.pass_count, 1,
		      "an expected fault did not count as a pass");
}

ZTEST(ztest_fault, test_fault_3_cpu_exception)
{
	ztest_set_fault_valid(true);
	trapped = true;
	__asm__ volatile("unimp");
	zassert_unreachable("an illegal instruction did not trap");
}

ZTEST(ztest_fault, test_fault_4_cpu_report)
{
	const char *report = z_fatal_last_report();

	zassume_true(trapped, "test_fault_3_cpu_exception did not run");
	zassert_not_null(strstr(report, "Illegal instruction"), "report: %s", report);
	zassert_fatal_report_expected();
	zassert_equal(z_ztest_stats_ztest_fault_test_fault_3_cpu_exception.pass_count, 1,
		      "an expected trap did not count as a pass");
}

K_THREAD_STACK_DEFINE(faulty_stack, 4096);
static struct k_thread faulty;
static volatile bool after_fault;

static void faulty_entry(void *p1, void *p2, void *p3)
{
	__asm__ volatile("unimp");
	after_fault = true; /* never: the thread is aborted at the trap */
}

ZTEST(ztest_fault, test_fault_5_other_thread)
{
	const char *report;

	ztest_set_fault_valid(true);
	k_thread_create(&faulty, faulty_stack, K_THREAD_STACK_SIZEOF(faulty_stack), faulty_entry,
			NULL, NULL, NULL, 5, 0, K_FOREVER);
	k_thread_name_set(&faulty, "faulty");
	k_thread_start(&faulty);
	zassert_ok(k_thread_join(&faulty, K_SECONDS(5)), "the faulting thread did not end");
	zassert_false(after_fault, "the thread ran on after its fault");
	report = z_fatal_last_report();
	zassert_not_null(strstr(report, "Illegal instruction"), "report: %s", report);
	zassert_not_null(strstr(report, "thread 'faulty'"), "report: %s", report);
	zassert_fatal_report_expected();
}
