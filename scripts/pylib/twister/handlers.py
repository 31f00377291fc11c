# SPDX-License-Identifier: Apache-2.0
"""Run one built instance under QEMU and feed its console to a harness.

The console is a pair of FIFOs (QEMU's `-chardev pipe`): QEMU writes the guest's output into
OUTDIR/console.out and reads its input from OUTDIR/console.in. We open both ends read-write
before QEMU starts, so QEMU never waits for us and what the guest printed stays in the pipe
until we read it, even after QEMU exited or was killed.

Not a unix socket: QEMU's SiFive UART writes one byte at a time and drops it when the
console would block, and a unix socket charges each one-byte write a whole buffer's
overhead, so after a few hundred unread bytes (a loaded host, OpenSBI's banner) output was
lost. A pipe holds 64 KiB of bytes, however they were written.
"""

import os
import select
import signal
import subprocess
import threading
import time

# How long to let QEMU exit by itself after a verdict (boards that cannot power off halt).
EXIT_GRACE = 1.0

_live = set()
_live_lock = threading.Lock()
stop_event = threading.Event()


def terminate(proc, grace=None):
    """Stops a process we started: SIGTERM, then SIGKILL after `grace` seconds (default
    EXIT_GRACE). Returns its exit status."""
    grace = EXIT_GRACE if grace is None else grace
    if proc.poll() is None:
        try:
            proc.terminate()
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def terminate_all():
    """Used on Ctrl-C: stop every QEMU still running."""
    stop_event.set()
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        terminate(proc, 0.5)


def first_line(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    return line.strip()
    except OSError:
        pass
    return None


class QemuHandler:
    """Runs `qemu_cmd` (from runners.json) with the console on FIFOs (see above).

    run() returns (status, reason) where status is "passed"/"failed" from the harness, or
    "error" when QEMU could not start. The console goes to OUTDIR/handler.log, QEMU's own
    stdout/stderr to OUTDIR/qemu.log.
    """

    name = "qemu"

    def __init__(self, outdir, qemu_cmd, timeout):
        self.outdir = outdir
        self.qemu_cmd = list(qemu_cmd)
        self.timeout = timeout
        self.log_path = os.path.join(outdir, "handler.log")
        self.qemu_log = os.path.join(outdir, "qemu.log")
        self.fifo = os.path.join(outdir, "console")
        self.duration = 0.0

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

    def _run(self, harness, out_fd, in_fd):
        cmd = self.command()
        with open(os.path.join(self.outdir, "qemu.cmd"), "w", encoding="utf-8") as f:
            f.write(" ".join(cmd) + "\n")
        start = time.monotonic()
        deadline = start + self.timeout
        with open(self.qemu_log, "wb") as qlog:
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=qlog, stderr=qlog,
                                        start_new_session=True)
            except OSError as e:
                open(self.log_path, "w").close()
                return "error", f"QEMU failed to start: {e.strerror}: {cmd[0]}"
        with _live_lock:
            _live.add(proc)
        try:
            got_output = self._console(proc, out_fd, in_fd, harness, deadline)
            if not got_output and not harness.done and proc.poll() not in (None, 0):
                # QEMU refused to start (bad option, missing file): report it at once.
                return "error", (first_line(self.qemu_log)
                                 or f"QEMU exited with {proc.returncode} before any output")
            if stop_event.is_set() and not harness.done:
                return "error", "Interrupted"
            return harness.status, harness.reason
        finally:
            terminate(proc)
            self.duration = time.monotonic() - start
            with _live_lock:
                _live.discard(proc)

    @staticmethod
    def _read(fd):
        """What the pipe holds now (b"" if nothing)."""
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)

    def _console(self, proc, out_fd, in_fd, harness, deadline):
        """Reads the console until a verdict (plus EXIT_GRACE for QEMU to exit), QEMU's exit,
        or the deadline; then gives the harness the exit status if it has no verdict.
        Returns whether the guest printed anything."""
        buf = b""
        verdict_at = None
        exited = False
        got_output = False
        with open(self.log_path, "w", encoding="utf-8", errors="replace") as log:
            def lines(data, final=False):
                nonlocal buf
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
                        os.write(in_fd, harness.outbox.pop(0).encode())
                log.flush()

            while True:
                now = time.monotonic()
                if harness.done and verdict_at is None:
                    verdict_at = now
                if verdict_at is not None:
                    if now - verdict_at >= EXIT_GRACE or proc.poll() is not None:
                        lines(self._read(out_fd))
                        break
                    wait = min(0.1, EXIT_GRACE - (now - verdict_at))
                elif proc.poll() is not None:
                    # QEMU is gone: what it wrote is still in the pipe.
                    data = self._read(out_fd)
                    got_output = got_output or bool(data)
                    lines(data)
                    exited = True
                    break
                elif now >= deadline or stop_event.is_set():
                    lines(self._read(out_fd))
                    harness.timeout()
                    break
                else:
                    wait = min(0.2, deadline - now)
                ready, _, _ = select.select([out_fd], [], [], wait)
                if ready:
                    data = self._read(out_fd)
                    if data:
                        got_output = True
                        lines(data)
            lines(b"", final=True)
        if exited and not harness.done and (got_output or proc.returncode == 0):
            harness.process_exit(proc.returncode)
        return got_output


def runnable_command(runners):
    """The QEMU command from a runners.json dict, or None if the board cannot be emulated."""
    qemu = runners.get("qemu") if isinstance(runners, dict) else None
    if not qemu or not isinstance(qemu, list):
        return None
    return [str(a) for a in qemu]


def install_sigterm():
    """Turn SIGTERM into KeyboardInterrupt so QEMUs get cleaned up the same way."""
    def _raise(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, _raise)
