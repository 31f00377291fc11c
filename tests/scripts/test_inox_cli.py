# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/inox, the west-style command, and of its self-setup (inox_setup).

The CLI runs as a subprocess, as a user runs it, with INOX_SKIP_SETUP=1 (no toolchain needed)
and a fake `cmake` first on PATH: a small script that logs its argv and environment to a
file and, when asked to configure, writes BUILD/CMakeCache.txt (BOARD, APPLICATION_SOURCE_DIR)
and BUILD/build.ninja as the real build does. `inox test` gets stand-in tools through
INOX_PYTEST and INOX_TWISTER. The setup's decisions are tested in-process against a faked
host (shutil.which, os.geteuid, subprocess.run): nothing is installed.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INOX = os.path.join(REPO, "scripts", "inox")
sys.path.insert(0, os.path.join(REPO, "scripts", "pylib"))

import inox_setup  # noqa: E402
from inox_cli import build as build_mod  # noqa: E402
from inox_cli import main as main_mod  # noqa: E402

FAKE_CMAKE = textwrap.dedent("""\
    #!{python}
    import json, os, sys
    argv = sys.argv[1:]
    with open(os.environ["FAKE_CMAKE_LOG"], "a") as f:
        f.write(json.dumps({{"argv": argv, "INOX_BASE": os.environ.get("INOX_BASE")}}) + "\\n")
    if "-S" in argv:
        src, bld = argv[argv.index("-S") + 1], argv[argv.index("-B") + 1]
        board = [a[len("-DBOARD="):] for a in argv if a.startswith("-DBOARD=")][-1]
        os.makedirs(os.path.join(bld, "inox"), exist_ok=True)
        with open(os.path.join(bld, "CMakeCache.txt"), "w") as f:
            f.write("# This is the CMakeCache file.\\n"
                    f"BOARD:STRING={{board}}\\n"
                    f"APPLICATION_SOURCE_DIR:PATH={{src}}\\n"
                    f"CMAKE_HOME_DIRECTORY:INTERNAL={{src}}\\n")
        open(os.path.join(bld, "build.ninja"), "w").close()
        sys.exit(int(os.environ.get("FAKE_CMAKE_CONFIGURE_RC", "0")))
    sys.exit(int(os.environ.get("FAKE_CMAKE_BUILD_RC", "0")))
    """)


class Cli:
    """Runs scripts/inox in a scratch folder with the fake cmake first on PATH."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.log = tmp_path / "cmake.log"
        cmake = self.bin / "cmake"
        cmake.write_text(FAKE_CMAKE.format(python=sys.executable))
        cmake.chmod(0o755)
        self.cwd = tmp_path / "work"
        self.cwd.mkdir()
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("BOARD", "INOX_PYTEST", "INOX_TWISTER")}
        self.env.update(INOX_SKIP_SETUP="1", FAKE_CMAKE_LOG=str(self.log),
                        PATH=f"{self.bin}{os.pathsep}{os.environ['PATH']}")

    def app(self, name="app"):
        path = self.cwd / name
        path.mkdir(exist_ok=True)
        (path / "CMakeLists.txt").write_text("# an application\n")
        return path

    def __call__(self, *args, cwd=None, **env):
        p = subprocess.run([sys.executable, INOX, *args], cwd=cwd or self.cwd,
                           env=dict(self.env, **env), capture_output=True, text=True,
                           timeout=120)
        return p

    def calls(self):
        """The argv of every cmake call since the last one, then forgets them."""
        if not self.log.exists():
            return []
        calls = [json.loads(line) for line in self.log.read_text().splitlines()]
        self.log.unlink()
        for c in calls:
            assert c["INOX_BASE"] == REPO
        return [c["argv"] for c in calls]


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path)


def configure(app, build, board, *extra):
    return ["-G", "Ninja", "-S", str(app), "-B", str(build), f"-DBOARD={board}", *extra]


def one_error_line(p):
    assert "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --- build ---------------------------------------------------------------------------------

def test_build_configures_then_builds(cli):
    app = cli.app()
    p = cli("build", "-b", "qemu_riscv64", cwd=app)
    assert p.returncode == 0, p.stderr
    build = app / "build"
    assert cli.calls() == [configure(app, build, "qemu_riscv64"), ["--build", str(build)]]

    # Configured: no CMake run, board and application come from the build folder.
    p = cli("build", cwd=app)
    assert p.returncode == 0, p.stderr
    assert cli.calls() == [["--build", str(build)]]
    assert p.stdout == ""


def test_build_dir_target_and_cmake_args(cli):
    app = cli.app()
    p = cli("build", "-b", "qemu_riscv64/smp", "-d", "out/b1", "-t", "run", str(app), "--",
            "-DEXTRA_CONF_FILE=debug.conf", "-DFOO=1")
    assert p.returncode == 0, p.stderr
    build = cli.cwd / "out" / "b1"
    assert cli.calls() == [
        configure(app, build, "qemu_riscv64/smp", "-DEXTRA_CONF_FILE=debug.conf", "-DFOO=1"),
        ["--build", str(build), "-t", "run"]]

    # CMake arguments re-run CMake on a configured folder; -c forces it; -o goes to Ninja.
    p = cli("build", "-d", "out/b1", "--", "-DFOO=2")
    assert p.returncode == 0, p.stderr
    assert cli.calls() == [configure(app, build, "qemu_riscv64/smp", "-DFOO=2"),
                           ["--build", str(build)]]
    p = cli("build", "-d", "out/b1", "-c", "-o=-v", "-t", "menuconfig")
    assert p.returncode == 0, p.stderr
    assert cli.calls() == [configure(app, build, "qemu_riscv64/smp"),
                           ["--build", str(build), "-t", "menuconfig", "--", "-v"]]


def test_board_change_makes_the_folder_pristine(cli):
    app = cli.app()
    assert cli("build", "-b", "qemu_riscv64", str(app)).returncode == 0
    stale = cli.cwd / "build" / "stale.o"
    stale.write_text("")
    cli.calls()

    p = cli("build", "-b", "hifive_unleashed/qemu", str(app))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [
        "-- inox build: making build folder build pristine (it was configured for board "
        "qemu_riscv64, not hifive_unleashed/qemu)"]
    assert not stale.exists()
    build = cli.cwd / "build"
    assert cli.calls() == [configure(app, build, "hifive_unleashed/qemu"),
                           ["--build", str(build)]]


def test_app_change_makes_the_folder_pristine(cli):
    one, two = cli.app("one"), cli.app("two")
    assert cli("build", "-b", "qemu_riscv64", str(one)).returncode == 0
    cli.calls()
    p = cli("build", str(two))          # board from the build folder
    assert p.returncode == 0, p.stderr
    assert "pristine (it was configured for application" in p.stdout
    build = cli.cwd / "build"
    assert cli.calls() == [configure(two, build, "qemu_riscv64"), ["--build", str(build)]]


def test_pristine_never_refuses_a_mismatch(cli):
    app = cli.app()
    assert cli("build", "-b", "qemu_riscv64", str(app)).returncode == 0
    cli.calls()
    p = cli("build", "-p", "never", "-b", "qemu_riscv64/smp", str(app))
    assert p.returncode == 1
    line = one_error_line(p)
    assert "configured for board qemu_riscv64, not qemu_riscv64/smp" in line
    assert cli.calls() == []
    assert (cli.cwd / "build" / "CMakeCache.txt").exists()

    # Without a mismatch, never just builds.
    p = cli("build", "-p", "never", str(app))
    assert p.returncode == 0, p.stderr
    assert cli.calls() == [["--build", str(cli.cwd / "build")]]


def test_pristine_always(cli):
    app = cli.app()
    assert cli("build", "-b", "qemu_riscv64", str(app)).returncode == 0
    cli.calls()
    for flag in (["-p", "always"], ["-p"]):
        p = cli("build", *flag, "-d", "build", "-b", "qemu_riscv64", str(app))
        assert p.returncode == 0, p.stderr
        assert "pristine (-p always)" in p.stdout
        assert cli.calls()[0] == configure(app, cli.cwd / "build", "qemu_riscv64")


def test_missing_cmakelists_is_one_line(cli):
    p = cli("build", "-b", "qemu_riscv64")               # cwd has no CMakeLists.txt
    assert p.returncode == 1
    assert one_error_line(p) == f"error: APP has no CMakeLists.txt: {cli.cwd}"
    p = cli("build", "-b", "qemu_riscv64", "nowhere")
    assert one_error_line(p) == "error: APP has no CMakeLists.txt: nowhere"
    assert cli.calls() == []


def test_inox_tree_is_not_an_app(cli):
    if not os.path.isfile(os.path.join(REPO, "CMakeLists.txt")):
        pytest.skip("the tree has no top-level CMakeLists.txt yet")
    p = cli("build", "-b", "qemu_riscv64", REPO)
    assert "is the Inox tree itself" in one_error_line(p)


def test_no_board_is_an_error(cli):
    app = cli.app()
    p = cli("build", cwd=app)
    assert p.returncode == 1
    assert "no board" in one_error_line(p)
    p = cli("build", cwd=app, BOARD="qemu_riscv64")      # as west: $BOARD
    assert p.returncode == 0, p.stderr
    assert cli.calls()[0] == configure(app, app / "build", "qemu_riscv64")


def test_cmake_status_passes_through(cli):
    app = cli.app()
    p = cli("build", "-b", "qemu_riscv64", str(app), FAKE_CMAKE_CONFIGURE_RC="1")
    assert p.returncode == 1
    assert len(cli.calls()) == 1                     # no build after a failed configure
    p = cli("build", str(app), FAKE_CMAKE_BUILD_RC="7")
    assert p.returncode == 7
    assert "Traceback" not in p.stderr


def test_target_pristine_removes_the_folder(cli):
    app = cli.app()
    assert cli("build", "-b", "qemu_riscv64", str(app)).returncode == 0
    cli.calls()
    p = cli("build", "-t", "pristine")
    assert p.returncode == 0, p.stderr
    assert not (cli.cwd / "build").exists()
    assert cli.calls() == []
    assert cli("build", "-t", "pristine").returncode == 0      # already gone: fine

    (cli.cwd / "notabuild").mkdir()
    (cli.cwd / "notabuild" / "precious.c").write_text("")
    p = cli("build", "-t", "pristine", "-d", "notabuild")
    assert p.returncode == 1
    assert "not a build folder" in one_error_line(p)
    assert (cli.cwd / "notabuild" / "precious.c").exists()


def test_build_folder_must_not_hold_the_app(cli):
    app = cli.app()
    p = cli("build", "-b", "qemu_riscv64", "-d", ".", cwd=app)
    assert p.returncode == 1
    assert "contains the application folder" in one_error_line(p)
    assert cli.calls() == []


# --- run, flash, debug, debugserver ------------------------------------------------------

def test_run_builds_the_run_target(cli):
    app = cli.app()
    p = cli("run", str(app))
    assert p.returncode == 0, p.stderr
    build = cli.cwd / "build"
    assert cli.calls() == [configure(app, build, "qemu_riscv64"),
                           ["--build", str(build), "-t", "run"]]
    p = cli("run", "-b", "qemu_riscv64/smp", "-d", "b2", str(app))
    assert p.returncode == 0, p.stderr
    assert cli.calls() == [configure(app, cli.cwd / "b2", "qemu_riscv64/smp"),
                           ["--build", str(cli.cwd / "b2"), "-t", "run"]]


def test_run_without_arguments_boots_the_demo(cli):
    demo = build_mod.default_demo()
    if not os.path.isfile(os.path.join(demo, "CMakeLists.txt")):
        pytest.skip(f"no demo application yet ({demo})")
    p = cli("run")
    assert p.returncode == 0, p.stderr
    build = cli.cwd / "build"
    assert cli.calls() == [configure(demo, build, "qemu_riscv64"),
                           ["--build", str(build), "-t", "run"]]


def test_default_demo_prefers_cow_demo(tmp_path, monkeypatch):
    monkeypatch.setattr(build_mod, "INOX_BASE", str(tmp_path))
    (tmp_path / "samples" / "hello_world").mkdir(parents=True)
    assert build_mod.default_demo() == str(tmp_path / "samples" / "hello_world")
    (tmp_path / "samples" / "cow_demo").mkdir()
    assert build_mod.default_demo() == str(tmp_path / "samples" / "cow_demo")


@pytest.mark.parametrize("target", ["flash", "debug", "debugserver"])
def test_runner_targets(cli, target):
    p = cli(target)
    assert p.returncode == 1
    assert "build is not a configured build folder" in one_error_line(p)
    app = cli.app()
    assert cli("build", "-b", "hifive_unleashed", "-d", "hw", str(app)).returncode == 0
    cli.calls()
    p = cli(target, "-d", "hw")
    assert p.returncode == 0, p.stderr
    assert cli.calls() == [["--build", str(cli.cwd / "hw"), "-t", target]]


def test_usage_errors(cli):
    p = cli("frobnicate")
    assert p.returncode == 2 and "invalid choice" in p.stderr
    p = cli("build", "--bogus")
    assert p.returncode == 2 and "unrecognized arguments: --bogus" in p.stderr
    p = cli("flash", "--", "-DFOO=1")
    assert p.returncode == 2
    p = cli("build", "-p", "sometimes")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert cli.calls() == []


# --- boards ------------------------------------------------------------------------------

def test_boards_lists_the_real_boards(cli):
    pytest.importorskip("yaml")
    p = cli("boards")
    assert p.returncode == 0, p.stderr
    rows = {line.split()[0]: line.split(None, 1)[1] for line in p.stdout.splitlines()}
    for target in ("qemu_riscv64", "qemu_riscv64/smp", "hifive_unleashed",
                   "hifive_unleashed/qemu", "mpfs_icicle", "mpfs_icicle/qemu"):
        assert target in rows
    assert rows["qemu_riscv64"] == "QEMU emulation of the RISC-V virt machine (64-bit)"
    assert rows["hifive_unleashed/qemu"].endswith("variant qemu")
    assert rows["mpfs_icicle"] == "Microchip PolarFire SoC Icicle Kit (MPFS250T)"
    p = cli("boards", "-n", "^hifive")
    assert [line.split()[0] for line in p.stdout.splitlines()] == ["hifive_unleashed",
                                                                   "hifive_unleashed/qemu"]


def test_boards_socs_nested_variants_and_errors(cli):
    pytest.importorskip("yaml")
    root = cli.tmp / "boards"
    (root / "v" / "multi").mkdir(parents=True)
    (root / "v" / "multi" / "board.yml").write_text(textwrap.dedent("""\
        board:
          name: multi
          full_name: Two SoCs
          socs:
            - name: a
              variants:
                - name: fast
                  variants:
                    - name: ns
            - name: b
        """))
    # --board-root takes a board root, the folder holding boards/, as west's.
    p = cli("boards", "--board-root", str(cli.tmp), "-n", "^multi")
    assert p.returncode == 0, p.stderr
    assert [line.split()[0] for line in p.stdout.splitlines()] == [
        "multi", "multi/a", "multi/a/fast", "multi/a/fast/ns", "multi/b"]
    p = cli("boards", "--board-root", str(cli.tmp), "-f", "{name};{vendor};{qualifiers};{hwm}")
    assert p.returncode == 0, p.stderr
    assert "multi;;a,a/fast,a/fast/ns,b;v2" in p.stdout.splitlines()
    assert "qemu_riscv64;qemu;smp;v2" in p.stdout.splitlines()      # the tree is searched too
    p = cli("boards", "-f", "{nope}")
    assert p.returncode == 1 and "'nope' is not a field" in one_error_line(p)

    (root / "v" / "bad").mkdir()
    (root / "v" / "bad" / "board.yml").write_text("board: [unclosed\n")
    p = cli("boards", "--board-root", str(root))
    assert p.returncode == 1
    assert "bad/board.yml: invalid YAML" in one_error_line(p)


# --- test ------------------------------------------------------------------------------

FAKE_PYTEST = textwrap.dedent("""\
    import os, sys
    args = sys.argv[1:]
    open(os.environ["FAKE_LOG"], "a").write("pytest " + " ".join(args) + "\\n")
    if os.environ.get("FAKE_PYTEST_MODE") == "broken":
        print("pytest: cannot even start")
        sys.exit(4)
    xml = [a.split("=", 1)[1] for a in args if a.startswith("--junitxml=")][0]
    failed = int(os.environ.get("FAKE_PYTEST_FAILED", "0"))
    with open(xml, "w") as f:
        f.write('<?xml version="1.0"?><testsuites><testsuite name="pytest" errors="0" '
                f'failures="{failed}" skipped="2" tests="{12 + failed}"/></testsuites>')
    print("FAKE PYTEST OUTPUT")
    sys.exit(1 if failed else 0)
    """)

FAKE_TWISTER = textwrap.dedent("""\
    import os, sys
    open(os.environ["FAKE_LOG"], "a").write("twister " + " ".join(sys.argv[1:]) + "\\n")
    mode = os.environ.get("FAKE_TWISTER_MODE", "pass")
    print("INFO    - 3 test scenarios")
    if mode == "crash":
        print("ERROR   - twister crashed: KeyError: 'x'")
        sys.exit(2)
    print("4 passed, 1 failed" if mode == "fail" else "5 passed, 0 failed")
    sys.exit(1 if mode == "fail" else 0)
    """)


@pytest.fixture
def fake_tests(cli):
    (cli.tmp / "fake_pytest.py").write_text(FAKE_PYTEST)
    (cli.tmp / "fake_twister.py").write_text(FAKE_TWISTER)
    cli.env.update(INOX_PYTEST=f"{sys.executable} {cli.tmp / 'fake_pytest.py'}",
                   INOX_TWISTER=f"{sys.executable} {cli.tmp / 'fake_twister.py'}",
                   FAKE_LOG=str(cli.tmp / "tools.log"))
    return cli


def test_test_sums_pytest_and_twister(fake_tests):
    cli = fake_tests
    p = cli("test", "-j", "3", "-p", "qemu_riscv64", "-v")
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout.splitlines()
    assert "FAKE PYTEST OUTPUT" in out and "INFO    - 3 test scenarios" in out
    assert "-- inox test: pytest: 10 passed, 0 failed, 2 skipped" in out
    assert "-- inox test: twister: 5 passed, 0 failed" in out
    assert out[-1] == "15 passed, 0 failed, 2 skipped"
    pytest_call, twister_call = (cli.tmp / "tools.log").read_text().splitlines()
    assert pytest_call.startswith("pytest -q tests/scripts -p no:cacheprovider --junitxml=")
    assert not pytest_call.split("--junitxml=")[1].startswith(REPO)
    # Not on a terminal, so a failure's console log goes inline.
    assert twister_call == "twister -O twister-out -j 3 --inline-logs -p qemu_riscv64 -v"


def test_test_inline_logs_once(fake_tests):
    cli = fake_tests
    assert cli("test", "-i").returncode == 0
    twister_call = (cli.tmp / "tools.log").read_text().splitlines()[1]
    assert twister_call == "twister -O twister-out -i"


def test_test_fails_when_a_test_fails(fake_tests):
    p = fake_tests("test", FAKE_TWISTER_MODE="fail", FAKE_PYTEST_FAILED="1")
    assert p.returncode == 1
    assert p.stdout.splitlines()[-1] == "14 passed, 2 failed, 2 skipped"
    assert p.stderr == ""


def test_test_reports_a_twister_crash(fake_tests):
    p = fake_tests("test", FAKE_TWISTER_MODE="crash")
    assert p.returncode == 1
    assert "twister did not finish (exit status 2" in one_error_line(p)
    assert p.stdout.splitlines()[-1] == "10 passed, 0 failed, 2 skipped"


def test_test_reports_pytest_not_runnable(fake_tests):
    p = fake_tests("test", FAKE_PYTEST_MODE="broken")
    assert p.returncode == 1
    assert "pytest is not runnable" in one_error_line(p)
    assert p.stdout.splitlines()[-1] == "5 passed, 0 failed"

    p = fake_tests("test", INOX_PYTEST="/nonexistent/pytest")
    assert p.returncode == 1
    assert "pytest is not runnable: cannot run /nonexistent/pytest" in one_error_line(p)


# --- self-setup --------------------------------------------------------------------------

class Host:
    """A faked host for inox_setup: which programs exist, who we are, what sudo does, and
    a record of every command run."""

    def __init__(self, monkeypatch, have=(), euid=1000, sudo=False, picolibc=True,
                 modules_missing=()):
        self.have = set(have)
        self.commands = []
        self.sudo = sudo
        self.after_install = None
        monkeypatch.setattr(inox_setup.shutil, "which",
                            lambda name: f"/usr/bin/{name}" if name in self.have else None)
        monkeypatch.setattr(inox_setup.os, "geteuid", lambda: euid)
        real_exists = os.path.exists
        monkeypatch.setattr(inox_setup.os.path, "exists",
                            lambda p: picolibc if p == inox_setup.PICOLIBC_SPECS
                            else real_exists(p))
        self.modules_missing = list(modules_missing)
        monkeypatch.setattr(inox_setup, "missing_modules", lambda: list(self.modules_missing))
        monkeypatch.setattr(inox_setup.subprocess, "run", self.run)

    def run(self, cmd, **kw):
        self.commands.append(list(cmd))
        ok = cmd[:2] != ["sudo", "-n"] or self.sudo
        if ok and "install" in cmd:
            self.have |= set(inox_setup.PROGRAMS)
            self.modules_missing = []
        return subprocess.CompletedProcess(cmd, 0 if ok else 1)


ALL_PROGRAMS = set(inox_setup.PROGRAMS) | {"apt-get", "sudo"}


def test_setup_is_silent_and_runs_nothing_when_complete(monkeypatch, capsys):
    host = Host(monkeypatch, have=ALL_PROGRAMS)
    inox_setup.ensure()
    assert host.commands == []
    assert capsys.readouterr() == ("", "")


def test_setup_maps_everything_to_debian_packages(monkeypatch):
    Host(monkeypatch, have={"apt-get"}, picolibc=False,
         modules_missing=list(inox_setup.PY_MODULES))
    assert inox_setup.packages(inox_setup.missing()) == [
        "gcc-riscv64-unknown-elf", "qemu-system-misc", "device-tree-compiler", "cmake",
        "ninja-build", "cpp", "gdb-multiarch", "u-boot-tools", "ccache",
        "picolibc-riscv64-unknown-elf",
        "python3-kconfiglib", "python3-libfdt", "python3-yaml", "python3-pytest",
        "python3-pyelftools", "python3-matplotlib", "python3-pyflakes", "python3-serial"]


def test_setup_without_root_or_sudo_says_what_to_install(monkeypatch):
    host = Host(monkeypatch, have=ALL_PROGRAMS - {"dtc", "mkimage"}, euid=1000, sudo=False,
                modules_missing=["libfdt"])
    with pytest.raises(inox_setup.SetupError) as e:
        inox_setup.ensure()
    assert str(e.value) == (
        "missing Debian packages: device-tree-compiler u-boot-tools python3-libfdt; "
        "install them with: sudo apt-get install -y device-tree-compiler u-boot-tools "
        "python3-libfdt")
    assert host.commands == [["sudo", "-n", "true"]]        # asked, never installed


def test_setup_installs_as_root(monkeypatch, capsys):
    host = Host(monkeypatch, have=ALL_PROGRAMS - {"ninja"}, euid=0)
    inox_setup.ensure()
    lock = f"DPkg::Lock::Timeout={inox_setup.LOCK_TIMEOUT}"
    assert host.commands == [
        ["apt-get", "-o", lock, "update"],
        ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", lock, "install", "-y",
         "ninja-build"]]
    assert "installing missing Debian packages: ninja-build" in capsys.readouterr().err


def test_setup_installs_through_sudo(monkeypatch):
    host = Host(monkeypatch, have=ALL_PROGRAMS - {"cmake"}, euid=1000, sudo=True)
    inox_setup.ensure()
    assert host.commands[0] == ["sudo", "-n", "true"]
    assert host.commands[1][:3] == ["sudo", "-n", "apt-get"] and "update" in host.commands[1]
    assert host.commands[2][:4] == ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    assert host.commands[2][-1] == "cmake"


def test_setup_error_reaches_the_user_as_one_line(monkeypatch, capsys):
    Host(monkeypatch, have=ALL_PROGRAMS - {"qemu-system-riscv64"}, euid=1000, sudo=False)
    monkeypatch.delenv("INOX_SKIP_SETUP", raising=False)
    assert main_mod.main(["build", "-b", "qemu_riscv64"]) == 1
    err = capsys.readouterr().err
    assert err == ("error: missing Debian packages: qemu-system-misc; install them with: "
                   "sudo apt-get install -y qemu-system-misc\n")


def test_setup_skipped_for_boards(monkeypatch, capsys):
    pytest.importorskip("yaml")
    host = Host(monkeypatch, have=set(), euid=1000)
    monkeypatch.delenv("INOX_SKIP_SETUP", raising=False)
    assert main_mod.main(["boards"]) == 0
    assert host.commands == []
    assert "qemu_riscv64/smp" in capsys.readouterr().out


def test_picolibc_specs_path_is_debians():
    """The path checked is where Debian's package puts the specs file (when installed)."""
    try:
        out = subprocess.run(["dpkg", "-L", inox_setup.PICOLIBC_PACKAGE], capture_output=True,
                             text=True)
    except OSError:
        pytest.skip("no dpkg here")
    if out.returncode != 0:
        pytest.skip(f"{inox_setup.PICOLIBC_PACKAGE} is not installed")
    assert inox_setup.PICOLIBC_SPECS in out.stdout.split()
