# SPDX-License-Identifier: Apache-2.0
"""Tests for scripts/kconfig/kconfig.py and the menuconfig/guiconfig wrappers.

Every test runs the real CLI the way CMake does, on the small tree in
kconfig_fixtures/, with the build folder and fragments in tmp_path.
"""

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.abspath(os.path.join(HERE, "..", ".."))
KCONFIG_PY = os.path.join(BASE, "scripts", "kconfig", "kconfig.py")
MENUCONFIG_PY = os.path.join(BASE, "scripts", "kconfig", "menuconfig.py")
GUICONFIG_PY = os.path.join(BASE, "scripts", "kconfig", "guiconfig.py")
FIXTURES = os.path.join(HERE, "kconfig_fixtures")
ROOT = os.path.join(FIXTURES, "Kconfig")


class Build:
    """A build folder in tmp_path plus the environment CMake would give kconfig.py."""

    def __init__(self, tmp_path, dt_ns16550=True):
        self.dir = tmp_path
        self.bin = tmp_path / "build" / "inox"
        self.bin.mkdir(parents=True)
        self.config = self.bin / ".config"
        self.header = self.bin / "include" / "generated" / "autoconf.h"
        self.checksum = self.bin / ".config.sha256"
        self.set_dts(dt_ns16550)
        for name in ("board_defconfig", "prj.conf", "extra.conf"):
            shutil.copy(os.path.join(FIXTURES, name), tmp_path / name)
        self.env = dict(os.environ, srctree=FIXTURES, INOX_BASE=BASE, ARCH="riscv",
                        BOARD="test_board", BOARD_DIR=str(tmp_path), BOARD_QUALIFIERS="",
                        KCONFIG_BINARY_DIR=str(self.bin), APP_DIR=str(tmp_path))

    def set_dts(self, enabled):
        (self.bin / "Kconfig.dts").write_text(
            "config DT_HAS_NS16550A_ENABLED\n\tdef_bool %s\n" % ("y" if enabled else "n"))

    def write(self, name, text):
        (self.dir / name).write_text(text)
        return name

    def run(self, fragments=("board_defconfig", "prj.conf"), sets=(), root=ROOT):
        cmd = [sys.executable, KCONFIG_PY, "--kconfig", root, "--config-out", str(self.config),
               "--header-out", str(self.header)]
        for fragment in fragments:
            cmd += ["--fragment", fragment]
        for item in sets:
            cmd += ["--set", item]
        return subprocess.run(cmd, cwd=self.dir, env=self.env, capture_output=True, text=True)

    def ok(self, *args, **kwargs):
        result = self.run(*args, **kwargs)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        return result

    def autoconf(self):
        """{'CONFIG_X': 'value text'} from the generated autoconf.h."""
        out = {}
        for line in self.header.read_text().splitlines():
            if line.startswith("#define "):
                _, name, value = line.split(" ", 2)
                out[name] = value
        return out


def error_lines(result):
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: Kconfig: ") for line in lines), result.stderr
    return lines


@pytest.fixture
def build(tmp_path):
    return Build(tmp_path)


def test_merge_order_and_value_types(build):
    build.ok(("board_defconfig", "prj.conf", "extra.conf"), ["CONFIG_LOG_LEVEL=4"])
    conf = build.autoconf()
    assert conf["CONFIG_MP_MAX_NUM_CPUS"] == "2"          # board defconfig only
    assert conf["CONFIG_HEAP_SIZE"] == "8192"             # defconfig < prj.conf < extra
    assert conf["CONFIG_LOG_LEVEL"] == "4"                # ... < --set
    assert conf["CONFIG_BOARD_NAME"] == r'"virt \"rev A\""'
    assert conf["CONFIG_KERNEL_BASE"] == "0x80400000"
    assert conf["CONFIG_SERIAL"] == "1"
    assert conf["CONFIG_UART_NS16550"] == "1"             # DT_HAS_... from Kconfig.dts
    assert conf["CONFIG_DT_HAS_NS16550A_ENABLED"] == "1"
    assert "CONFIG_MM_COW" not in conf                    # "# CONFIG_MM_COW is not set"
    assert "CONFIG_MM_COW_STATS" not in conf              # derived from MM_COW
    config = build.config.read_text()
    assert "# CONFIG_MM_COW is not set\n" in config
    assert "CONFIG_HEAP_SIZE=8192\n" in config
    assert config.startswith("# Inox configuration")


def test_hex_without_prefix_and_unquoted_command_line_string(build):
    build.write("p.conf", "CONFIG_KERNEL_BASE=80600000\n")
    build.ok(("p.conf",), ["CONFIG_BOARD_NAME=from-cmake"])
    conf = build.autoconf()
    assert conf["CONFIG_KERNEL_BASE"] == "0x80600000"
    assert conf["CONFIG_BOARD_NAME"] == '"from-cmake"'


def test_kconfig_dts_from_binary_dir(tmp_path):
    build = Build(tmp_path, dt_ns16550=False)
    build.ok()
    assert "CONFIG_UART_NS16550" not in build.autoconf()
    build.write("p.conf", "CONFIG_SERIAL=y\nCONFIG_UART_NS16550=y\n")
    lines = error_lines(build.run(("p.conf",)))
    assert lines == ["error: Kconfig: p.conf:2: CONFIG_UART_NS16550=y was assigned but the value "
                     "is n; unsatisfied dependencies: DT_HAS_NS16550A_ENABLED (=n)"]


@pytest.mark.parametrize("text, expected", [
    ("CONFIG_LOG_LEVEL=1\nCONFIG_MM_COWW=y\n",
     "p.conf:2: CONFIG_MM_COWW is not a known symbol (did you mean CONFIG_MM_COW?)"),
    ("CONFIG_NO_SUCH_THING=y\n",
     "p.conf:1: CONFIG_NO_SUCH_THING is not a known symbol"),
    ("\n\n\nCONFIG_MM_COW_STATS=n\n",
     "p.conf:4: CONFIG_MM_COW_STATS has no prompt, so it cannot be set "
     "(it is derived from other options)"),
    ("CONFIG_MP_MAX_NUM_CPUS=4\nCONFIG_SMP=y\n",
     "p.conf:2: CONFIG_SMP=y was assigned but the value is n; unsatisfied dependencies: "
     "ARCH_HAS_SMP (=n)"),
    ("CONFIG_SMP=y\n",
     "p.conf:1: CONFIG_SMP=y was assigned but the value is n; unsatisfied dependencies: "
     "MP_MAX_NUM_CPUS > 1 (=n, MP_MAX_NUM_CPUS=1), ARCH_HAS_SMP (=n)"),
    ("CONFIG_SHELL=y\n# CONFIG_SERIAL is not set\n",
     "p.conf:2: CONFIG_SERIAL=n was assigned but the value is y; selected by: SHELL (=y)"),
    ("# c\nCONFIG_MP_MAX_NUM_CPUS=abc\n",
     'p.conf:2: CONFIG_MP_MAX_NUM_CPUS: "abc" is not a valid int value'),
    ("CONFIG_HEAP_SIZE=y\n",
     'p.conf:1: CONFIG_HEAP_SIZE: "y" is not a valid int value'),
    ("CONFIG_KERNEL_BASE=0xZZ\n",
     'p.conf:1: CONFIG_KERNEL_BASE: "0xZZ" is not a valid hex value'),
    ("CONFIG_MM_COW=yes\n",
     'p.conf:1: CONFIG_MM_COW: "yes" is not a valid bool value (use y or n)'),
    ("CONFIG_BOARD_NAME=virt\n",
     'p.conf:1: CONFIG_BOARD_NAME: virt is not a valid string value '
     '(strings need double quotes: CONFIG_BOARD_NAME="virt")'),
    ("CONFIG_MP_MAX_NUM_CPUS=9\n",
     "p.conf:1: CONFIG_MP_MAX_NUM_CPUS=9 was assigned but the value is 1; "
     "9 is outside the range [1, 8]"),
    ("# CONFIG_HEAP_SIZE is not set\n",
     'p.conf:1: CONFIG_HEAP_SIZE is int, and "# CONFIG_HEAP_SIZE is not set" only applies '
     "to bool options"),
    ("CONFIG_MM_COW = y\n",
     'p.conf:1: cannot parse "CONFIG_MM_COW = y": expected CONFIG_NAME=VALUE or '
     '"# CONFIG_NAME is not set"'),
])
def test_each_error(build, text, expected):
    build.write("p.conf", text)
    assert error_lines(build.run(("p.conf",))) == ["error: Kconfig: " + expected]
    assert not build.config.exists() and not build.header.exists()


def test_promptless_symbol_given_its_own_value_is_fine(build):
    build.write("p.conf", "CONFIG_MM_COW=y\nCONFIG_MM_COW_STATS=y\n")
    build.ok(("p.conf",))
    assert build.autoconf()["CONFIG_MM_COW_STATS"] == "1"


def test_later_assignment_fixes_earlier_one(build):
    build.write("p.conf", "CONFIG_MP_MAX_NUM_CPUS=9\nCONFIG_MP_MAX_NUM_CPUS=3\n")
    build.ok(("p.conf",))
    assert build.autoconf()["CONFIG_MP_MAX_NUM_CPUS"] == "3"


def test_later_choice_pick_replaces_earlier_one(build):
    build.write("board.conf", "CONFIG_SCHED_SIMPLE=y\n")
    build.write("p.conf", "CONFIG_SCHED_PRIO=y\n")
    build.ok(("board.conf", "p.conf"))
    conf = build.autoconf()
    assert conf["CONFIG_SCHED_PRIO"] == "1" and "CONFIG_SCHED_SIMPLE" not in conf


def test_choice_member_cannot_be_switched_off_alone(build):
    build.write("p.conf", "# CONFIG_SCHED_SIMPLE is not set\n")
    assert error_lines(build.run(("p.conf",))) == [
        "error: Kconfig: p.conf:1: CONFIG_SCHED_SIMPLE=n was assigned but the value is y; "
        "it is the selected member of its choice; set another member to y instead"]


def test_command_line_errors(build):
    lines = error_lines(build.run(sets=["CONFIG_LOG_LEVL=2", "LOG_LEVEL=2"]))
    assert lines == [
        "error: Kconfig: command line: CONFIG_LOG_LEVL is not a known symbol "
        "(did you mean CONFIG_LOG_LEVEL?)",
        'error: Kconfig: command line: "LOG_LEVEL=2" is not of the form CONFIG_NAME=VALUE',
    ]


def test_missing_fragment(build):
    lines = error_lines(build.run(("board_defconfig", "nowhere/prj.conf")))
    assert lines == ["error: Kconfig: no such file: nowhere/prj.conf"]


def test_kconfig_syntax_error(build):
    root = os.path.join(FIXTURES, "bad_syntax", "Kconfig")
    lines = error_lines(build.run((), root=root))
    assert len(lines) == 1
    assert lines[0].startswith(f"error: Kconfig: {root}:6: couldn't parse 'depends on &&'")


WARNING_TREES = {
    # kconfiglib only warns about these; Zephyr (and so kconfig.py) stops on them.
    "unmet select": ("config A\n\tbool \"a\"\n\tdefault y\n\tselect B\n"
                     "config B\n\tbool\n\tdepends on C\nconfig C\n\tbool\n",
                     "B (defined at {root}:5) has direct dependencies C with value n, but is "
                     "currently being y-selected by the following symbols: - A (defined at "
                     "{root}:1), with value y, direct dependencies y (value: y)"),
    "choice default outside the choice": (
        "choice\n\tprompt \"c\"\n\tdefault X\nconfig Y\n\tbool \"y\"\nendchoice\n"
        "config X\n\tbool \"x\"\n",
        "the default selection X (defined at {root}:7) of <choice> (defined at "
        "{root}:1) is not contained in the choice"),
}


@pytest.mark.parametrize("name", sorted(WARNING_TREES))
def test_kconfig_warnings_are_errors(build, name):
    text, expected = WARNING_TREES[name]
    root = build.dir / "Kconfig.warn"
    root.write_text(text)
    result = build.run((), root=str(root))
    assert error_lines(result) == ["error: Kconfig: " + expected.format(root=root)]
    assert not build.config.exists()


def test_all_errors_reported_in_input_order(build):
    build.write("a.conf", "CONFIG_MM_COWW=y\nCONFIG_HEAP_SIZE=big\n")
    build.write("b.conf", "CONFIG_SMP=y\n")
    lines = error_lines(build.run(("a.conf", "missing.conf", "b.conf"), ["CONFIG_NOPE=1"]))
    assert [line.split(": ")[2] for line in lines] == [
        "a.conf:1", "a.conf:2", "no such file", "b.conf:1", "command line"]


def simulate_menuconfig_save(build, name, value):
    """What menuconfig does on save: load .config, change a value, write .config."""
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    import kconfiglib

    old = dict(os.environ)
    os.environ.update(build.env)
    try:
        kconf = kconfiglib.Kconfig(ROOT, warn_to_stderr=False)
        kconf.load_config(str(build.config))
        assert kconf.syms[name].set_value(value)
        kconf.write_config(str(build.config))
    finally:
        os.environ.clear()
        os.environ.update(old)


def test_saved_edits_survive_until_inputs_change(build):
    build.ok()
    assert build.autoconf()["CONFIG_HEAP_SIZE"] == "2048"
    simulate_menuconfig_save(build, "HEAP_SIZE", "65536")
    result = build.ok()
    assert "kept" in result.stdout
    assert build.autoconf()["CONFIG_HEAP_SIZE"] == "65536"
    build.ok()
    assert build.autoconf()["CONFIG_HEAP_SIZE"] == "65536"

    build.write("prj.conf", build.dir.joinpath("prj.conf").read_text() + "CONFIG_LOG_LEVEL=0\n")
    result = build.ok()
    assert "merged" in result.stdout
    conf = build.autoconf()
    assert conf["CONFIG_HEAP_SIZE"] == "2048"
    assert conf["CONFIG_LOG_LEVEL"] == "0"


def test_changed_command_line_merges_afresh(build):
    build.ok()
    simulate_menuconfig_save(build, "HEAP_SIZE", "65536")
    build.ok(sets=["CONFIG_LOG_LEVEL=4"])
    assert build.autoconf()["CONFIG_HEAP_SIZE"] == "2048"


def test_existing_config_with_vanished_symbols_loads_quietly(build):
    build.ok()
    build.config.write_text(build.config.read_text() + "CONFIG_REMOVED_LONG_AGO=y\n")
    build.ok()
    assert "REMOVED_LONG_AGO" not in build.config.read_text()


def test_outputs_not_rewritten_when_unchanged(build):
    build.ok()
    outputs = (build.config, build.header, build.checksum)
    for path in outputs:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    build.ok()                                            # same inputs: keeps .config
    build.write("prj.conf", build.dir.joinpath("prj.conf").read_text() + "# a comment\n")
    build.ok()                                            # new inputs, same result
    assert [p.stat().st_mtime_ns for p in outputs[:2]] == [1_000_000_000] * 2
    assert outputs[2].stat().st_mtime_ns != 1_000_000_000


def test_menuconfig_needs_a_build(build):
    env = dict(build.env)
    env.pop("KCONFIG_CONFIG", None)
    result = subprocess.run([sys.executable, MENUCONFIG_PY, ROOT], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: menuconfig: KCONFIG_CONFIG is not set")
    assert len(result.stderr.splitlines()) == 1


def test_guiconfig_without_tkinter(build, tmp_path):
    build.ok()
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "tkinter.py").write_text("raise ImportError('no tkinter here')\n")
    env = dict(build.env, KCONFIG_CONFIG=str(build.config), PYTHONPATH=str(blocker))
    result = subprocess.run([sys.executable, GUICONFIG_PY, ROOT], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == ("error: guiconfig: Python's tkinter is missing; install the "
                             "Debian package python3-tk\n")
