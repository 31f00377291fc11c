# SPDX-License-Identifier: Apache-2.0
"""Tests of twister's `filter:` expressions: the language (scripts/pylib/twister/expr.py), where
its symbols come from (testplan.filter_verdict), and a real run of scripts/twister on
twister_filter_fixtures/app, where one scenario is kept, one dropped once configured, one
dropped from the platform alone and one has a syntax error.
"""

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "pylib"))
pytest.importorskip("yaml", reason="run with /usr/bin/python3 (Debian's python3-yaml)")

from twister import expr, platforms, testplan  # noqa: E402

TWISTER = os.path.join(REPO, "scripts", "twister")
APP = os.path.join(HERE, "twister_filter_fixtures", "app")
APP_REL = "tests/scripts/twister_filter_fixtures/app"

ENV = {"CONFIG_MM_COW": "y", "CONFIG_MP_MAX_NUM_CPUS": "4", "CONFIG_ZERO": "0",
       "CONFIG_EMPTY": "", "CONFIG_OFF": "n", "CONFIG_KERNEL_LOAD_ADDRESS": "0x80200000",
       "CONFIG_BOARD": "qemu_riscv64", "CONFIG_NEG": "-3", "ARCH": "riscv",
       "PLATFORM": "qemu_riscv64/smp", "BOARD": "qemu_riscv64"}


def ev(text, env=None, dt=None):
    return expr.parse(text).evaluate(ENV if env is None else env, dt)


def syntax_error(text, **kw):
    with pytest.raises(expr.ExprError) as info:
        expr.parse(text, **kw)
    return str(info.value)


# --- the language ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("CONFIG_MM_COW", True),
    ("CONFIG_UNDEFINED", False),
    ("CONFIG_EMPTY", False),
    ("CONFIG_OFF", False),
    ("CONFIG_ZERO", True),                      # defined and not empty, as in Zephyr
    ("not CONFIG_MM_COW", False),
    ("not not CONFIG_MM_COW", True),
    ("not CONFIG_UNDEFINED", True),
])
def test_bare_symbols(text, value):
    assert ev(text) is value


@pytest.mark.parametrize("text, value", [
    ("CONFIG_UNDEFINED or CONFIG_MM_COW and CONFIG_ZERO", True),   # and binds tighter than or
    ("CONFIG_MM_COW or CONFIG_MM_COW and CONFIG_UNDEFINED", True),
    ("(CONFIG_MM_COW or CONFIG_MM_COW) and CONFIG_UNDEFINED", False),
    ("not CONFIG_UNDEFINED and CONFIG_UNDEFINED", False),             # not binds tighter than and
    ("not (CONFIG_UNDEFINED and CONFIG_UNDEFINED)", True),
    ("not CONFIG_MM_COW or CONFIG_MM_COW", True),
    ("CONFIG_MM_COW and CONFIG_ZERO and not CONFIG_OFF", True),
    ("((CONFIG_MM_COW))", True),
])
def test_precedence_and_parentheses(text, value):
    assert ev(text) is value


@pytest.mark.parametrize("text, value", [
    ('ARCH == "riscv"', True),
    ("ARCH == 'riscv'", True),
    ('ARCH != "riscv"', False),
    ('PLATFORM == "qemu_riscv64/smp"', True),
    ('CONFIG_UNDEFINED == ""', True),           # an undefined symbol reads as ""
    ('CONFIG_UNDEFINED != "x"', True),
    ("CONFIG_MP_MAX_NUM_CPUS == 4", True),
    ('CONFIG_MP_MAX_NUM_CPUS == "4"', True),
    ("CONFIG_KERNEL_LOAD_ADDRESS == 0x80200000", True),   # numbers compare as numbers
    ("CONFIG_KERNEL_LOAD_ADDRESS == 2149580800", True),
    ('CONFIG_KERNEL_LOAD_ADDRESS == "2149580800"', False),  # strings as strings
    ("CONFIG_MM_COW == 1", False),
    ("CONFIG_UNDEFINED == 0", False),
    ("CONFIG_NEG == -3", True),
])
def test_equality(text, value):
    assert ev(text) is value


@pytest.mark.parametrize("text, value", [
    ("CONFIG_MP_MAX_NUM_CPUS > 1", True),
    ("CONFIG_MP_MAX_NUM_CPUS >= 4", True),
    ("CONFIG_MP_MAX_NUM_CPUS < 4", False),
    ("CONFIG_MP_MAX_NUM_CPUS <= 0x4", True),
    ("CONFIG_MP_MAX_NUM_CPUS > 10", False),     # 4 > 10 as numbers, not as strings
    ("CONFIG_KERNEL_LOAD_ADDRESS >= 0x80000000", True),
    ("CONFIG_UNDEFINED < 1", True),              # an undefined symbol is 0
    ("CONFIG_NEG < 0", True),
    ("CONFIG_NEG > -4", True),
])
def test_ordering(text, value):
    assert ev(text) is value


def test_ordering_a_string_is_an_error_naming_symbol_and_column():
    with pytest.raises(expr.ExprError) as info:
        ev("CONFIG_MM_COW and ARCH > 3")
    assert str(info.value) == "ARCH is 'riscv', not a number at column 19"


@pytest.mark.parametrize("text, value", [
    ('ARCH in ["arm", "riscv"]', True),
    ('ARCH in ["arm"]', False),
    ("CONFIG_MP_MAX_NUM_CPUS in [1, 2, 4]", True),
    ("CONFIG_KERNEL_LOAD_ADDRESS in [0x80200000]", True),
    ('PLATFORM in "qemu_riscv64 qemu_riscv64/smp"', True),   # a string: its words
    ('PLATFORM in "qemu_riscv64"', False),                   # words, not a substring
    ('CONFIG_UNDEFINED in "a b"', False),
    ('not ARCH in ["arm"]', True),
])
def test_in(text, value):
    assert ev(text) is value


@pytest.mark.parametrize("text, value", [
    ('PLATFORM : "qemu_"', True),               # matched at the start, as re.match
    ('PLATFORM : "riscv64"', False),
    ('PLATFORM : ".*/smp$"', True),
    (r'CONFIG_BOARD : "qemu_riscv\d+"', True),  # backslashes reach the regex as written
    ('CONFIG_UNDEFINED : "x"', False),
])
def test_regex(text, value):
    assert ev(text) is value


class FakeDevicetree:
    def compat_enabled(self, compat):
        return compat == "ns16550a"

    def nodelabel_enabled(self, label):
        return label == "uart0"

    def chosen_enabled(self, name):
        return name == "inox,console"

    def alias_exists(self, alias):
        return alias == "serial0"


def test_devicetree_functions():
    dt = FakeDevicetree()
    assert ev('dt_compat_enabled("ns16550a") and dt_nodelabel_enabled("uart0")', dt=dt)
    assert ev('dt_chosen_enabled("inox,console") and dt_alias_exists("serial0")', dt=dt)
    assert not ev('dt_compat_enabled("sifive,uart0") or dt_alias_exists("led0")', dt=dt)
    parsed = expr.parse('CONFIG_MM_COW and dt_compat_enabled("x") or ARCH == "y"')
    assert parsed.symbols == ["CONFIG_MM_COW", "ARCH"]
    assert parsed.functions == ["dt_compat_enabled"]
    with pytest.raises(expr.ExprError, match="needs the devicetree"):
        parsed.evaluate(ENV)


@pytest.mark.parametrize("text, message", [
    ("CONFIG_A and and", "unexpected token 'and' at column 14"),
    ("CONFIG_A and", "unexpected end of filter at column 13"),
    ("", "unexpected end of filter at column 1"),
    ("(CONFIG_A", "unexpected end of filter at column 10"),
    ("CONFIG_A)", "unexpected token ')' at column 9"),
    ("CONFIG_A CONFIG_B", "unexpected token 'CONFIG_B' at column 10"),
    ("CONFIG_A ==", "unexpected end of filter at column 12"),
    ('CONFIG_A > "x"', "unexpected token '\"x\"' at column 12"),
    ("CONFIG_A in [1,]", "unexpected token ']' at column 16"),
    ("CONFIG_A in 3", "unexpected token '3' at column 13"),
    ("CONFIG_A = 1", "unexpected character '=' at column 10"),
    ("CONFIG_A && CONFIG_B", "unexpected character '&' at column 10"),
    ('ARCH == "riscv', "unterminated string at column 9"),
    ("CONFIG_A : x", "unexpected token 'x' at column 12"),
    ('CONFIG_A : "("', "bad regex"),
    ('dt_compat_enabled(x)', "unexpected token 'x' at column 19"),
    ('dt_compat_enabled("a", "b")', "dt_compat_enabled() takes one string at column 22"),
    ('dt_nope("a")', "unknown function 'dt_nope' at column 1"),
    ("not", "unexpected end of filter at column 4"),
])
def test_syntax_errors_name_the_column(text, message):
    assert message in syntax_error(text)


def test_unknown_symbols_are_errors_when_asked():
    ok = testplan._filter_symbol_ok
    assert syntax_error("CONFIG_A or CONFG_SMP", symbol_ok=ok) == \
        "unknown symbol 'CONFG_SMP' at column 13"
    expr.parse("CONFIG_A or ARCH or PLATFORM or BOARD", symbol_ok=ok)


# --- scenarios, plan and the configured build --------------------------------------------------

def write_yaml(tmp_path, text):
    app = tmp_path / "app"
    app.mkdir(exist_ok=True)
    (app / "testcase.yaml").write_text(text)
    return {sc.id: sc for sc in testplan.discover([str(tmp_path)], str(tmp_path))}


def platform(identifier, arch="riscv"):
    return platforms.Platform(identifier=identifier, name=identifier, arch=arch, default=True)


def test_yaml_filters_merge_and_errors_stay_with_their_scenario(tmp_path):
    scs = write_yaml(tmp_path, """\
common:
  filter: CONFIG_MM_COW
tests:
  a.merged:
    filter: |
      ARCH == "riscv"
      or PLATFORM : "qemu"
  a.common: {}
  a.bad:
    filter: CONFIG_SMP ==
""")
    assert scs["a.merged"].filter == '(CONFIG_MM_COW) and (ARCH == "riscv" or PLATFORM : "qemu")'
    assert scs["a.merged"].filter_error is None
    assert scs["a.common"].filter == "CONFIG_MM_COW"
    assert scs["a.bad"].filter_expr is None
    assert scs["a.bad"].filter_error == (
        "Filter error: app/testcase.yaml: unexpected token ')' at column 35 in filter "
        '"(CONFIG_MM_COW) and (CONFIG_SMP ==)" (expected a string or a number)')


def test_static_filters_are_decided_in_the_plan(tmp_path):
    scs = write_yaml(tmp_path, """\
tests:
  s.riscv_only:
    filter: ARCH == "riscv"
  s.smp_boards:
    filter: 'PLATFORM : ".*/smp$" or BOARD == "b"'
  s.kconfig:
    filter: CONFIG_SMP
  s.bad:
    filter: ARCH ==
""")
    plats = {p.identifier: p for p in (platform("a"), platform("a/smp"), platform("b"),
                                        platform("c", arch="arm"))}
    opts = SimpleNamespace(platform=[], test=[], tag=[], exclude_tag=[], subset=None)
    kept, filtered = testplan.plan(list(scs.values()), plats, opts, str(tmp_path / "out"))
    why = {(i.scenario.id, i.platform.identifier): i.reason for i in filtered}
    assert why == {("s.riscv_only", "c"): 'Filter: ARCH == "riscv"',
                   ("s.smp_boards", "a"): 'Filter: PLATFORM : ".*/smp$" or BOARD == "b"',
                   ("s.smp_boards", "c"): 'Filter: PLATFORM : ".*/smp$" or BOARD == "b"'}
    assert all(c.status == "filtered" for i in filtered for c in i.cases)
    # Kconfig filters wait for cmake; a syntax error is the builder's to report.
    kept = {(i.scenario.id, i.platform.identifier) for i in kept}
    assert {("s.kconfig", p) for p in plats} <= kept and {("s.bad", p) for p in plats} <= kept
    assert testplan.filter_verdict(scs["s.bad"], plats["a"])[0] == "error"
    assert testplan.filter_verdict(scs["s.kconfig"], plats["a"]) is None


HEADER = """\
#define DT_N_S_soc_S_serial_10000000_EXISTS 1
#define DT_N_S_soc_S_serial_10000000_STATUS_okay 1
#define DT_N_S_soc_S_i2c_10030000_STATUS_disabled 1
#define DT_N_S_soc_S_i2c_10030000_FOREACH_CHILD(fn)
#define DT_N_NODELABEL_uart0 DT_N_S_soc_S_serial_10000000
#define DT_N_NODELABEL_i2c0 DT_N_S_soc_S_i2c_10030000
#define DT_N_ALIAS_serial0 DT_N_S_soc_S_serial_10000000
#define DT_CHOSEN_inox_console DT_N_S_soc_S_serial_10000000
#define DT_COMPAT_HAS_OKAY_sifive_uart0 1
"""

DOTCONFIG = """\
# Inox configuration
CONFIG_MM_COW=y
# CONFIG_SMP is not set
CONFIG_MP_MAX_NUM_CPUS=1
CONFIG_BOARD_TARGET="qemu_riscv64"
CONFIG_INIT_PROGRAM="/bin/\\"odd\\" \\\\name"
"""


def configured_build(tmp_path):
    gen = tmp_path / "build" / "inox" / "include" / "generated"
    gen.mkdir(parents=True)
    (gen / "devicetree_generated.h").write_text(HEADER)
    (tmp_path / "build" / "inox" / ".config").write_text(DOTCONFIG)
    return str(tmp_path / "build")


def test_dotconfig_values(tmp_path):
    config = testplan.read_dotconfig(os.path.join(configured_build(tmp_path), "inox", ".config"))
    assert config == {"CONFIG_MM_COW": "y", "CONFIG_MP_MAX_NUM_CPUS": "1",
                      "CONFIG_BOARD_TARGET": "qemu_riscv64",
                      "CONFIG_INIT_PROGRAM": '/bin/"odd" \\name'}


def test_devicetree_answers_from_the_generated_header(tmp_path):
    build = configured_build(tmp_path)
    dt = testplan.BuildDevicetree(os.path.join(build, "inox", "include", "generated",
                                               "devicetree_generated.h"))
    assert dt.compat_enabled("sifive,uart0") and not dt.compat_enabled("ns16550a")
    assert dt.nodelabel_enabled("uart0")
    assert not dt.nodelabel_enabled("i2c0")            # disabled
    assert not dt.nodelabel_enabled("nope")
    assert dt.chosen_enabled("inox,console") and not dt.chosen_enabled("inox,sram")
    assert dt.alias_exists("serial0") and not dt.alias_exists("led0")


@pytest.mark.parametrize("text, verdict", [
    ("CONFIG_MM_COW and not CONFIG_SMP", None),
    ('CONFIG_MM_COW and dt_compat_enabled("sifive,uart0") and PLATFORM == "a"', None),
    ('CONFIG_BOARD_TARGET == "qemu_riscv64" and CONFIG_MP_MAX_NUM_CPUS < 2', None),
    ("CONFIG_SMP", ("filtered", "Filter: CONFIG_SMP")),
    ('dt_nodelabel_enabled("i2c0")', ("filtered", 'Filter: dt_nodelabel_enabled("i2c0")')),
])
def test_verdict_on_a_configured_build(tmp_path, text, verdict):
    sc = write_yaml(tmp_path, f"tests:\n  v.x:\n    filter: '{text}'\n")["v.x"]
    assert testplan.filter_verdict(sc, platform("a"), configured_build(tmp_path)) == verdict


def test_verdict_errors_are_one_line(tmp_path):
    sc = write_yaml(tmp_path, "tests:\n  v.x:\n    filter: CONFIG_BOARD_TARGET > 1\n")["v.x"]
    assert testplan.filter_verdict(sc, platform("a"), configured_build(tmp_path)) == (
        "error", "Filter error: app/testcase.yaml: CONFIG_BOARD_TARGET is 'qemu_riscv64', not a "
                 'number at column 1 in filter "CONFIG_BOARD_TARGET > 1"')
    sc = write_yaml(tmp_path, "tests:\n  v.x:\n    filter: CONFIG_MM_COW\n")["v.x"]
    status, reason = testplan.filter_verdict(sc, platform("a"), str(tmp_path / "nothing"))
    assert status == "error" and reason.startswith("Filter error: app/testcase.yaml: cannot read ")
    assert "\n" not in reason


# --- end to end: scripts/twister on a real kernel build ---------------------------------------

needs_toolchain = pytest.mark.skipif(
    not (shutil.which("cmake") and shutil.which("ninja") and
         shutil.which("riscv64-unknown-elf-gcc")),
    reason="needs cmake, ninja and gcc-riscv64-unknown-elf")


def twister(args, cwd, timeout=300):
    p = subprocess.run([sys.executable, TWISTER, "-T", APP, "-p", "qemu_riscv64",
                        "--report-filtered", *args],
                       cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout.splitlines()


def suites(outdir):
    data = json.loads((outdir / "twister.json").read_text())
    return {s["name"]: s for s in data["testsuites"]}


@needs_toolchain
def test_real_run(tmp_path):
    out = tmp_path / "out"
    rc, lines = twister(["-b", "-j", "4", "-O", str(out)], tmp_path)
    s = suites(out)
    assert (s["filter.kept"]["status"], s["filter.kept"]["reason"]) == \
        ("not run", "Build only (--build-only)")
    dropped = s["filter.dropped"]
    assert (dropped["status"], dropped["reason"]) == ("filtered", "Filter: not CONFIG_MM_COW")
    assert dropped["testcases"][0]["status"] == "filtered"
    dropped_dir = out / "qemu_riscv64" / APP_REL / "filter.dropped"
    assert (dropped_dir / "inox" / ".config").exists()          # configured ...
    assert not (dropped_dir / "inox" / "inox.elf").exists()     # ... never built
    assert (s["filter.static"]["status"], s["filter.static"]["reason"]) == \
        ("filtered", 'Filter: ARCH == "arm"')
    assert not (out / "qemu_riscv64" / APP_REL / "filter.static").exists()
    reason = ("Filter error: tests/scripts/twister_filter_fixtures/app/testcase.yaml: unexpected "
              "token 'and' at column 19 in filter \"CONFIG_MM_COW and and\" (expected a symbol, "
              "a function, 'not' or '(')")
    assert (s["filter.syntax"]["status"], s["filter.syntax"]["reason"]) == ("error", reason)
    assert not (out / "qemu_riscv64" / APP_REL / "filter.syntax" / "inox").exists()  # no cmake
    assert any(line.startswith("ERROR   - ") and f"ERROR: {reason} (build" in line
               for line in lines)
    assert "INFO    - 4 test configurations selected, 2 filtered, 2 executed" in \
        "\n".join(lines)
    assert rc == 1 and lines[-1] == "0 passed, 1 failed, 1 skipped"
    junit = {tc.get("name") for tc in ET.parse(out / "twister_report.xml").getroot().iter(
        "testcase")}
    assert junit == {"filter.kept", "filter.syntax"}

    # --test-only keeps what the build run filtered filtered, from its .config.
    rc, lines = twister(["--test-only", "-s", "filter.dropped", "-O", str(out)], tmp_path)
    assert suites(out)["filter.dropped"]["reason"] == "Filter: not CONFIG_MM_COW"
    assert rc == 1 and lines[-1] == "0 passed, 0 failed"


@needs_toolchain
def test_everything_filtered_is_not_a_success(tmp_path):
    rc, lines = twister(["-b", "-s", "filter.dropped", "-O", str(tmp_path / "out")], tmp_path)
    assert suites(tmp_path / "out")["filter.dropped"]["status"] == "filtered"
    assert rc == 1 and lines[-1] == "0 passed, 0 failed"
