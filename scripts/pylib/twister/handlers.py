# SPDX-License-Identifier: Apache-2.0
"""Run one built instance under QEMU and feed its console to a harness.

The console is a unix socket chardev with QEMU as the server and wait=on: QEMU does not start
the guest until we are connected, and everything the guest prints stays in the socket until we
read it, even if QEMU exits at once. (A pipe from a QEMU we later kill loses buffered output.)
The socket also lets a later harness send input to the guest.
"""

import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

# How long to let QEMU exit by itself after a verdict (boards that cannot power off halt).
EXIT_GRACE = 1.0
# Longest unix socket path the kernel accepts (sun_path is 108 bytes on Linux, 104 elsewhere).
MAX_SOCK_PATH = 100

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
    """Runs `qemu_cmd` (from runners.json) with the console on a unix socket.

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
        self.duration = 0.0

    def _socket_path(self):
        path = os.path.join(self.outdir, "qemu.sock")
        if len(os.fsencode(path)) <= MAX_SOCK_PATH:
            return path, None
        tmpdir = tempfile.mkdtemp(prefix="inox-twister-")
        return os.path.join(tmpdir, "qemu.sock"), tmpdir

    def command(self, sock_path):
        return self.qemu_cmd + [
            "-display", "none", "-monitor", "none", "-serial", "chardev:con",
            "-chardev", f"socket,id=con,path={sock_path},server=on,wait=on",
        ]

    def run(self, harness):
        sock_path, tmpdir = self._socket_path()
        try:
            return self._run(harness, sock_path)
        finally:
            for p in (sock_path,):
                try:
                    os.unlink(p)
                except OSError:
                    pass
            if tmpdir:
                shutil.rmtree(tmpdir, ignore_errors=True)

    def _run(self, harness, sock_path):
        try:
            os.unlink(sock_path)
        except FileNotFoundError:
            pass
        cmd = self.command(sock_path)
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
            sock = self._connect(proc, sock_path, deadline)
            if sock is None:
                open(self.log_path, "w").close()
                if proc.poll() is not None:
                    return "error", (first_line(self.qemu_log)
                                     or f"QEMU exited with {proc.returncode} before opening "
                                        f"its console")
                terminate(proc)
                if stop_event.is_set():
                    return "error", "Interrupted"
                harness.timeout()
                return harness.status, harness.reason
            with sock:
                self._console(proc, sock, harness, deadline)
            return harness.status, harness.reason
        finally:
            terminate(proc)
            self.duration = time.monotonic() - start
            with _live_lock:
                _live.discard(proc)

    @staticmethod
    def _connect(proc, sock_path, deadline):
        """Connects to QEMU's console socket; None if QEMU died first or time ran out."""
        while proc.poll() is None and time.monotonic() < deadline and not stop_event.is_set():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(sock_path)
                return s
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                time.sleep(0.01)
        return None

    def _console(self, proc, sock, harness, deadline):
        """Reads the console until a verdict (plus EXIT_GRACE for QEMU to exit), the end of the
        console, or the deadline; then gives the harness the exit status if it has no verdict."""
        buf = b""
        verdict_at = None
        eof = False
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
                        sock.sendall(harness.outbox.pop(0).encode())
                log.flush()

            while not eof:
                now = time.monotonic()
                if harness.done and verdict_at is None:
                    verdict_at = now
                if verdict_at is not None:
                    if now - verdict_at >= EXIT_GRACE:
                        break
                    # QEMU gone: only drain what is left in the socket.
                    left = EXIT_GRACE - (now - verdict_at)
                    wait = 0 if proc.poll() is not None else min(0.1, left)
                elif now >= deadline or stop_event.is_set():
                    harness.timeout()
                    break
                else:
                    wait = min(0.2, deadline - now)
                ready, _, _ = select.select([sock], [], [], wait)
                if ready:
                    try:
                        data = sock.recv(65536)
                    except ConnectionResetError:
                        data = b""
                    if data:
                        lines(data)
                    else:
                        eof = True
                elif verdict_at is not None and wait == 0:
                    break
            lines(b"", final=True)
        if eof and not harness.done:
            # The console closes when QEMU exits; give it a moment to be reaped.
            try:
                rc = proc.wait(2 * EXIT_GRACE)
            except subprocess.TimeoutExpired:
                rc = terminate(proc)
            harness.process_exit(rc)


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
