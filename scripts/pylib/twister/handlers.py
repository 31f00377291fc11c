# SPDX-License-Identifier: Apache-2.0
"""Run one built instance, under QEMU or on a board (--device-testing), and feed its console
to a harness.

Both handlers share Handler._console: the loop that reads the console into OUTDIR/handler.log,
feeds it to the harness a line at a time, types the harness's input (harness_config: input:)
back, and applies the timeout and the grace after a verdict. They differ in where the console
comes from and what ends it.

QEMU's console is a pair of FIFOs (QEMU's `-chardev pipe`): QEMU writes the guest's output into
OUTDIR/console.out and reads its input from OUTDIR/console.in. We open both ends read-write
before QEMU starts, so QEMU never waits for us and what the guest printed stays in the pipe
until we read it, even after QEMU exited or was killed.

Not a unix socket: QEMU's SiFive UART writes one byte at a time and drops it when the
console would block, and a unix socket charges each one-byte write a whole buffer's
overhead, so after a few hundred unread bytes (a loaded host, OpenSBI's banner) output was
lost. A pipe holds 64 KiB of bytes, however they were written.

A board's console is its serial port (or the pty of a --device-serial-pty script), opened
before the flash command runs and read while it runs: a board that boots as soon as it is
loaded may print everything before the command returns.
"""

import errno
import os
import select
import shlex
import signal
import subprocess
import termios
import threading
import time
from dataclasses import dataclass

from .statuses import TwisterStatus

# How long to let QEMU exit by itself after a verdict (boards that cannot power off halt), and
# how much of a board's console is still logged after one (a fatal error's register dump).
EXIT_GRACE = 1.0

_live = set()
_live_lock = threading.Lock()
stop_event = threading.Event()


def terminate(proc, grace=None):
    """Stops a process we started in its own session, and what it started in its process
    group: SIGTERM, then SIGKILL after `grace` seconds (default EXIT_GRACE). Returns its exit
    status."""
    grace = EXIT_GRACE if grace is None else grace
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            proc.wait()
    return proc.returncode


def terminate_all():
    """Used on Ctrl-C: stop every QEMU, flash command and serial-pty script still running."""
    stop_event.set()
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        terminate(proc, 0.5)


def start(cmd, log, **kw):
    """Popen in a new session (so terminate() can stop its whole process group), stderr and,
    unless given, stdout to the open file `log`, registered for terminate_all(). Raises
    OSError."""
    kw.setdefault("stdout", log)
    proc = subprocess.Popen(cmd, stderr=log, start_new_session=True, **kw)
    with _live_lock:
        _live.add(proc)
    return proc


def stop(proc):
    """terminate() a process from start() and forget it."""
    terminate(proc)
    with _live_lock:
        _live.discard(proc)


def first_line(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    return line.strip()
    except OSError:
        pass
    return None


def write_all(fd, data):
    """Writes all of `data` to a non-blocking fd, waiting for room while the other side reads."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            select.select([], [fd], [], 0.1)


class Handler:
    """What the QEMU and device handlers share: the console loop.

    run(harness) returns (status, reason): "passed"/"failed" from the harness, or "error" when
    the target could not be started; `error_log` then names the log that says why. The console
    goes to OUTDIR/handler.log; `duration` is the time run() took.
    """

    name = None

    def __init__(self, outdir, timeout):
        self.outdir = outdir
        self.timeout = timeout
        self.log_path = os.path.join(outdir, "handler.log")
        self.error_log = None
        self.duration = 0.0
        self.deadline = None            # None until the target runs (a board is being flashed)
        self.got_output = False
        self.console_closed = False

    def _poll(self, now):
        """Called on each turn of the console loop. Returns None to carry on, "ended" when the
        console's source is gone for good (what it wrote is still read), or "abort" to stop
        at once (the handler knows why). May set self.deadline."""
        raise NotImplementedError

    def _read(self, fd):
        """What the console holds now (b"" if nothing); sets console_closed on end of file or
        EIO (a serial port unplugged, the other side of a pty gone)."""
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno != errno.EIO:
                    raise
                data = b""
            if not data:
                self.console_closed = True
                break
            chunks.append(data)
        return b"".join(chunks)

    def _console(self, harness, out_fd, in_fd):
        """Reads the console until a verdict (plus EXIT_GRACE), the end of the console, the
        deadline or Ctrl-C. Returns how it stopped: "verdict", "ended", "timeout" (the harness
        was told), "abort" or "interrupted"."""
        buf = b""
        verdict_at = None
        with open(self.log_path, "w", encoding="utf-8", errors="replace") as log:
            def lines(data, final=False):
                nonlocal buf
                self.got_output = self.got_output or bool(data)
                buf += data
                parts = buf.split(b"\n")
                buf = parts.pop()
                if final and buf:
                    parts.append(buf)
                    buf = b""
                for raw in parts:
                    text = raw.decode("utf-8", errors="replace").rstrip("\r")
                    log.write(text + "\n")
                    harness.feed(text)
                    while harness.outbox:
                        write_all(in_fd, harness.outbox.pop(0).encode())
                log.flush()

            while True:
                now = time.monotonic()
                state = self._poll(now) or ("ended" if self.console_closed else None)
                if harness.done and verdict_at is None:
                    verdict_at = now
                how = None
                wait = 0.2 if self.deadline is None else min(0.2, self.deadline - now)
                if state == "abort":
                    how = "abort"
                elif verdict_at is not None:
                    if state == "ended" or now - verdict_at >= EXIT_GRACE:
                        how = "verdict"
                    wait = min(0.1, EXIT_GRACE - (now - verdict_at))
                elif state == "ended":
                    how = "ended"
                elif stop_event.is_set():
                    how = "interrupted"
                elif self.deadline is not None and now >= self.deadline:
                    how = "timeout"
                if how:
                    break
                ready, _, _ = select.select([out_fd], [], [], wait)
                if ready:
                    lines(self._read(out_fd))
            # What the target wrote before it ended (or before we stopped waiting) still counts.
            if not self.console_closed:
                lines(self._read(out_fd))
            lines(b"", final=True)
        if how == "timeout":
            harness.timeout()
        return how


class QemuHandler(Handler):
    """Runs `qemu_cmd` (from runners.json) with the console on FIFOs (see above); QEMU's own
    stdout/stderr go to OUTDIR/qemu.log."""

    name = "qemu"

    def __init__(self, outdir, qemu_cmd, timeout):
        super().__init__(outdir, timeout)
        self.qemu_cmd = list(qemu_cmd)
        self.qemu_log = os.path.join(outdir, "qemu.log")
        self.error_log = self.qemu_log
        self.fifo = os.path.join(outdir, "console")
        self.proc = None

    def command(self):
        return self.qemu_cmd + [
            "-display", "none", "-monitor", "none", "-serial", "chardev:con",
            "-chardev", f"pipe,id=con,path={self.fifo}",
        ]

    def _open_fifos(self):
        """Makes OUTDIR/console.{in,out} and opens our ends; returns (out_fd, in_fd)."""
        fds = []
        for suffix in (".out", ".in"):
            path = self.fifo + suffix
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            os.mkfifo(path)
            fds.append(os.open(path, os.O_RDWR | os.O_NONBLOCK))
        return fds

    def run(self, harness):
        out_fd, in_fd = self._open_fifos()
        try:
            return self._run(harness, out_fd, in_fd)
        finally:
            for fd in (out_fd, in_fd):
                os.close(fd)
            for suffix in (".out", ".in"):
                try:
                    os.unlink(self.fifo + suffix)
                except OSError:
                    pass

    def _poll(self, now):
        return "ended" if self.proc.poll() is not None else None

    def _run(self, harness, out_fd, in_fd):
        cmd = self.command()
        with open(os.path.join(self.outdir, "qemu.cmd"), "w", encoding="utf-8") as f:
            f.write(" ".join(cmd) + "\n")
        start_time = time.monotonic()
        self.deadline = start_time + self.timeout
        with open(self.qemu_log, "wb") as qlog:
            try:
                self.proc = start(cmd, qlog, stdin=subprocess.DEVNULL)
            except OSError as e:
                open(self.log_path, "w").close()
                return TwisterStatus.ERROR, f"QEMU failed to start: {e.strerror}: {cmd[0]}"
        try:
            how = self._console(harness, out_fd, in_fd)
            if how == "interrupted":
                return TwisterStatus.ERROR, "Interrupted"
            if how == "ended" and not harness.done:
                if not self.got_output and self.proc.returncode != 0:
                    # QEMU refused to start (bad option, missing file): report it at once.
                    return TwisterStatus.ERROR, (first_line(self.qemu_log) or
                                     f"QEMU exited with {self.proc.returncode} before any output")
                harness.process_exit(self.proc.returncode)
            return harness.status, harness.reason
        finally:
            stop(self.proc)
            self.duration = time.monotonic() - start_time


def make_raw(fd):
    """Puts a terminal (the pty of a --device-serial-pty script) in raw mode: 8N1, no flow
    control, no echo, no line editing or newline translation. Raises termios.error if fd is
    not a terminal."""
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = termios.tcgetattr(fd)
    cflag &= ~(termios.CSIZE | termios.PARENB | termios.CSTOPB | termios.CRTSCTS)
    cflag |= termios.CS8 | termios.CREAD | termios.CLOCAL
    cc[termios.VMIN], cc[termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, [0, 0, cflag, 0, ispeed, ospeed, cc])


def open_serial(path, baud):
    """Opens a serial port with pyserial (Debian: python3-serial): raw 8N1 at `baud` (any
    rate the driver takes), no flow control, with the input that was waiting in it (the end
    of the previous run) dropped. Returns a non-blocking fd of its own, for the caller to
    close; raises OSError with the cause's errno and text."""
    try:
        import serial
    except ImportError:
        raise OSError(errno.ENOENT, "python3-serial is not installed (apt-get install "
                                    "python3-serial, or run scripts/inox once)") from None
    port = serial.Serial()
    port.port, port.baudrate = path, baud
    port.bytesize, port.parity, port.stopbits = serial.EIGHTBITS, serial.PARITY_NONE, \
        serial.STOPBITS_ONE
    port.xonxoff = port.rtscts = port.dsrdtr = False
    try:
        port.open()
    except (serial.SerialException, ValueError) as e:
        # pyserial wraps the OSError or termios.error that says what went wrong.
        cause = e.__context__
        if isinstance(cause, (OSError, termios.error)) and len(cause.args) == 2:
            raise OSError(*cause.args) from None
        raise OSError(errno.EINVAL, str(e)) from None
    try:
        fd = os.dup(port.fileno())
    finally:
        port.close()
    # pyserial leaves VMIN at 0 (it waits with select), where a read with nothing to read
    # returns 0 bytes, which the console loop would take for the end of the console.
    attrs = termios.tcgetattr(fd)
    attrs[6][termios.VMIN], attrs[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    os.set_blocking(fd, False)
    return fd


@dataclass
class DeviceConfig:
    """The --device-* options: where the board's console is and how an image gets on it."""
    serial: str = None              # a serial port, or
    serial_pty: str = None          # a command whose stdin/stdout is the console
    baud: int = 115200
    flash_command: str = None       # a shell command; {build_dir}, {elf}, {board} substituted
    flash_timeout: float = 60.0


class DeviceHandler(Handler):
    """Runs an image on a board: opens its console, runs the flash command while already
    reading the console, then gives the harness `timeout` seconds from the end of the flash.
    The flash command's output goes to OUTDIR/flash.log, a serial-pty script's stderr to
    OUTDIR/serial_pty.log.

    A board that cannot power off never ends its console: it is left running until the next
    flash command resets it.
    """

    name = "device"

    def __init__(self, outdir, device, elf, board, timeout):
        super().__init__(outdir, timeout)
        self.device = device
        self.values = {"build_dir": outdir, "elf": elf, "board": board}
        self.flash_log = os.path.join(outdir, "flash.log")
        self.flash = None
        self.flash_deadline = None
        self.pty_script = None
        self.failure = None

    def flash_command(self):
        """The flash command with the placeholders replaced by shell-quoted values."""
        cmd = self.device.flash_command
        for key, value in self.values.items():
            cmd = cmd.replace("{" + key + "}", shlex.quote(value))
        return cmd

    def _open_console(self):
        """Returns the console's fd. Raises OSError."""
        if self.device.serial:
            return open_serial(self.device.serial, self.device.baud)
        master, slave = os.openpty()
        try:
            make_raw(slave)
            with open(os.path.join(self.outdir, "serial_pty.log"), "wb") as log:
                self.pty_script = start(self.device.serial_pty, log, shell=True, stdin=slave,
                                        stdout=slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        return master

    def run(self, harness):
        start_time = time.monotonic()
        open(self.log_path, "w").close()
        try:
            fd = self._open_console()
        except OSError as e:
            where = self.device.serial or self.device.serial_pty
            return TwisterStatus.ERROR, f"Cannot open {where}: {e.strerror}"
        try:
            return self._run(harness, fd)
        finally:
            for proc in (self.flash, self.pty_script):
                if proc is not None:
                    stop(proc)
            os.close(fd)
            self.duration = time.monotonic() - start_time

    def _poll(self, now):
        if self.deadline is not None:
            return None
        rc = self.flash.poll()
        if rc is None:
            if now < self.flash_deadline:
                return None
            self.failure = f"Flash error: timed out after {self.device.flash_timeout:g}s"
        elif rc != 0:
            first = first_line(self.flash_log)
            self.failure = f"Flash error: {first} (exit {rc})" if first else \
                f"Flash error: exit {rc}"
        else:
            self.deadline = now + self.timeout
            return None
        return "abort"

    def _run(self, harness, fd):
        cmd = self.flash_command()
        with open(os.path.join(self.outdir, "flash.cmd"), "w", encoding="utf-8") as f:
            f.write(cmd + "\n")
        with open(self.flash_log, "wb") as log:
            try:
                self.flash = start(cmd, log, shell=True, stdin=subprocess.DEVNULL)
            except OSError as e:
                return TwisterStatus.ERROR, f"Flash error: cannot run /bin/sh: {e.strerror}"
        self.flash_deadline = time.monotonic() + self.device.flash_timeout
        how = self._console(harness, fd, fd)
        if how == "abort":
            self.error_log = self.flash_log
            return TwisterStatus.ERROR, self.failure
        if how == "interrupted":
            return TwisterStatus.ERROR, "Interrupted"
        if how == "ended" and not harness.done:
            harness.fail(f"Console closed: {self.device.serial or self.device.serial_pty}")
        return harness.status, harness.reason


def runnable_command(runners):
    """The QEMU command from a runners.json dict, or None if the board cannot be emulated."""
    qemu = runners.get("qemu") if isinstance(runners, dict) else None
    if not qemu or not isinstance(qemu, list):
        return None
    return [str(a) for a in qemu]


def image_path(runners):
    """The ELF file from a runners.json dict ("" if it names none)."""
    return str(runners.get("elf", "")) if isinstance(runners, dict) else ""


def install_sigterm():
    """Turn SIGTERM into KeyboardInterrupt so QEMUs get cleaned up the same way."""
    def _raise(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, _raise)
