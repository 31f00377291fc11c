# SPDX-License-Identifier: Apache-2.0
"""End-to-end tests of the real build: scripts/inox with the real CMake, toolchain and QEMU.

Each test configures (and where it matters builds and boots) a real application and checks
what a user sees: the .config and autoconf.h, the one-line errors for bad input, and the
console of an application kept outside the tree. Skipped when the cross toolchain is absent.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INOX = os.path.join(REPO, "scripts", "inox")
HELLO = os.path.join(REPO, "samples", "hello_world")

pytestmark = pytest.mark.skipif(shutil.which("riscv64-unknown-elf-gcc") is None or
                                shutil.which("qemu-system-riscv64") is None,
                                reason="needs gcc-riscv64-unknown-elf and qemu-system-misc")


def inox(*args, cwd, timeout=300):
    env = dict(os.environ, INOX_SKIP_SETUP="1")
    return subprocess.run([sys.executable, INOX, *args], cwd=cwd, env=env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout)


def error_lines(text):
    return [ln for ln in text.splitlines() if "error:" in ln]


def config_lines(build):
    with open(os.path.join(build, "inox", ".config")) as f:
        config = f.read()
    with open(os.path.join(build, "inox", "include", "generated", "autoconf.h")) as f:
        autoconf = f.read()
    return config, autoconf


def test_cmake_config_value_reaches_config_and_autoconf(tmp_path):
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), HELLO, "-c", "--",
               "-DCONFIG_MM_COW=n", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    config, autoconf = config_lines(tmp_path / "b")
    assert "# CONFIG_MM_COW is not set" in config
    assert "CONFIG_MM_COW" not in autoconf
    res = inox("build", "-d", str(tmp_path / "c"), "-b", "qemu_riscv64", HELLO, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    config, autoconf = config_lines(tmp_path / "c")
    assert "CONFIG_MM_COW=y" in config
    assert "#define CONFIG_MM_COW 1" in autoconf


def test_misspelled_symbol_fails_with_one_line_naming_it(tmp_path):
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), HELLO, "--",
               "-DCONFIG_MM_CWO=y", cwd=tmp_path)
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert "Traceback" not in out
    errors = error_lines(out)
    assert errors and "MM_CWO" in errors[0], out
    assert "MM_COW" in errors[0]          # the did-you-mean


def test_unknown_board_fails_with_one_line(tmp_path):
    res = inox("build", "-b", "no_such_board", "-d", str(tmp_path / "b"), HELLO, cwd=tmp_path)
    assert res.returncode != 0
    errors = error_lines(res.stdout + res.stderr)
    assert errors and "unknown board 'no_such_board'" in errors[0]
    assert "Traceback" not in res.stdout + res.stderr


def test_unknown_variant_fails_with_one_line(tmp_path):
    res = inox("build", "-b", "qemu_riscv64/foo", "-d", str(tmp_path / "b"), HELLO, cwd=tmp_path)
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert error_lines(out) == ["   error: board qemu_riscv64 has no variant 'foo' "
                                "(variants: smp)"], out
    assert "Traceback" not in out


def test_board_root_shadows_an_in_tree_board(tmp_path):
    # A copy of the qemu_riscv64 folder under BOARD_ROOT, with another model string: the
    # build must take the copy, as `scripts/inox boards --board-root` would list it.
    shadow = tmp_path / "root" / "boards" / "qemu" / "riscv64_virt"
    shutil.copytree(os.path.join(REPO, "boards", "qemu", "riscv64_virt"), shadow)
    dts = shadow / "qemu_riscv64.dts"
    dts.write_text(dts.read_text().replace('model = "', 'model = "shadow ', 1))
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), HELLO, "--",
               f"-DBOARD_ROOT={tmp_path / 'root'}", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"Board: qemu_riscv64 ({shadow})" in res.stdout
    with open(tmp_path / "b" / "inox" / "inox.dts") as f:
        assert 'model = "shadow ' in f.read()


def test_overlay_missing_required_property_names_node_and_property(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    (app / "boards").mkdir()
    # The syscon-poweroff binding requires 'offset'.
    (app / "boards" / "qemu_riscv64.overlay").write_text(
        "/ { poweroff2 { compatible = \"syscon-poweroff\"; regmap = <&test>; }; };\n")
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), str(app), cwd=tmp_path)
    assert res.returncode != 0
    out = res.stdout + res.stderr
    errors = error_lines(out)
    assert errors, out
    assert "/poweroff2" in errors[0] and "offset" in errors[0], errors[0]
    assert "Traceback" not in out


BAD_INPUTS = {
    # name: (files written into a copy of hello_world, text the one error line must hold)
    "malformed dts": ({"boards/qemu_riscv64.overlay": "/ {\n\tfoo { status = \"okay\" };\n};\n"},
                      "qemu_riscv64.overlay:2"),
    "dts ending inside a block": ({"boards/qemu_riscv64.overlay": "/ { foo { };\n"},
                                  "qemu_riscv64.overlay: syntax error at the end of the file"),
    "wrong property type in app.overlay": (
        {"app.overlay": "/ {\n};\n\n&uart0 {\n\treg-shift = \"x\";\n};\n"},
        'app.overlay:5: /soc/serial@10000000: property "reg-shift" should be int (4 bytes), '
        'got 2 bytes'),
    "unknown compatible": ({"boards/qemu_riscv64.overlay":
                            "/ { foo { compatible = \"acme,nothing\"; }; };\n"},
                           '/foo: no binding for compatible "acme,nothing"'),
    "Kconfig int given a word": ({"prj.conf": "CONFIG_MAX_PROCS=many\n"},
                                 'prj.conf:1: CONFIG_MAX_PROCS: "many" is not a valid int value'),
    "Kconfig bool given a number": ({"prj.conf": "CONFIG_MM_COW=2\n"},
                                    "prj.conf:1: CONFIG_MM_COW"),
    # Zephyr aborts on every Kconfig warning; kconfiglib only warns about this one.
    "Kconfig select of a symbol with unmet dependencies": (
        {"Kconfig": "config APP_FEATURE\n\tbool \"feature\"\n\tdefault y\n"
                    "\tselect APP_HELPER\n\n"
                    "config APP_HELPER\n\tbool\n\tdepends on APP_NEVER\n\n"
                    "config APP_NEVER\n\tbool\n\n"
                    "source \"Kconfig.inox\"\n"},
        "APP_HELPER (defined at"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_build_input_stops_with_one_line(tmp_path, name):
    files, want = BAD_INPUTS[name]
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    for rel, text in files.items():
        (app / rel).parent.mkdir(exist_ok=True)
        (app / rel).write_text(text)
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), str(app), cwd=tmp_path)
    out = res.stdout + res.stderr
    assert res.returncode != 0, out
    assert "Traceback" not in out
    errors = error_lines(out)
    assert len(errors) == 1 and want in errors[0], out


def test_app_folder_without_cmakelists_is_one_line(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.c").write_text("int main(void) { return 0; }\n")
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), str(app), cwd=tmp_path)
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "Traceback" not in out
    assert error_lines(out) == [f"error: APP has no CMakeLists.txt: {app}"], out
    assert not (tmp_path / "b").exists()


def test_out_of_tree_app_builds_and_boots(tmp_path):
    app = tmp_path / "elsewhere" / "my_app"
    (app / "src").mkdir(parents=True)
    (app / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.20)\n"
        "find_package(Inox REQUIRED HINTS $ENV{INOX_BASE})\n"
        "project(my_app C)\n"
        "target_sources(app PRIVATE src/main.c)\n")
    (app / "prj.conf").write_text("CONFIG_BOOT_BANNER=n\n")
    (app / "src" / "main.c").write_text(
        "#include <inox/kernel.h>\n"
        "int main(void)\n{\n\tprintk(\"out of tree on %s\\n\", CONFIG_BOARD_TARGET);\n"
        "\treturn 0;\n}\n")
    env_base = dict(os.environ, INOX_BASE=REPO)
    build = tmp_path / "build"
    res = subprocess.run(["cmake", "-G", "Ninja", "-S", str(app), "-B", str(build),
                          "-DBOARD=qemu_riscv64"], env=env_base, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    res = subprocess.run(["cmake", "--build", str(build), "-t", "run"], env=env_base,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "out of tree on qemu_riscv64" in res.stdout
    assert "Booting Inox" not in res.stdout            # its prj.conf took effect


POSIX_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	char buf[32];
	char *heap = sbrk(8192);
	pid_t pid;
	int status;
	ssize_t n;

	if (heap == (void *)-1 || pipe(fds) != 0) {
		return 1;
	}
	strcpy(heap, "from the heap");
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		write(fds[1], heap, strlen(heap) + 1);
		_exit(7);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf));
	waitpid(pid, &status, 0);
	printf("posix: child said '%s' (%d bytes), exit %d\n", buf, (int)n, WEXITSTATUS(status));
	return 0;
}
"""


def test_plain_posix_program_out_of_tree(tmp_path):
    """A POSIX C program written elsewhere builds unchanged as an app's init and runs."""
    app = tmp_path / "posix_app"
    app.mkdir()
    (app / "hello_posix.c").write_text(POSIX_PROGRAM)
    (app / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.20)\n"
        "find_package(Inox REQUIRED HINTS $ENV{INOX_BASE})\n"
        "project(posix_app C)\n"
        "inox_user_program(init SOURCES hello_posix.c)\n")
    (app / "prj.conf").write_text("")
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), str(app), "-t", "run",
               cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "posix: child said 'from the heap' (14 bytes), exit 7" in res.stdout
    assert "init: exited with status 0" in res.stdout


def test_saved_config_edit_changes_the_image(tmp_path):
    """menuconfig's save (a .config written by kconfiglib) survives the next build, and the
    rebuilt image forks eagerly."""
    build = tmp_path / "b"
    app = os.path.join(REPO, "tests", "userspace", "cow")
    res = inox("build", "-b", "qemu_riscv64", "-d", str(build), app, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    dotconfig = build / "inox" / ".config"
    # What menuconfig does on save: kconfiglib loads the tree, sets the symbol, writes .config.
    script = (
        "import os, sys; sys.path.insert(0, sys.argv[1]); import kconfiglib\n"
        "k = kconfiglib.Kconfig(sys.argv[2], warn_to_stderr=False)\n"
        "k.load_config(sys.argv[3])\n"
        "k.syms['MM_COW'].set_value('n')\n"
        "k.write_config(sys.argv[3])\n")
    env = dict(os.environ, srctree=REPO, KCONFIG_BINARY_DIR=str(build / "inox"),
               BOARD="qemu_riscv64", BOARD_DIR=os.path.join(REPO, "boards", "qemu",
                                                            "riscv64_virt"),
               BOARD_QUALIFIERS="", APP_DIR=app, INOX_BASE=REPO)
    edit = subprocess.run([sys.executable, "-c", script, os.path.join(REPO, "scripts", "kconfig"),
                           os.path.join(REPO, "Kconfig"), str(dotconfig)], env=env,
                          capture_output=True, text=True)
    assert edit.returncode == 0, edit.stderr
    res = inox("build", "-d", str(build), "-t", "run", cwd=tmp_path, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "# CONFIG_MM_COW is not set" in dotconfig.read_text()
    assert "fork is eager" in res.stdout
    assert "big fork: " in res.stdout and "fork failed with ENOMEM" in res.stdout


def configure(app, build, board="qemu_riscv64", *args):
    """cmake's configure step alone, as a user outside the tree would run it."""
    env = dict(os.environ, INOX_BASE=REPO)
    return subprocess.run(["cmake", "-G", "Ninja", "-S", str(app), "-B", str(build),
                           f"-DBOARD={board}", *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)


def marker_overlay(name):
    return f"/ {{ {name} {{ }}; }};\n"


# (board, application files, extra cmake args, overlays expected in order)
OVERLAY_CASES = {
    "app.overlay alone": ("qemu_riscv64", ["app.overlay"], [], ["app.overlay"]),
    "<board>.overlay beats app.overlay":
        ("qemu_riscv64", ["app.overlay", "qemu_riscv64.overlay"], [], ["qemu_riscv64.overlay"]),
    "boards/ beats both, board then target":
        ("qemu_riscv64/smp", ["app.overlay", "qemu_riscv64_smp.overlay",
                              "boards/qemu_riscv64.overlay", "boards/qemu_riscv64_smp.overlay"],
         [], ["boards/qemu_riscv64.overlay", "boards/qemu_riscv64_smp.overlay"]),
    "DTC_OVERLAY_FILE replaces them, EXTRA_ appended":
        ("qemu_riscv64", ["app.overlay", "boards/qemu_riscv64.overlay", "mine.overlay",
                          "extra.overlay"],
         ["-DDTC_OVERLAY_FILE=mine.overlay", "-DEXTRA_DTC_OVERLAY_FILE=extra.overlay"],
         ["mine.overlay", "extra.overlay"]),
}


@pytest.mark.parametrize("name", sorted(OVERLAY_CASES))
def test_app_overlays_in_zephyrs_order(tmp_path, name):
    board, files, args, want = OVERLAY_CASES[name]
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    for rel in files:
        (app / rel).parent.mkdir(exist_ok=True)
        (app / rel).write_text(marker_overlay("marker_" + rel.replace("/", "_").replace(".", "_")))
    res = configure(app, tmp_path / "b", board, *args)
    assert res.returncode == 0, res.stdout + res.stderr
    found = [ln.split("Found devicetree overlay: ", 1)[1] for ln in res.stdout.splitlines()
             if "Found devicetree overlay: " in ln]
    assert found == [str(app / rel) for rel in want], res.stdout
    dts = (tmp_path / "b" / "inox" / "inox.dts").read_text()
    for rel in files:
        marker = "marker_" + rel.replace("/", "_").replace(".", "_")
        assert (marker in dts) == (rel in want), (marker, dts)


def test_board_conf_merged_after_prj_conf(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    (app / "prj.conf").write_text("CONFIG_MM_COW=y\n")
    (app / "boards").mkdir()
    (app / "boards" / "qemu_riscv64.conf").write_text("CONFIG_MM_COW=n\n")
    (app / "boards" / "qemu_riscv64_smp.conf").write_text("CONFIG_BOOT_BANNER=n\n")
    res = configure(app, tmp_path / "b", "qemu_riscv64/smp")
    assert res.returncode == 0, res.stdout + res.stderr
    merged = [ln.removeprefix("-- ") for ln in res.stdout.splitlines()
              if "Loaded configuration" in ln or "Merged configuration" in ln]
    defconfig = os.path.join(REPO, "boards", "qemu", "riscv64_virt", "qemu_riscv64_smp_defconfig")
    assert merged == [f"Loaded configuration '{defconfig}'",
                      f"Merged configuration '{app / 'prj.conf'}'",
                      f"Merged configuration '{app / 'boards' / 'qemu_riscv64.conf'}'",
                      f"Merged configuration '{app / 'boards' / 'qemu_riscv64_smp.conf'}'"]
    config, _ = config_lines(tmp_path / "b")
    assert "# CONFIG_MM_COW is not set" in config
    assert "# CONFIG_BOOT_BANNER is not set" in config
    # CONF_FILE replaces prj.conf and the board fragments, as in Zephyr.
    (app / "other.conf").write_text("")
    res = configure(app, tmp_path / "c", "qemu_riscv64", "-DCONF_FILE=other.conf")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "qemu_riscv64.conf" not in res.stdout
    config, _ = config_lines(tmp_path / "c")
    assert "CONFIG_MM_COW=y" in config


def test_rom_ram_reports_and_memory_usage(tmp_path):
    """-t rom_report / ram_report place every symbol under its source file, and every link
    prints the linker's memory-region summary."""
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "b"), str(app), "-t",
               "rom_report", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Memory region         Used Size  Region Size  %age Used" in res.stdout
    # ld prints a used size that is a whole number of KiB in KB, else in B.
    assert re.search(r"^\s+RAM:\s+\d+ K?B\s+254 MB\s+\d+\.\d\d%$", res.stdout, re.M), res.stdout
    rom = json.loads((tmp_path / "b" / "inox" / "rom.json").read_text())["symbols"]
    assert rom["name"] == "Root" and "(hidden)" in [c["name"] for c in rom["children"]]
    # The app lives outside the tree: its main() is under APPLICATION, the kernel's entry
    # under INOX_BASE.
    assert re.search(r"APPLICATION\s+\d+ .*\n.*src.*\n.*main\.c.*\n.*main\s+\d+\s+[\d.]+%  0x",
                     res.stdout), res.stdout
    assert re.search(r"init\.c\s+\d+ .*\n(.*\n)*?.*z_cstart\s+\d+", res.stdout)
    res = inox("build", "-d", str(tmp_path / "b"), "-t", "ram_report", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(r"pt_pool\s+\d{5,}\s+[\d.]+%  0x", res.stdout), res.stdout
    ram = json.loads((tmp_path / "b" / "inox" / "ram.json").read_text())
    sys.path.insert(0, os.path.join(REPO, "scripts", "pylib"))
    from twister.reports import elf_sizes
    assert (ram["total_size"], rom["size"]) == elf_sizes(tmp_path / "b" / "inox" / "inox.elf")


@pytest.mark.parametrize("choice,flag", [(None, "-O2"), ("SIZE_OPTIMIZATIONS", "-Os"),
                                         ("DEBUG_OPTIMIZATIONS", "-Og")])
def test_optimization_level_is_a_kconfig_choice(tmp_path, choice, flag):
    args = [f"-DCONFIG_{choice}=y"] if choice else []
    res = configure(HELLO, tmp_path / "b", "qemu_riscv64", *args)
    assert res.returncode == 0, res.stdout + res.stderr
    commands = json.loads((tmp_path / "b" / "compile_commands.json").read_text())
    init = next(c["command"] for c in commands if c["file"].endswith("kernel/init.c"))
    assert f" {flag} " in init and not {"-O0", "-O2", "-Os", "-Og"} - {flag} & set(init.split())


def test_ccache_when_installed(tmp_path):
    """A ccache on PATH compiles everything, unless -DUSE_CCACHE=0 (a stand-in that logs and
    runs the compiler, so the test needs no ccache)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "ccache.log"
    (bindir / "ccache").write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec "$@"\n')
    (bindir / "ccache").chmod(0o755)
    env = dict(os.environ, INOX_BASE=REPO, PATH=f"{bindir}:{os.environ['PATH']}")
    for build, args, used in (("on", [], True), ("off", ["-DUSE_CCACHE=0"], False)):
        res = subprocess.run(["cmake", "-G", "Ninja", "-S", HELLO, "-B", str(tmp_path / build),
                              "-DBOARD=qemu_riscv64", *args], env=env, capture_output=True,
                             text=True)
        assert res.returncode == 0, res.stdout + res.stderr
        log.unlink(missing_ok=True)
        res = subprocess.run(["cmake", "--build", str(tmp_path / build), "-t", "libapp.a"],
                             env=env, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
        assert log.exists() == used
        if used:
            assert "riscv64-unknown-elf-gcc" in log.read_text()


def test_full_board_spelling_and_revisions(tmp_path):
    # Zephyr's full spelling board/soc/variant names the same target as board/variant.
    res = configure(HELLO, tmp_path / "full", "qemu_riscv64/qemu_virt_riscv64/smp")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "-- Board: qemu_riscv64/smp (" in res.stdout
    assert 'CONFIG_BOARD_TARGET="qemu_riscv64/smp"' in config_lines(tmp_path / "full")[0]

    # A board root (outside the tree) whose copy of qemu_riscv64 has two revisions, the
    # second with its own fragment and overlay in the board folder.
    board = tmp_path / "root" / "boards" / "qemu" / "riscv64_virt"
    shutil.copytree(os.path.join(REPO, "boards", "qemu", "riscv64_virt"), board)
    yml = board / "board.yml"
    yml.write_text(yml.read_text() + "  revision:\n    format: major.minor.patch\n"
                   "    default: \"1.0.0\"\n    revisions:\n      - name: \"1.0.0\"\n"
                   "      - name: \"2.0.0\"\n")
    (board / "qemu_riscv64_2_0_0.conf").write_text("CONFIG_BOOT_BANNER=n\n")
    (board / "qemu_riscv64_2_0_0.overlay").write_text(marker_overlay("rev2_marker"))
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    (app / "boards").mkdir()
    (app / "boards" / "qemu_riscv64_2_0_0.conf").write_text("CONFIG_MM_COW=n\n")
    root = f"-DBOARD_ROOT={tmp_path / 'root'}"
    res = configure(app, tmp_path / "rev2", "qemu_riscv64@2.0.0", root)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "-- Board: qemu_riscv64, revision 2.0.0 (" in res.stdout
    config = config_lines(tmp_path / "rev2")[0]
    assert 'CONFIG_BOARD_REVISION="2.0.0"' in config
    assert "# CONFIG_BOOT_BANNER is not set" in config and "# CONFIG_MM_COW is not set" in config
    assert "rev2_marker" in (tmp_path / "rev2" / "inox" / "inox.dts").read_text()
    res = configure(app, tmp_path / "rev1", "qemu_riscv64", root)
    assert res.returncode == 0, res.stdout + res.stderr
    config = config_lines(tmp_path / "rev1")[0]
    assert 'CONFIG_BOARD_REVISION="1.0.0"' in config and "CONFIG_BOOT_BANNER=y" in config
    res = configure(app, tmp_path / "rev3", "qemu_riscv64@3.0.0", root)
    assert res.returncode != 0
    assert error_lines(res.stdout + res.stderr) == [
        "   error: board qemu_riscv64 has no revision '3.0.0' (revisions: 1.0.0, 2.0.0)"]
    res = configure(app, tmp_path / "norev", "qemu_riscv64@1.0.0")
    assert error_lines(res.stdout + res.stderr) == [
        "   error: board qemu_riscv64 has no revisions; leave out @1.0.0"]


def test_snippets(tmp_path):
    """-S NAME applies a snippet of the tree (debug) or of the app, per board; an unknown
    one is one error line."""
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    mine = app / "snippets" / "mine"
    mine.mkdir(parents=True)
    (mine / "snippet.yml").write_text(
        "name: mine\nappend:\n  EXTRA_DTC_OVERLAY_FILE: mine.overlay\n"
        "boards:\n  /qemu_riscv64\\/.*/:\n    append:\n      EXTRA_CONF_FILE: smp.conf\n")
    (mine / "mine.overlay").write_text(marker_overlay("mine_marker"))
    (mine / "smp.conf").write_text("CONFIG_BOOT_BANNER=n\n")
    res = inox("build", "-b", "qemu_riscv64/smp", "-d", str(tmp_path / "b"), str(app),
               "-S", "debug", "-S", "mine", "-t", "run", cwd=tmp_path, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"Merged configuration '{os.path.join(REPO, 'snippets', 'debug', 'debug.conf')}'" \
        in res.stdout
    assert f"Found devicetree overlay: {mine / 'mine.overlay'}" in res.stdout
    config, _ = config_lines(tmp_path / "b")
    assert "CONFIG_DEBUG_OPTIMIZATIONS=y" in config                  # the debug snippet
    assert "# CONFIG_BOOT_BANNER is not set" in config              # mine, for /smp only
    assert "mine_marker" in (tmp_path / "b" / "inox" / "inox.dts").read_text()
    assert "Hello World! qemu_riscv64/smp" in res.stdout            # -Og boots
    res = inox("build", "-b", "qemu_riscv64", "-d", str(tmp_path / "c"), str(app), "-S",
               "nope", cwd=tmp_path)
    assert res.returncode != 0
    assert error_lines(res.stdout + res.stderr) == [
        f"   error: snippet 'nope' not found; known snippets: debug, mine (searched "
        f"{app / 'snippets'}, {os.path.join(REPO, 'snippets')})"]
