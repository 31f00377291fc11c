# SPDX-License-Identifier: Apache-2.0
"""Every public DT_* macro of include/inox/devicetree.h, checked against a fixture devicetree.

gen_dts.py turns tests/scripts/dts_fixtures/good.dts into devicetree_generated.h; CHECKS below
is compiled with the host's gcc (_Static_assert for what is a constant, a runtime check for
strings and arrays) and run. The test also makes sure that every macro the header defines is
both used in CHECKS and listed in doc/devicetree.md, so a macro added without a check or a doc
line fails here.

Run: /usr/bin/python3 -m pytest tests/scripts/test_devicetree_api.py
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(HERE, "dts_fixtures")
HEADER = os.path.join(TOP, "include", "inox", "devicetree.h")
DOC = os.path.join(TOP, "doc", "devicetree.md")
HOST_CC = shutil.which("gcc")

pytestmark = pytest.mark.skipif(HOST_CC is None, reason="needs the host's gcc")

CHECKS = r"""
#include <stdio.h>
#include <string.h>
#include <inox/devicetree.h>

#define U    DT_NODELABEL(uart0)
#define U2   DT_NODELABEL(uart2)
#define RTC  DT_NODELABEL(rtc)
#define INTC DT_NODELABEL(intc)
#define SOC  DT_PATH(soc)
#define CPUS DT_PATH(cpus)

/* -- node identifiers -- */
_Static_assert(DT_SAME_NODE(DT_ROOT, DT_N), "DT_ROOT");
_Static_assert(DT_SAME_NODE(DT_CHOSEN(inox_console), U), "DT_CHOSEN");
_Static_assert(DT_SAME_NODE(DT_ALIAS(serial0), U), "DT_ALIAS");
_Static_assert(DT_SAME_NODE(DT_PATH(soc, serial_10000000), U), "DT_PATH");
_Static_assert(DT_SAME_NODE(DT_INST(1, ns16550), U2), "DT_INST");
_Static_assert(DT_SAME_NODE(DT_PARENT(U), SOC), "DT_PARENT");
_Static_assert(DT_SAME_NODE(DT_GPARENT(DT_NODELABEL(cpu0_intc)), CPUS), "DT_GPARENT");
_Static_assert(DT_SAME_NODE(DT_CHILD(SOC, rtc_101000), RTC), "DT_CHILD");
_Static_assert(DT_SAME_NODE(DT_COMPAT_GET_ANY_STATUS_OKAY(vnd_rtc), RTC), "any okay");
_Static_assert(!DT_SAME_NODE(U, U2), "DT_SAME_NODE of two nodes");
_Static_assert(DT_NODE_CHILD_IDX(RTC) == 5 && DT_NODE_CHILD_IDX(SOC) == 1, "child index");
_Static_assert(DT_DEP_ORD(SOC) < DT_DEP_ORD(U) && DT_DEP_ORD(INTC) < DT_DEP_ORD(U) &&
	       DT_DEP_ORD(DT_NODELABEL(clk)) < DT_DEP_ORD(U), "parents and providers first");
_Static_assert(DT_DEP_ORD(RTC) < DT_DEP_ORD(DT_NODELABEL(poweroff)), "regmap provider first");
static const int requires[] = {DT_REQUIRES_DEP_ORDS(RTC)};
static const int supports[] = {DT_SUPPORTS_DEP_ORDS(RTC)};
_Static_assert(DT_NUM_NODELABELS(RTC) == 2 && DT_NUM_NODELABELS(SOC) == 0, "labels");
#define LABEL_LEN(label) + sizeof(#label) - 1
_Static_assert((0 DT_FOREACH_NODELABEL(RTC, LABEL_LEN)) == 7, "rtc + rtc0");
#define LABEL_LEN_TIMES(label, n) + (sizeof(#label) - 1) * n
_Static_assert((0 DT_FOREACH_NODELABEL_VARGS(RTC, LABEL_LEN_TIMES, 2)) == 14, "");
static const char *const rtc_labels[] = DT_NODELABEL_STRING_ARRAY(RTC);

/* -- existence, status, compatibles -- */
_Static_assert(DT_NODE_EXISTS(U) && !DT_NODE_EXISTS(DT_NODELABEL(nothing)), "");
_Static_assert(DT_HAS_CHOSEN(inox_console) && !DT_HAS_CHOSEN(inox_shell), "");
_Static_assert(DT_HAS_ALIAS(serial0) && !DT_HAS_ALIAS(serial9), "");
_Static_assert(DT_NODE_HAS_STATUS(DT_NODELABEL(uart1), disabled), "");
_Static_assert(DT_NODE_HAS_STATUS_OKAY(U) && !DT_NODE_HAS_STATUS_OKAY(DT_NODELABEL(uart1)), "");
_Static_assert(DT_NODE_HAS_COMPAT(U, vnd_uart_v2) && !DT_NODE_HAS_COMPAT(U, riscv), "");
_Static_assert(DT_NODE_HAS_COMPAT_STATUS(DT_NODELABEL(uart1), ns16550, disabled) &&
	       !DT_NODE_HAS_COMPAT_STATUS(U, ns16550, disabled) &&
	       !DT_NODE_HAS_COMPAT_STATUS(U, riscv, okay), "");
_Static_assert(DT_HAS_COMPAT_STATUS_OKAY(ns16550) && !DT_HAS_COMPAT_STATUS_OKAY(vnd_unused), "");
_Static_assert(DT_NUM_INST_STATUS_OKAY(ns16550) == 2 && DT_NUM_INST_STATUS_OKAY(nope) == 0, "");

/* -- properties -- */
_Static_assert(DT_PROP(U, reg_shift) == 2, "");
_Static_assert(DT_NODE_HAS_PROP(U, reg_shift) && !DT_NODE_HAS_PROP(U, clock_frequency), "");
_Static_assert(DT_PROP_OR(U, clock_frequency, 7) == 7, "");
_Static_assert(DT_PROP_LEN(U, vnd_ranges) == 3, "");
_Static_assert(DT_PROP_LEN_OR(U, vnd_mac, 9) == 9, "");
_Static_assert(DT_PROP_HAS_IDX(U, vnd_ranges, 2) && !DT_PROP_HAS_IDX(U, vnd_ranges, 3), "");
_Static_assert(DT_PROP_BY_IDX(U, vnd_ranges, 1) == 2, "");
_Static_assert(DT_PROP_LAST(U, vnd_ranges) == 3, "");
_Static_assert(DT_ENUM_IDX(U, reg_shift) == 1, "");
_Static_assert(DT_ENUM_IDX_OR(U, reg_io_width, 5) == 5, "");
int DT_STRING_TOKEN(U, label) = 1, DT_STRING_UPPER_TOKEN(DT_NODELABEL(uart0), label) = 2;
int DT_STRING_TOKEN_OR(U, vnd_mode, no_mode) = 3;
int DT_STRING_UPPER_TOKEN_OR(U, vnd_mode, NO_MODE) = 4;
int DT_STRING_TOKEN_BY_IDX(U, vnd_names, 1) = 5, DT_STRING_UPPER_TOKEN_BY_IDX(U, vnd_names, 0) = 6;
#define STR(x) STR_(x)
#define STR_(x) #x
static const char unquoted[] = STR(DT_STRING_UNQUOTED(U, label));
static const char unquoted_or[] = STR(DT_STRING_UNQUOTED_OR(U, vnd_mode, none));
static const char unquoted_idx[] = STR(DT_STRING_UNQUOTED_BY_IDX(U, vnd_names, 1));
#define ELEM(node_id, prop, idx) + DT_PROP_BY_IDX(node_id, prop, idx)
_Static_assert((0 DT_FOREACH_PROP_ELEM(U, vnd_ranges, ELEM)) == 6, "");
#define ELEM_TIMES(node_id, prop, idx, n) + DT_PROP_BY_IDX(node_id, prop, idx) * n
_Static_assert((0 DT_FOREACH_PROP_ELEM_VARGS(U, vnd_ranges, ELEM_TIMES, 10)) == 60, "");
#define ELEM_VAL(node_id, prop, idx) DT_PROP_BY_IDX(node_id, prop, idx)
static const int ranges[] = {DT_FOREACH_PROP_ELEM_SEP(U, vnd_ranges, ELEM_VAL, (,))};
#define ELEM_VAL_PLUS(node_id, prop, idx, n) DT_PROP_BY_IDX(node_id, prop, idx) + n
static const int ranges1[] = {DT_FOREACH_PROP_ELEM_SEP_VARGS(U, vnd_ranges, ELEM_VAL_PLUS, (,), 1)};

/* -- phandles -- */
_Static_assert(DT_SAME_NODE(DT_PHANDLE(DT_NODELABEL(poweroff), regmap), RTC), "");
_Static_assert(DT_SAME_NODE(DT_PHANDLE_BY_IDX(U, clocks, 1), DT_NODELABEL(clk)), "");
_Static_assert(DT_SAME_NODE(DT_PHANDLE_BY_NAME(U, clocks, bus), DT_NODELABEL(clk)), "");
_Static_assert(DT_PHA(U, clocks, id) == 3 && DT_PHA_BY_IDX(U, clocks, 1, id) == 7, "");
_Static_assert(DT_PHA_BY_NAME(U, clocks, bus, id) == 7, "");
_Static_assert(DT_PHA_HAS_CELL(U, clocks, id) && !DT_PHA_HAS_CELL(U, clocks, rate), "");
_Static_assert(DT_PHA_HAS_CELL_AT_IDX(U, clocks, 1, id) &&
	       !DT_PHA_HAS_CELL_AT_IDX(U, clocks, 2, id), "");
_Static_assert(DT_PHA_OR(U, clocks, rate, 11) == 11 && DT_PHA_OR(U, clocks, id, 11) == 3, "");
_Static_assert(DT_PHA_BY_IDX_OR(U, clocks, 1, id, 0) == 7, "");
static const char *const rtc_compat[] = DT_PROP_BY_PHANDLE(DT_NODELABEL(poweroff), regmap,
							   compatible);
static const char *const clk_compat[] = DT_PROP_BY_PHANDLE_IDX(U, clocks, 1, compatible);
_Static_assert(DT_PROP_BY_PHANDLE_IDX_OR(U, clocks, 0, no_such, 42) == 42, "");

/* -- reg -- */
_Static_assert(DT_NUM_REGS(U2) == 2, "");
_Static_assert(DT_REG_HAS_IDX(U2, 1) && !DT_REG_HAS_IDX(U2, 2), "");
_Static_assert(DT_REG_HAS_NAME(U2, fifo) && !DT_REG_HAS_NAME(U2, nope), "");
_Static_assert(DT_REG_ADDR(U) == 0x10000000 && DT_REG_SIZE(U) == 0x100, "");
_Static_assert(DT_REG_ADDR_BY_IDX(U2, 1) == 0x100000000 && DT_REG_SIZE_BY_IDX(U2, 1) == 0x1000, "");
_Static_assert(DT_REG_ADDR_BY_NAME(U2, fifo) == 0x100000000, "");
_Static_assert(DT_REG_SIZE_BY_NAME(U2, regs) == 0x100, "");
_Static_assert(sizeof(DT_REG_ADDR_U64(U)) == 8 && DT_REG_ADDR_U64(U) == 0x10000000ULL, "");
_Static_assert(DT_REG_ADDR_BY_IDX_U64(U2, 1) == 0x100000000ULL, "");
_Static_assert(sizeof(DT_REG_ADDR_BY_NAME_U64(U2, regs)) == 8, "");

/* -- interrupts -- */
_Static_assert(DT_NUM_IRQS(U2) == 2 && DT_IRQ_HAS_IDX(U2, 1) && !DT_IRQ_HAS_IDX(U2, 2), "");
_Static_assert(DT_IRQ_HAS_CELL(U, priority) && !DT_IRQ_HAS_CELL(U, flags), "");
_Static_assert(DT_IRQ_HAS_CELL_AT_IDX(U2, 1, irq) && !DT_IRQ_HAS_CELL_AT_IDX(U2, 2, irq), "");
_Static_assert(DT_IRQ_HAS_NAME(U2, rx) && !DT_IRQ_HAS_NAME(U2, err), "");
_Static_assert(DT_IRQN(U) == 10 && DT_IRQN_BY_IDX(U2, 1) == 13, "");
_Static_assert(DT_IRQ(U, priority) == 1 && DT_IRQ_BY_IDX(U2, 1, priority) == 4, "");
_Static_assert(DT_IRQ_BY_NAME(U2, tx, irq) == 12, "");
_Static_assert(DT_SAME_NODE(DT_IRQ_INTC(U), INTC), "");
_Static_assert(DT_SAME_NODE(DT_IRQ_INTC_BY_IDX(INTC, 1), DT_NODELABEL(cpu0_intc)), "");

/* -- iteration -- */
#define ONE(node_id) + 1
#define ONE_VARGS(node_id, n) + n
#define ORD(node_id) DT_DEP_ORD(node_id)
_Static_assert((0 DT_FOREACH_NODE(ONE)) == 19, "every node");
_Static_assert((0 DT_FOREACH_NODE_VARGS(ONE_VARGS, 2)) == 38, "");
_Static_assert((0 DT_FOREACH_STATUS_OKAY_NODE(ONE)) == 17, "cpu@3 and uart1 are disabled");
_Static_assert((0 DT_FOREACH_STATUS_OKAY_NODE_VARGS(ONE_VARGS, 3)) == 51, "");
#define ORD_COMMA(node_id) DT_DEP_ORD(node_id),
static const int ords[] = {DT_FOREACH_NODE(ORD_COMMA)};
_Static_assert((0 DT_FOREACH_CHILD(CPUS, ONE)) == 4 && DT_CHILD_NUM(CPUS) == 4, "");
_Static_assert((0 DT_FOREACH_CHILD_VARGS(CPUS, ONE_VARGS, 5)) == 20, "");
_Static_assert((0 DT_FOREACH_CHILD_STATUS_OKAY(CPUS, ONE)) == 3, "");
_Static_assert((0 DT_FOREACH_CHILD_STATUS_OKAY_VARGS(CPUS, ONE_VARGS, 5)) == 15, "");
_Static_assert(DT_CHILD_NUM_STATUS_OKAY(SOC) == 5, "");
static const int cpu_ords[] = {DT_FOREACH_CHILD_SEP(CPUS, ORD, (,))};
#define ORD_PLUS(node_id, n) DT_DEP_ORD(node_id) + n
static const int cpu_ords1[] = {DT_FOREACH_CHILD_SEP_VARGS(CPUS, ORD_PLUS, (,), 1)};
static const int okay_cpu_ords[] = {DT_FOREACH_CHILD_STATUS_OKAY_SEP(CPUS, ORD, (,))};
static const int okay_cpu_ords1[] = {DT_FOREACH_CHILD_STATUS_OKAY_SEP_VARGS(CPUS, ORD_PLUS, (,), 1)};
_Static_assert((0 DT_FOREACH_STATUS_OKAY(ns16550, ONE)) == 2, "");
_Static_assert((0 DT_FOREACH_STATUS_OKAY_VARGS(ns16550, ONE_VARGS, 4)) == 8, "");
#define SIZE(node_id) + DT_REG_SIZE(node_id)
_Static_assert((0 DT_MEMORY_FOREACH(SIZE)) == 0x110000000 && DT_NUM_MEMORY == 2, "");

/* -- instances of DT_DRV_COMPAT -- */
#define DT_DRV_COMPAT ns16550
_Static_assert(DT_SAME_NODE(DT_DRV_INST(0), U) && DT_SAME_NODE(DT_INST_PARENT(0), SOC), "");
_Static_assert(DT_SAME_NODE(DT_INST_GPARENT(0), DT_ROOT) && DT_INST_DEP_ORD(0) == DT_DEP_ORD(U), "");
_Static_assert(DT_INST_EXISTS(2) && !DT_INST_EXISTS(3), "uart1, disabled, is instance 2");
_Static_assert(DT_INST_NODE_HAS_STATUS_OKAY(1) && !DT_INST_NODE_HAS_STATUS_OKAY(2), "");
_Static_assert(DT_INST_NODE_HAS_COMPAT(0, vnd_uart_v2) && !DT_INST_NODE_HAS_COMPAT(1, vnd_uart_v2), "");
_Static_assert(DT_INST_NODE_HAS_PROP(0, vnd_ranges) && !DT_INST_NODE_HAS_PROP(1, vnd_ranges), "");
_Static_assert(DT_INST_PROP(0, reg_shift) == 2 && DT_INST_PROP_OR(1, current_speed, 9600) == 9600, "");
_Static_assert(DT_INST_PROP_LEN(0, vnd_ranges) == 3 && DT_INST_PROP_LEN_OR(1, vnd_ranges, 0) == 0, "");
_Static_assert(DT_INST_PROP_BY_IDX(0, vnd_ranges, 0) == 1 && DT_INST_PROP_LAST(0, vnd_ranges) == 3, "");
_Static_assert(DT_INST_PROP_HAS_IDX(0, vnd_ranges, 0) && !DT_INST_PROP_HAS_IDX(1, vnd_ranges, 0), "");
_Static_assert(DT_INST_ENUM_IDX(0, reg_shift) == 1 && DT_INST_ENUM_IDX_OR(0, reg_io_width, 3) == 3, "");
static int *const inst_tokens[] = {&DT_INST_STRING_TOKEN(0, label),
				   &DT_INST_STRING_UPPER_TOKEN(0, label)};
int DT_INST_STRING_TOKEN_OR(1, label, inst1_label) = 9;
static const char inst_unquoted[] = STR(DT_INST_STRING_UNQUOTED(0, label));
_Static_assert(DT_SAME_NODE(DT_INST_PHANDLE(0, clocks), DT_NODELABEL(clk)), "");
_Static_assert(DT_SAME_NODE(DT_INST_PHANDLE_BY_IDX(0, clocks, 1), DT_NODELABEL(clk)), "");
_Static_assert(DT_SAME_NODE(DT_INST_PHANDLE_BY_NAME(0, clocks, core), DT_NODELABEL(clk)), "");
_Static_assert(DT_INST_PHA(0, clocks, id) == 3 && DT_INST_PHA_BY_IDX(0, clocks, 1, id) == 7, "");
_Static_assert(DT_INST_PHA_BY_NAME(0, clocks, bus, id) == 7 && DT_INST_PHA_HAS_CELL(0, clocks, id), "");
static const char *const inst_clk_compat[] = DT_INST_PROP_BY_PHANDLE(0, clocks, compatible);
_Static_assert(DT_INST_NUM_REGS(1) == 2 && DT_INST_REG_HAS_IDX(1, 1) && DT_INST_REG_HAS_NAME(1, fifo), "");
_Static_assert(DT_INST_REG_ADDR(0) == 0x10000000 && DT_INST_REG_SIZE(0) == 0x100, "");
_Static_assert(DT_INST_REG_ADDR_BY_IDX(1, 1) == 0x100000000 && DT_INST_REG_SIZE_BY_IDX(1, 1) == 0x1000, "");
_Static_assert(DT_INST_REG_ADDR_BY_NAME(1, regs) == 0x10002000 && DT_INST_REG_SIZE_BY_NAME(1, fifo) == 0x1000, "");
_Static_assert(DT_INST_REG_ADDR_U64(0) == 0x10000000ULL, "");
_Static_assert(DT_INST_NUM_IRQS(1) == 2 && DT_INST_IRQ_HAS_IDX(1, 1) && DT_INST_IRQ_HAS_CELL(0, priority), "");
_Static_assert(DT_INST_IRQ_HAS_NAME(1, rx) && DT_INST_IRQ_BY_NAME(1, rx, irq) == 13, "");
_Static_assert(DT_INST_IRQN(0) == 10 && DT_INST_IRQN_BY_IDX(1, 1) == 13, "");
_Static_assert(DT_INST_IRQ(0, priority) == 1 && DT_INST_IRQ_BY_IDX(1, 1, priority) == 4, "");
_Static_assert(DT_INST_CHILD_NUM(0) == 0 && DT_INST_CHILD_NUM_STATUS_OKAY(0) == 0, "");
_Static_assert((0 DT_INST_FOREACH_CHILD(0, ONE)) == 0, "");
_Static_assert((0 DT_INST_FOREACH_CHILD_VARGS(0, ONE_VARGS, 1)) == 0, "");
_Static_assert((0 DT_INST_FOREACH_CHILD_STATUS_OKAY(0, ONE)) == 0, "");
static const int no_children[] = {DT_INST_FOREACH_CHILD_SEP(0, ORD, (,)) 0};
_Static_assert((0 DT_INST_FOREACH_PROP_ELEM(0, vnd_ranges, ELEM)) == 6, "");
_Static_assert(DT_NUM_INST_STATUS_OKAY_DRV() == 2 && DT_HAS_DRV_INST_STATUS_OKAY(), "");
#define INST_ONE(inst) + 1
#define INST_ONE_VARGS(inst, n) + n
_Static_assert((0 DT_INST_FOREACH_STATUS_OKAY(INST_ONE)) == 2, "");
_Static_assert((0 DT_INST_FOREACH_STATUS_OKAY_VARGS(INST_ONE_VARGS, 3)) == 6, "");
#if !DT_ANY_INST_HAS_PROP_STATUS_OKAY(vnd_ranges) || DT_ANY_INST_HAS_PROP_STATUS_OKAY(vnd_mac)
#error "DT_ANY_INST_HAS_PROP_STATUS_OKAY"
#endif
_Static_assert(DT_ANY_INST_HAS_PROP_STATUS_OKAY(reg_shift) == 1, "a binding default counts");

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

int main(void)
{
	static const char *const compat[] = DT_PROP(U, compatible);

	check(!strcmp(DT_NODE_PATH(U), "/soc/serial@10000000"), "DT_NODE_PATH");
	check(!strcmp(DT_NODE_FULL_NAME(U), "serial@10000000"), "DT_NODE_FULL_NAME");
	check(!strcmp(DT_NODE_NAME(U), "serial"), "DT_NODE_NAME");
	char sortable[8];

	snprintf(sortable, sizeof(sortable), "%05d", DT_DEP_ORD(RTC));
	check(!strcmp(STR(DT_DEP_ORD_STR_SORTABLE(RTC)), sortable), "DT_DEP_ORD_STR_SORTABLE");
	check(!strcmp(rtc_compat[0], "vnd,rtc") && !strcmp(clk_compat[0], "vnd,clk") &&
	      !strcmp(inst_clk_compat[0], "vnd,clk"), "DT_PROP_BY_PHANDLE*");
	check(requires[0] == DT_DEP_ORD(SOC) && sizeof(requires) == sizeof(int),
	      "DT_REQUIRES_DEP_ORDS: the parent only");
	check(supports[0] == DT_DEP_ORD(DT_NODELABEL(poweroff)) && sizeof(supports) == sizeof(int),
	      "DT_SUPPORTS_DEP_ORDS: the poweroff node's regmap");
	check(!strcmp(rtc_labels[0], "rtc") && !strcmp(rtc_labels[1], "rtc0"),
	      "DT_NODELABEL_STRING_ARRAY");
	check(!strcmp(compat[1], "ns16550") && !strcmp(DT_PROP_LAST(U, compatible), "ns16550"),
	      "string-array DT_PROP, DT_PROP_LAST");
	check(!strcmp(DT_PROP_BY_IDX(U, vnd_names, 1), "second-one"), "DT_PROP_BY_IDX");
	check(!strcmp(unquoted, "UART_0") && !strcmp(unquoted_or, "none") &&
	      !strcmp(unquoted_idx, "second-one") && !strcmp(inst_unquoted, "UART_0"),
	      "DT_STRING_UNQUOTED*");
	check(uart_0 + UART_0 + no_mode + NO_MODE + second_one + FIRST == 21 &&
	      inst_tokens[0] == &uart_0 && inst_tokens[1] == &UART_0 && inst1_label == 9,
	      "DT_STRING_*TOKEN*");
	check(ranges[0] == 1 && ranges[2] == 3 && ranges1[2] == 4, "DT_FOREACH_PROP_ELEM_SEP*");
	check(sizeof(ords) / sizeof(ords[0]) == 19, "DT_FOREACH_NODE");
	for (unsigned int i = 0; i < sizeof(ords) / sizeof(ords[0]); i++) {
		check(ords[i] == (int)i, "DT_FOREACH_NODE in dependency order");
	}
	check(sizeof(cpu_ords) == 4 * sizeof(int) && cpu_ords1[0] == cpu_ords[0] + 1 &&
	      sizeof(okay_cpu_ords) == 3 * sizeof(int) &&
	      okay_cpu_ords1[2] == okay_cpu_ords[2] + 1, "DT_FOREACH_CHILD*_SEP*");
	check(sizeof(no_children) == sizeof(int), "DT_INST_FOREACH_CHILD_SEP");
	printf("%d failures\n", failures);
	return failures != 0;
}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("dt")
    res = subprocess.run([sys.executable, os.path.join(TOP, "scripts", "dts", "gen_dts.py"),
                          "--dts", os.path.join(FIX, "good.dts"), "--out-dir", str(out),
                          "--include-dir", os.path.join(FIX, "include"),
                          "--bindings-dir", os.path.join(FIX, "bindings")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return out


def public_macros():
    with open(HEADER, encoding="utf-8") as f:
        return sorted(set(re.findall(r"^#define (DT_[A-Z0-9_]+)", f.read(), re.M)))


def test_every_macro_compiles_and_holds(generated, tmp_path):
    src = tmp_path / "checks.c"
    src.write_text(CHECKS)
    exe = tmp_path / "checks"
    res = subprocess.run([HOST_CC, "-std=gnu11", "-Wall", "-Werror", "-Wno-unused-variable",
                          "-Wno-unused-const-variable", "-I", os.path.join(TOP, "include"),
                          "-I", str(generated / "include"), "-o", str(exe), str(src)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0 and run.stdout.splitlines()[-1] == "0 failures", run.stdout


def test_every_macro_is_checked_and_documented():
    with open(DOC, encoding="utf-8") as f:
        doc = f.read()
    unchecked = [m for m in public_macros() if not re.search(rf"\b{m}\b", CHECKS)]
    undocumented = [m for m in public_macros() if f"`{m}" not in doc]
    assert not unchecked, f"not checked in CHECKS: {unchecked}"
    assert not undocumented, f"not in doc/devicetree.md: {undocumented}"
