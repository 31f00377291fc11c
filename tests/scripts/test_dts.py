# SPDX-License-Identifier: Apache-2.0
"""Tests for scripts/dts/gen_dts.py and include/inox/devicetree.h.

Run: /usr/bin/python3 -m pytest tests/scripts/test_dts.py

The good-input tests compile C files full of _Static_assert()s against the
generated header with the cross compiler, so a wrong macro fails the build,
not just a string match. The bad-input tests check that every error is one
line on stderr starting with "error: devicetree: ", exit status 1, and no
traceback.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEN = os.path.join(TOP, "scripts", "dts", "gen_dts.py")
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dts_fixtures")
BINDINGS = os.path.join(FIX, "bindings")
CC = shutil.which("riscv64-unknown-elf-gcc") or shutil.which("gcc")


def gen(out, dts, overlays=(), bindings=(BINDINGS,), includes=(os.path.join(FIX, "include"),)):
    cmd = [sys.executable, GEN, "--dts", str(dts), "--out-dir", str(out)]
    for o in overlays:
        cmd += ["--overlay", str(o)]
    for d in includes:
        cmd += ["--include-dir", str(d)]
    for d in bindings:
        cmd += ["--bindings-dir", str(d)]
    return subprocess.run(cmd, capture_output=True, text=True)


def compile_c(out, body, tmp_path, name="t.c"):
    """Compile body (after #include <inox/devicetree.h>) against out's header."""
    src = tmp_path / name
    src.write_text("#include <inox/devicetree.h>\n" + body)
    return subprocess.run([CC, "-std=gnu11", "-Wall", "-Werror", "-c", "-o", os.devnull,
                           "-I", os.path.join(TOP, "include"),
                           "-I", os.path.join(str(out), "include"), str(src)],
                          capture_output=True, text=True)


def assert_compiles(out, body, tmp_path):
    res = compile_c(out, body, tmp_path)
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    out = tmp_path_factory.mktemp("good")
    res = gen(out, os.path.join(FIX, "good.dts"))
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def overlaid(tmp_path_factory):
    out = tmp_path_factory.mktemp("overlaid")
    res = gen(out, os.path.join(FIX, "good.dts"), overlays=[os.path.join(FIX, "overlay.dts")])
    assert res.returncode == 0, res.stderr
    return out


# -- good input ------------------------------------------------------------------

def test_outputs_exist(good):
    for f in ("inox.dts.in", "inox.dts.pre", "inox.dtb", "inox.dts", "dts.deps", "Kconfig.dts",
              "include/generated/devicetree_generated.h"):
        assert (good / f).is_file(), f
    pre = (good / "inox.dts.pre").read_text()
    assert '# 1 "' in pre, "cpp line markers are needed for dtc's file:line messages"
    merged = (good / "inox.dts").read_text()
    assert "uart0: serial@10000000" in merged


def test_deps_list_every_input(good):
    deps = (good / "dts.deps").read_text().splitlines()
    assert all(os.path.isabs(d) for d in deps)
    for want in ("good.dts", "vnd/soc.dtsi", "vnd/irq.h", "bindings/ns16550.yaml",
                 "bindings/uart-common.yaml", "bindings/base.yaml"):
        assert any(d.endswith(want) for d in deps), want
    assert not any(d.endswith("inox.dts.in") for d in deps)


def test_node_ids_reg_and_props(good, tmp_path):
    assert_compiles(good, r"""
#define U DT_NODELABEL(uart0)
_Static_assert(DT_REG_ADDR(U) == 0x10000000, "reg address");
_Static_assert(DT_REG_SIZE(U) == 0x100, "reg size");
_Static_assert(DT_REG_ADDR(DT_PATH(soc, serial_10000000)) == 0x10000000, "DT_PATH");
_Static_assert(DT_NUM_REGS(DT_NODELABEL(uart2)) == 2, "two reg entries");
_Static_assert(DT_REG_ADDR_BY_IDX(DT_NODELABEL(uart2), 1) == 0x100000000, "64-bit address");
_Static_assert(DT_REG_SIZE_BY_NAME(DT_NODELABEL(uart2), fifo) == 0x1000, "reg-names");
_Static_assert(DT_REG_SIZE(DT_NODELABEL(ram0)) == 0x100000000, "4 GiB size, not truncated");
_Static_assert(sizeof(DT_REG_SIZE(DT_NODELABEL(ram0))) == 8, "64-bit type");
_Static_assert(DT_PROP(U, reg_shift) == 2, "int property");
_Static_assert(DT_PROP(U, current_speed) == 115200, "set by a board &label { } block");
_Static_assert(DT_PROP(DT_NODELABEL(uart2), reg_shift) == 0, "binding default");
_Static_assert(DT_PROP_OR(U, clock_frequency, 1843200) == 1843200, "absent -> default");
_Static_assert(DT_PROP_OR(U, reg_shift, 7) == 2, "present -> value");
_Static_assert(DT_NODE_HAS_PROP(U, reg_shift) && !DT_NODE_HAS_PROP(U, clock_frequency), "");
_Static_assert(DT_PROP_LEN(U, compatible) == 2, "string-array length");
_Static_assert(sizeof(DT_PROP_BY_IDX(U, compatible, 1)) == sizeof("ns16550"), "");
_Static_assert(sizeof(DT_PROP(U, label)) == sizeof("UART_0"), "string");
_Static_assert(DT_ENUM_IDX(U, reg_shift) == 1, "enum index");
_Static_assert(DT_PROP(U, vnd_fast) == 0 && !DT_NODE_HAS_PROP(U, vnd_fast), "absent boolean");
_Static_assert(DT_PROP(DT_NODELABEL(intc), interrupt_controller) == 1, "boolean");
_Static_assert(DT_NODE_EXISTS(U) && !DT_NODE_EXISTS(DT_NODELABEL(nothing)), "");
_Static_assert(DT_NODE_EXISTS(DT_PATH(cpus, cpu_0, interrupt_controller)), "3-level path");
_Static_assert(DT_REG_ADDR(DT_PARENT(DT_NODELABEL(cpu0_intc))) == 0, "parent, 1-cell reg");
static const char path[] = DT_NODE_PATH(U);
static const char name[] = DT_NODE_FULL_NAME(U);
_Static_assert(sizeof(path) == sizeof("/soc/serial@10000000"), "node path");
_Static_assert(sizeof(name) == sizeof("serial@10000000"), "full name");
int DT_STRING_TOKEN(U, label), DT_STRING_UPPER_TOKEN(DT_NODELABEL(uart0), label);
int f(void) { return uart_0 + UART_0 + path[0] + name[0]; }
""", tmp_path)


def test_irqs_phandles_status(good, tmp_path):
    assert_compiles(good, r"""
#define U DT_NODELABEL(uart0)
_Static_assert(DT_IRQN(U) == 10, "from a #define in an included header");
_Static_assert(DT_IRQ(U, priority) == 1, "second cell named by the controller binding");
_Static_assert(DT_NUM_IRQS(DT_NODELABEL(uart2)) == 2, "");
_Static_assert(DT_IRQ_BY_IDX(DT_NODELABEL(uart2), 1, irq) == 13, "");
_Static_assert(DT_IRQ_BY_NAME(DT_NODELABEL(uart2), rx, priority) == 4, "interrupt-names");
_Static_assert(DT_REG_ADDR(DT_IRQ_INTC(U)) == 0xc000000, "interrupt parent");
_Static_assert(DT_NUM_IRQS(DT_NODELABEL(intc)) == 2, "interrupts-extended");
_Static_assert(DT_IRQ_BY_IDX(DT_NODELABEL(intc), 1, irq) == 9, "");
_Static_assert(DT_REG_ADDR(DT_PHANDLE(DT_NODELABEL(poweroff), regmap)) == 0x101000, "phandle");
_Static_assert(DT_REG_ADDR(DT_PROP(DT_NODELABEL(poweroff), regmap)) == 0x101000, "");
_Static_assert(DT_PHA_BY_IDX(U, clocks, 1, id) == 7, "phandle-array cell");
_Static_assert(DT_PHA_BY_NAME(U, clocks, core, id) == 3, "by clock-names");
_Static_assert(DT_REG_ADDR(DT_PHANDLE_BY_IDX(U, clocks, 0)) == 0x10010000, "");
_Static_assert(DT_NODE_HAS_STATUS_OKAY(U), "no status means okay");
_Static_assert(!DT_NODE_HAS_STATUS_OKAY(DT_NODELABEL(uart1)), "");
_Static_assert(DT_NODE_HAS_STATUS(DT_NODELABEL(uart1), disabled), "");
_Static_assert(DT_NODE_HAS_COMPAT(U, vnd_uart_v2) && DT_NODE_HAS_COMPAT(U, ns16550), "");
_Static_assert(!DT_NODE_HAS_COMPAT(U, riscv), "");
""", tmp_path)


def test_chosen_alias_instances_foreach(good, tmp_path):
    assert_compiles(good, r"""
_Static_assert(DT_REG_ADDR(DT_CHOSEN(inox_console)) == 0x10000000, "chosen by path (&uart0)");
_Static_assert(DT_REG_ADDR(DT_CHOSEN(inox_rtc)) == 0x101000, "chosen by phandle (<&rtc>)");
_Static_assert(DT_REG_ADDR(DT_CHOSEN(inox_sram)) == 0x80000000, "");
_Static_assert(DT_HAS_CHOSEN(inox_console) && !DT_HAS_CHOSEN(inox_shell), "");
_Static_assert(!DT_HAS_CHOSEN(bootargs), "a plain string is no node");
_Static_assert(DT_REG_ADDR(DT_ALIAS(serial0)) == 0x10000000, "alias");
_Static_assert(DT_NUM_INST_STATUS_OKAY(ns16550) == 2, "uart1 is disabled");
_Static_assert(DT_NUM_INST_STATUS_OKAY(vnd_unused) == 0, "binding, no node");
_Static_assert(DT_NUM_INST_STATUS_OKAY(not_in_this_tree) == 0, "");
_Static_assert(DT_HAS_COMPAT_STATUS_OKAY(vnd_rtc) && !DT_HAS_COMPAT_STATUS_OKAY(vnd_unused), "");
_Static_assert(DT_REG_ADDR(DT_INST(1, ns16550)) == 0x10002000, "okay first, tree order");
_Static_assert(DT_REG_ADDR(DT_INST(2, ns16550)) == 0x10001000, "disabled last");
#define ONE(x) + 1
#define ADDR(node) + DT_REG_ADDR(node)
_Static_assert((0 DT_FOREACH_STATUS_OKAY(ns16550, ONE)) == 2, "");
_Static_assert((0 DT_FOREACH_STATUS_OKAY(ns16550, ADDR)) == 0x10000000 + 0x10002000, "");
_Static_assert((0 DT_FOREACH_STATUS_OKAY(vnd_unused, ONE)) == 0, "expands to nothing");
_Static_assert((0 DT_FOREACH_CHILD(DT_PATH(cpus), ONE)) == 4, "");
_Static_assert((0 DT_FOREACH_CHILD_STATUS_OKAY(DT_PATH(cpus), ONE)) == 3, "");
_Static_assert(DT_CHILD_NUM_STATUS_OKAY(DT_PATH(soc)) == 5, "");
#define SIZE(node) + DT_REG_SIZE(node)
_Static_assert((0 DT_MEMORY_FOREACH(SIZE)) == 0x100000000 + 0x10000000, "RAM banks");

#define DT_DRV_COMPAT ns16550
_Static_assert(DT_INST_REG_ADDR(0) == 0x10000000, "");
_Static_assert(DT_INST_PROP(1, reg_shift) == 0, "");
_Static_assert(DT_INST_IRQN(1) == 12, "");
_Static_assert(DT_NUM_INST_STATUS_OKAY(DT_DRV_COMPAT) == 2, "");
#define INST_ADDR(inst) + DT_INST_REG_ADDR(inst)
_Static_assert((0 DT_INST_FOREACH_STATUS_OKAY(INST_ADDR)) == 0x10000000 + 0x10002000, "");
""", tmp_path)


def test_unknown_node_or_property_does_not_compile(good, tmp_path):
    for body in ("int x = DT_REG_ADDR(DT_NODELABEL(no_such_label));\n",
                 "int x = DT_PROP(DT_NODELABEL(uart0), no_such_prop);\n",
                 "int x = DT_IRQN(DT_CHOSEN(inox_nothing));\n",
                 "int x = DT_REG_SIZE(DT_NODELABEL(cpu0_intc));\n"):
        res = compile_c(good, body, tmp_path)
        assert res.returncode != 0, body


def test_kconfig(good):
    text = (good / "Kconfig.dts").read_text()
    assert "config DT_HAS_NS16550_ENABLED\n\tdef_bool y\n" in text
    assert "config DT_HAS_VND_RTC_ENABLED\n\tdef_bool y\n" in text
    assert "config DT_HAS_VND_UNUSED_ENABLED\n\tdef_bool n\n" in text
    assert "config DT_HAS_RISCV_CPU_INTC_ENABLED\n\tdef_bool y\n" in text
    # Compatibles without a binding get no symbol.
    assert "VND_UART_V2" not in text
    # cpu@0 and cpu@2: okay with mmu-type (cpu@1 has none, cpu@3 is disabled).
    assert "config DT_NUM_CPUS\n\tint\n\tdefault 2\n" in text


def test_overlay_changes_property_and_disables_node(overlaid, tmp_path):
    assert_compiles(overlaid, r"""
_Static_assert(DT_PROP(DT_NODELABEL(uart0), current_speed) == 9600, "overlay wins");
_Static_assert(!DT_NODE_HAS_STATUS_OKAY(DT_NODELABEL(rtc)), "");
_Static_assert(!DT_HAS_COMPAT_STATUS_OKAY(vnd_rtc), "");
""", tmp_path)
    assert "config DT_HAS_VND_RTC_ENABLED\n\tdef_bool n\n" in (overlaid / "Kconfig.dts").read_text()
    deps = (overlaid / "dts.deps").read_text()
    assert os.path.join(FIX, "overlay.dts") in deps
    dts_in = (overlaid / "inox.dts.in").read_text().splitlines()
    assert dts_in[0].endswith('good.dts"') and dts_in[1].endswith('overlay.dts"')


def test_unchanged_output_keeps_timestamp(tmp_path):
    assert gen(tmp_path, os.path.join(FIX, "good.dts")).returncode == 0
    hdr = tmp_path / "include" / "generated" / "devicetree_generated.h"
    os.utime(hdr, (1, 1))
    assert gen(tmp_path, os.path.join(FIX, "good.dts")).returncode == 0
    assert hdr.stat().st_mtime == 1


# -- bad input -------------------------------------------------------------------

BOARD = """/dts-v1/;
/ {{
	#address-cells = <2>;
	#size-cells = <2>;
	soc {{
		#address-cells = <2>;
		#size-cells = <2>;
		compatible = "simple-bus";
		ranges;
{body}
	}};
}};
"""


def fails(tmp_path, body=None, dts=None, bindings=(BINDINGS,), **kw):
    """Run on a one-node board; return the single error line."""
    if dts is None:
        dts = tmp_path / "bad.dts"
        dts.write_text(BOARD.format(body=body))
    res = gen(tmp_path / "out", dts, bindings=bindings, **kw)
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: devicetree: ")
    return lines[0]


def test_dts_syntax_error_names_file_and_line(tmp_path):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "broken.dtsi").write_text("/ {\n\tfoo = <1>;\n\tbar = <2>\n};\n")
    dts = tmp_path / "board.dts"
    dts.write_text("/dts-v1/;\n#include <broken.dtsi>\n")
    err = fails(tmp_path, dts=dts, includes=[inc])
    assert f"{inc / 'broken.dtsi'}:4" in err and "syntax error" in err


def test_missing_include(tmp_path):
    dts = tmp_path / "board.dts"
    dts.write_text("/dts-v1/;\n#include <nowhere.dtsi>\n")
    err = fails(tmp_path, dts=dts)
    assert "board.dts:2" in err and "nowhere.dtsi" in err


def test_nonexistent_dts(tmp_path):
    err = fails(tmp_path, dts=tmp_path / "missing.dts")
    assert err == f"error: devicetree: {tmp_path / 'missing.dts'}: no such devicetree file"


def test_nonexistent_overlay(tmp_path):
    err = fails(tmp_path, dts=os.path.join(FIX, "good.dts"), overlays=[tmp_path / "no.overlay"])
    assert "no.overlay: no such devicetree file" in err


def test_missing_required_property(tmp_path):
    err = fails(tmp_path, """
		serial@10000000 {
			compatible = "ns16550";
			reg-shift = <0>;
		};""")
    assert err == ('error: devicetree: /soc/serial@10000000: property "reg" is required by '
                   'binding "ns16550" but missing')


def test_missing_required_property_on_disabled_node_is_fine(tmp_path):
    dts = tmp_path / "ok.dts"
    dts.write_text(BOARD.format(body="""
		serial@10000000 {
			compatible = "ns16550";
			status = "disabled";
		};"""))
    res = gen(tmp_path / "out", dts)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("value,want", [
    ("reg-shift = [00 00 00 00 00 02];",
     'property "reg-shift" should be int (4 bytes), got 6 bytes'),
    ("reg-shift = <0 2>;", 'property "reg-shift" should be int (4 bytes), got 8 bytes'),
    ("vnd,mode = \"a\", \"b\";", 'property "vnd,mode" should be one NUL-terminated string'),
    ("vnd,mode = <1>;", 'property "vnd,mode" should be one NUL-terminated string, got 4 bytes'),
    ("vnd,names = <1>;", 'property "vnd,names" should be NUL-separated strings'),
    ("vnd,fast = <1>;", 'property "vnd,fast" should be boolean (empty), got 4 bytes'),
    ("vnd,ranges = [01 02];", 'property "vnd,ranges" should be array (a multiple of 4 bytes)'),
    ("reg-shift = <1>;", 'property "reg-shift" is 1, not one of [0, 2]'),
    ("interrupt-parent = <0x1234>;", 'property "interrupt-parent" has phandle 0x1234'),
])
def test_wrong_type_or_value(tmp_path, value, want):
    err = fails(tmp_path, f"""
		serial@10000000 {{
			compatible = "ns16550";
			{"" if value.startswith("reg ") else "reg = <0x0 0x10000000 0x0 0x100>;"}
			{value}
		}};""")
    # The property's own file and line come first, as in dtc's messages.
    dts = tmp_path / "bad.dts"
    line = dts.read_text().splitlines().index("\t\t\t" + value) + 1
    assert err.startswith(f"error: devicetree: {dts}:{line}: /soc/serial@10000000: " + want), err


@pytest.mark.parametrize("value,want", [
    ("reg = <0x0 0x10000000 0x100>;", "ERROR (reg_format): /soc/serial@10000000:reg:"),
    ("clocks = <&{/soc} 1>;", "ERROR (clocks_property): /soc/serial@10000000: Missing "
                              "property '#clock-cells' in node /soc"),
])
def test_structural_errors_from_dtc_name_file_and_line(tmp_path, value, want):
    """dtc checks these itself (promoted to errors), so the message has the dts line."""
    err = fails(tmp_path, f"""
		serial@10000000 {{
			compatible = "ns16550";
			{value}
		}};""")
    where = re.escape(str(tmp_path / "bad.dts"))
    assert re.match(rf"error: devicetree: {where}:1[0-3]\.\d", err), err
    assert want in err, err


def test_unknown_compatible(tmp_path):
    err = fails(tmp_path, """
		foo@1000 {
			compatible = "acme,widget", "acme,gadget";
			reg = <0x0 0x1000 0x0 0x10>;
		};""")
    # The folder is shown relative to the working directory when it lies below it.
    rel = os.path.relpath(BINDINGS)
    shown = BINDINGS if rel.startswith("..") else rel
    assert err == (f'error: devicetree: /soc/foo@1000: no binding for compatible "acme,widget" '
                   f'(searched {shown})')


def test_unknown_compatible_on_disabled_node_is_fine(tmp_path):
    dts = tmp_path / "ok.dts"
    dts.write_text(BOARD.format(body="""
		foo@1000 {
			compatible = "acme,widget";
			status = "disabled";
		};"""))
    assert gen(tmp_path / "out", dts).returncode == 0


@pytest.mark.parametrize("text,want", [
    ("compatible: \"vnd,bad\"\nproperties:\n  x:\n    type: int\n   bad: indent\n",
     "malformed binding YAML"),
    ("compatible: \"vnd,bad\"\nproperties:\n  x:\n    type: integer\n", "unknown type 'integer'"),
    ("compatible: \"vnd,bad\"\nproperties:\n  x:\n    type: int\n    requird: true\n",
     "unknown key 'requird'"),
    ("compatible: \"vnd,bad\"\ninclude: nothere.yaml\n", "'nothere.yaml' not found"),
    ("- just\n- a list\n", "top level must be a mapping"),
    ("compatible: \"ns16550\"\n", "duplicate binding for compatible \"ns16550\""),
])
def test_bad_binding_yaml_names_file(tmp_path, text, want):
    bdir = tmp_path / "bindings"
    shutil.copytree(BINDINGS, bdir)
    (bdir / "zz-bad.yaml").write_text(text)
    err = fails(tmp_path, dts=os.path.join(FIX, "good.dts"), bindings=[bdir])
    assert str(bdir / "zz-bad.yaml") in err and want in err, err


def test_chosen_inox_pointing_nowhere(tmp_path):
    dts = tmp_path / "bad.dts"
    dts.write_text('/dts-v1/;\n/ { chosen { inox,console = "/soc/nothing"; }; };\n')
    err = fails(tmp_path, dts=dts)
    assert '/chosen: property "inox,console" does not point at a node' in err


# -- the real boards and bindings ------------------------------------------------

BOARDS = ["qemu/riscv64_virt/qemu_riscv64", "qemu/riscv64_virt/qemu_riscv64_smp",
          "sifive/hifive_unleashed/hifive_unleashed",
          "sifive/hifive_unleashed/hifive_unleashed_qemu",
          "microchip/mpfs_icicle/mpfs_icicle", "microchip/mpfs_icicle/mpfs_icicle_qemu"]


@pytest.mark.parametrize("board", BOARDS)
def test_real_boards(tmp_path, board):
    dts = os.path.join(TOP, "boards", board + ".dts")
    if not os.path.exists(dts):
        pytest.skip(f"{board}.dts not in the tree")
    res = gen(tmp_path, dts, bindings=[os.path.join(TOP, "dts", "bindings")],
              includes=[os.path.join(TOP, "dts", "riscv"), os.path.join(TOP, "dts")])
    assert res.returncode == 0, res.stderr
    assert_compiles(tmp_path, r"""
_Static_assert(DT_HAS_CHOSEN(inox_console), "every board names its console");
_Static_assert(DT_NODE_HAS_STATUS_OKAY(DT_CHOSEN(inox_console)), "");
_Static_assert(DT_REG_ADDR(DT_CHOSEN(inox_console)) != 0, "");
#define BANK(node) + (DT_REG_SIZE(node) > 0)
_Static_assert((0 DT_MEMORY_FOREACH(BANK)) >= 1, "at least one RAM bank");
""", tmp_path)


# The kit's console is MMUART1, where U-Boot prints; QEMU wires its first -serial to MMUART0.
@pytest.mark.parametrize("board,console", [("mpfs_icicle", 0x20100000),
                                           ("mpfs_icicle_qemu", 0x20000000)])
def test_mpfs_icicle(tmp_path, board, console):
    dts = os.path.join(TOP, "boards", "microchip", "mpfs_icicle", board + ".dts")
    res = gen(tmp_path, dts, bindings=[os.path.join(TOP, "dts", "bindings")],
              includes=[os.path.join(TOP, "dts", "riscv"), os.path.join(TOP, "dts")])
    assert res.returncode == 0, res.stderr
    assert_compiles(tmp_path, f"""
#define CON DT_CHOSEN(inox_console)
_Static_assert(DT_REG_ADDR(CON) == {console:#x}, "the console MMUART");
_Static_assert(DT_PROP(CON, reg_shift) == 2 && DT_PROP(CON, reg_io_width) == 4,
               "MMUART registers are 32-bit words, 4 bytes apart");
_Static_assert(DT_IRQN(CON) == 90 + ({console:#x} - 0x20000000) / 0x100000, "its PLIC source");
_Static_assert(DT_REG_ADDR(DT_CHOSEN(inox_sram)) == 0x80000000, "the first DDR window");
""", tmp_path)
