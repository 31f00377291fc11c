# SPDX-License-Identifier: Apache-2.0
"""Tests of `scripts/twister --device-testing` without hardware, and of its progress line.

The board is a fake one (FakeBoard): twister opens the slave side of a pseudo-terminal as the
board's serial port; the flash command, twister_fixtures/fake_board.py, starts the image's
QEMU with its console on two FIFOs, and a thread here relays between those and the pty's
master, as a board's UART and its USB-serial chip would. Most tests use the fixture apps of
test_twister.py (fake_qemu.py as QEMU, no kernel built); one builds and runs real Inox images
under qemu-system-riscv64.
"""

import json
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import termios
import threading
import time
import tty

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(HERE, "twister_fixtures")
TWISTER = os.path.join(REPO, "scripts", "twister")
ROOT_ARGS = ["-T", os.path.join(FIX, "tests"), "-T", os.path.join(FIX, "samples"),
             "--board-root", os.path.join(FIX, "boards")]
sys.path.insert(0, FIX)
pytest.importorskip("yaml", reason="run with /usr/bin/python3 (Debian's python3-yaml)")

import fake_board  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "scripts", "pylib"))
from twister import handlers  # noqa: E402

pytestmark = pytest.mark.skipif(not (shutil.which("cmake") and shutil.which("ninja")),
                                reason="needs cmake and ninja")


class FakeBoard:
    """A board on a pty: `serial` is its serial port, `flash` its flash command."""

    def __init__(self):
        # A short folder: QEMU and the test open the FIFOs by path.
        self.dir = tempfile.mkdtemp(prefix="inox-board-")
        self.base = os.path.join(self.dir, "console")
        fds = []
        for suffix in (".out", ".in"):
            os.mkfifo(self.base + suffix)
            fds.append(os.open(self.base + suffix, os.O_RDWR | os.O_NONBLOCK))
        self.out_fd, self.in_fd = fds
        self.master, self.slave = os.openpty()
        # Raw from the start: a pty echoes by default, which would send the board's output
        # back to it as input until twister opens the port.
        tty.setraw(self.slave)
        os.set_blocking(self.master, False)
        self.serial = os.ttyname(self.slave)
        self.flash = shlex.join([sys.executable, os.path.join(FIX, "fake_board.py"),
                                 "--console", self.base]) + " {build_dir}"
        self.typed = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._relay, daemon=True)
        self._thread.start()

    def _relay(self):
        """Board output (FIFO) to the serial port (pty master), and what twister types back."""
        routes = {self.out_fd: self.master, self.master: self.in_fd}
        while not self._stop.is_set():
            ready, _, _ = select.select(list(routes), [], [], 0.1)
            for fd in ready:
                try:
                    data = os.read(fd, 4096)
                except BlockingIOError:
                    continue
                if fd == self.master:
                    self.typed += data
                view = memoryview(data)
                while view:
                    try:
                        view = view[os.write(routes[fd], view):]
                    except BlockingIOError:
                        select.select([], [routes[fd]], [], 0.1)

    def qemu_pids(self):
        return fake_board.pids(self.base)

    def close(self):
        fake_board.stop_all(self.base)
        self._stop.set()
        self._thread.join()
        for fd in (self.out_fd, self.in_fd, self.master, self.slave):
            os.close(fd)
        shutil.rmtree(self.dir)


@pytest.fixture
def board():
    b = FakeBoard()
    yield b
    b.close()
    assert not [pid for pid in b.qemu_pids() if running(pid)], "a QEMU was left running"


def running(pid):
    """Whether pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def twister(args, cwd, roots=ROOT_ARGS, timeout=120, **kw):
    """Runs scripts/twister; returns (exit status, stdout lines, {(id, platform): suite})."""
    env = dict(os.environ, FAKE_QEMU_PYTHON=sys.executable)
    p = subprocess.run([sys.executable, TWISTER, *roots, "-O", str(cwd / "out"), *args],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, **kw)
    suites = {}
    try:
        with open(cwd / "out" / "twister.json", encoding="utf-8") as f:
            for s in json.load(f)["testsuites"]:
                suites[(s["name"], s["platform"])] = s
    except OSError:
        pass
    return p.returncode, p.stdout.splitlines(), suites


def device(serial, flash, *more):
    return ["--device-testing", "--device-serial", serial, "--device-flash-command", flash, *more]


def result(suite):
    return suite["status"], suite.get("reason")


# --- on the fake board, with the fixture apps --------------------------------------------------

def test_device_run_passes_fails_and_types(tmp_path, board):
    rc, lines, s = twister(["-p", "fake_qemu", "-j", "4", "-s", "sample.fake.hello",
                            "-s", "console.fatal", "-s", "ztest.pass", "-s", "console.timeout",
                            *device(board.serial, board.flash)], tmp_path)
    assert rc == 1, lines
    assert "one at a time on the device" in lines[0]
    q = "fake_qemu"
    assert result(s[("sample.fake.hello", q)]) == ("passed", None)
    assert s[("sample.fake.hello", q)]["handler"] == "device"
    assert result(s[("console.fatal", q)]) == ("failed", "Kernel fatal error")
    assert result(s[("ztest.pass", q)]) == ("passed", None)
    assert result(s[("console.timeout", q)]) == ("failed", "Timeout")
    hello = tmp_path / "out" / q / "tests/scripts/twister_fixtures/samples/hello/sample.fake.hello"
    assert "Hello World! fake_qemu\n" in (hello / "handler.log").read_text()
    assert "fake_board.py" in (hello / "flash.cmd").read_text()
    assert len(board.qemu_pids()) == 4                     # one flash per configuration
    assert lines[-1] == "3 passed, 2 failed, 2 skipped"


def test_device_runs_a_platform_without_simulator(tmp_path, board):
    rc, lines, s = twister(["-p", "fake_mcu", "-s", "sample.fake.hello",
                            *device(board.serial, board.flash)], tmp_path)
    assert rc == 0 and result(s[("sample.fake.hello", "fake_mcu")]) == ("passed", None)


def test_flash_error_names_the_first_line(tmp_path, board):
    flash = "echo 'openocd: cannot reach the board' >&2; echo more; exit 3"
    rc, lines, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello",
                            *device(board.serial, flash)], tmp_path)
    suite = s[("sample.fake.hello", "fake_qemu")]
    assert rc == 1
    assert result(suite) == ("error", "Flash error: openocd: cannot reach the board (exit 3)")
    assert suite["log"] == "openocd: cannot reach the board\nmore\n"     # flash.log, the text
    assert suite["testcases"][0]["status"] == "blocked"


def test_flash_timeout_stops_the_command(tmp_path, board):
    marker = tmp_path / "still-running"
    flash = f"sleep 3; touch {marker}"
    start = time.monotonic()
    rc, _, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "--device-flash-timeout",
                        "0.5", *device(board.serial, flash)], tmp_path)
    assert result(s[("sample.fake.hello", "fake_qemu")]) == \
        ("error", "Flash error: timed out after 0.5s")
    time.sleep(max(0, start + 3.5 - time.monotonic()))
    assert not marker.exists()                           # the whole command was killed


def test_missing_serial_port(tmp_path, board):
    rc, lines, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello",
                            *device("/nonexistent/ttyUSB9", board.flash)], tmp_path)
    assert rc == 1
    assert result(s[("sample.fake.hello", "fake_qemu")]) == \
        ("error", "Cannot open /nonexistent/ttyUSB9: No such file or directory")
    assert not board.qemu_pids()                         # nothing flashed


def test_not_a_serial_port(tmp_path, board):
    _, _, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello",
                       *device("/dev/null", board.flash)], tmp_path)
    assert result(s[("sample.fake.hello", "fake_qemu")]) == \
        ("error", "Cannot open /dev/null: Inappropriate ioctl for device")


def test_silent_board_times_out(tmp_path, board):
    # The flash "works" but nothing boots: Timeout after 60 s x 0.02, counted from the flash.
    rc, _, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "--timeout-multiplier",
                        "0.02", *device(board.serial, "sleep 0.5")], tmp_path)
    suite = s[("sample.fake.hello", "fake_qemu")]
    assert rc == 1 and result(suite) == ("failed", "Timeout")
    assert 1.7 <= float(suite["execution_time"]) < 4


def test_stale_output_is_dropped(tmp_path, board):
    # What the board printed before twister opened the port is not this run's output.
    os.write(board.out_fd, b"Hello World! stale\r\n")
    time.sleep(0.3)
    _, _, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "--timeout-multiplier",
                       "0.02", *device(board.serial, "true")], tmp_path)
    assert result(s[("sample.fake.hello", "fake_qemu")]) == ("failed", "Timeout")


def test_serial_pty_script(tmp_path):
    # --device-serial-pty: the console is a command's stdin/stdout. Stopped at the end.
    marker = tmp_path / "still-running"
    script = f"printf 'booting\\r\\nHello World! fake_qemu\\r\\n'; sleep 3; touch {marker}"
    rc, _, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "--device-testing",
                        "--device-serial-pty", script, "--device-flash-command", "true"],
                       tmp_path)
    assert rc == 0 and result(s[("sample.fake.hello", "fake_qemu")]) == ("passed", None)
    _, _, s = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "--device-testing",
                       "--device-serial-pty", "echo booting", "--device-flash-command", "true"],
                      tmp_path)
    assert result(s[("sample.fake.hello", "fake_qemu")]) == \
        ("failed", "Console closed: echo booting")
    time.sleep(3.5)
    assert not marker.exists()


@pytest.mark.parametrize("args, error", [
    (["--device-testing", "--device-serial", "/dev/null", "--device-flash-command", "true"],
     "--device-testing needs exactly one -p PLATFORM: the attached board"),
    (["-p", "fake_qemu", "--device-testing", "--device-flash-command", "true"],
     "--device-testing needs one of --device-serial DEV and --device-serial-pty SCRIPT"),
    (["-p", "fake_qemu", "--device-testing", "--device-serial", "/dev/null"],
     "--device-testing needs --device-flash-command CMD: no Inox flash runner loads an image "
     "on a board by itself (doc/testing.md)"),
    (["-p", "fake_qemu", "--device-serial", "/dev/null"],
     "--device-serial, --device-serial-pty and --device-flash-command need --device-testing"),
])
def test_device_option_errors(tmp_path, args, error):
    rc, lines, _ = twister(args, tmp_path)
    assert rc == 2 and lines == [f"ERROR   - {error}"]


# --- on the fake board, with real Inox images under QEMU ----------------------------------------

@pytest.mark.skipif(shutil.which("riscv64-unknown-elf-gcc") is None or
                    shutil.which("qemu-system-riscv64") is None,
                    reason="needs riscv64-unknown-elf-gcc and qemu-system-riscv64")
def test_real_images_on_the_fake_board(tmp_path, board):
    roots = ["-T", os.path.join(REPO, "samples", "hello_world"),
             "-T", os.path.join(REPO, "tests", "kernel", "console")]
    rc, lines, s = twister(["-p", "qemu_riscv64", "-j", "2",
                            *device(board.serial, board.flash)], tmp_path, roots=roots,
                           timeout=300)
    assert rc == 0, "\n".join(lines)
    for name in ("sample.basic.helloworld", "kernel.console.input"):
        assert result(s[(name, "qemu_riscv64")]) == ("passed", None)
        assert s[(name, "qemu_riscv64")]["handler"] == "device"
    assert b"hello inox 123\r" in board.typed          # harness_config input: on the port
    # One case per scenario of the two roots (tests/kernel/console has more than one).
    assert re.fullmatch(r"(\d+) passed, 0 failed", lines[-1]) and int(lines[-1].split()[0]) >= 2


def test_open_serial_with_pyserial_raw_8n1():
    """open_serial() configures the port through pyserial: raw 8N1, the rate asked for
    (250000 is no termios B-constant: pyserial sets it anyway), waiting input dropped."""
    master, slave = os.openpty()
    try:
        os.write(master, b"stale output of the previous run\n")
        fd = handlers.open_serial(os.ttyname(slave), 250000)
        try:
            iflag, oflag, cflag, lflag, ispeed, ospeed, cc = termios.tcgetattr(fd)
            assert cflag & termios.CSIZE == termios.CS8
            assert not cflag & (termios.PARENB | termios.CSTOPB | termios.CRTSCTS)
            assert not lflag & (termios.ICANON | termios.ECHO) and not oflag & termios.OPOST
            assert cc[termios.VMIN] == 1
            with pytest.raises(BlockingIOError):          # flushed, and non-blocking
                os.read(fd, 100)
            os.write(master, b"hello\n")
            time.sleep(0.1)
            assert os.read(fd, 100) == b"hello\n"
        finally:
            os.close(fd)
    finally:
        os.close(master)
        os.close(slave)
