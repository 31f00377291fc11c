# SPDX-License-Identifier: Apache-2.0
"""Execute the plan: a pool of -j workers, each building an instance and then running it at once."""

import contextlib
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from . import builder, handlers, harness as harnesses
from .statuses import FAILED, TwisterStatus


class Context:
    """What a worker needs besides the instance."""

    def __init__(self, inox_base, opts, ninja_jobs):
        self.inox_base = inox_base
        self.build_only = opts.build_only
        self.cmake_only = opts.cmake_only
        self.extra_args = [f"-D{x}" for x in opts.extra_args]
        self.test_only = opts.test_only
        self.timeout_multiplier = opts.timeout_multiplier
        self.ninja_jobs = ninja_jobs
        # --device-testing: every instance runs on the one board, so one at a time; the
        # builds still go in parallel.
        self.device = handlers.DeviceConfig(
            serial=opts.device_serial, serial_pty=opts.device_serial_pty,
            baud=opts.device_serial_baud, flash_command=opts.device_flash_command,
            flash_timeout=opts.device_flash_timeout) if opts.device_testing else None
        self.run_lock = threading.Lock() if self.device else contextlib.nullcontext()


def timeout_for(inst, ctx):
    """The scenario's timeout in seconds, scaled by the platform's and the command line's
    multipliers."""
    return inst.scenario.timeout * inst.platform.timeout_multiplier * ctx.timeout_multiplier


def execute(inst, ctx):
    """Builds (unless --test-only, or built by an earlier attempt) and runs one instance,
    leaving its status, reason, times and cases set."""
    sc, plat = inst.scenario, inst.platform
    inst.reset()
    runners_path = os.path.join(inst.outdir, "inox", "runners.json")
    if not (ctx.test_only or inst.built):
        start = time.monotonic()
        status, reason = builder.build(inst, ctx.inox_base, ctx.ninja_jobs, ctx.cmake_only,
                                       ctx.extra_args)
        inst.build_time = time.monotonic() - start
        if status == TwisterStatus.FILTER:
            inst.set_result(TwisterStatus.FILTER, reason, case_status=TwisterStatus.FILTER)
            return
        if status:
            inst.log = os.path.join(inst.outdir, "build.log")
            inst.set_result(status, reason)
            return
        inst.built = True
    elif not os.path.exists(runners_path):
        inst.set_result(TwisterStatus.ERROR,
                        "Not built: no inox/runners.json (run without --test-only)")
        return

    def not_run(reason):
        inst.set_result(TwisterStatus.NOTRUN, reason, case_status=TwisterStatus.SKIP)

    if ctx.cmake_only:
        return not_run("CMake only (--cmake-only)")
    if ctx.build_only:
        return not_run("Build only (--build-only)")
    if sc.build_only:
        return not_run("Build only")
    if not plat.simulated and not ctx.device:
        return not_run("Platform has no simulator (build only)")
    if sc.harness not in harnesses.SUPPORTED:
        return not_run(f"Harness {sc.harness} not supported (build only)")
    try:
        runners = builder.load_runners(inst)
    except (OSError, ValueError) as e:
        inst.set_result(TwisterStatus.ERROR, f"Cannot read inox/runners.json: {e}")
        return
    if not ctx.device and handlers.runnable_command(runners) is None:
        return not_run("No qemu command in runners.json (build only)")
    try:
        harness = harnesses.make(sc)
    except harnesses.HarnessConfigError as e:
        inst.set_result(TwisterStatus.ERROR, str(e))
        return
    if ctx.device:
        handler = handlers.DeviceHandler(inst.outdir, ctx.device, handlers.image_path(runners),
                                         plat.identifier, timeout_for(inst, ctx))
    else:
        handler = handlers.QemuHandler(inst.outdir, handlers.runnable_command(runners),
                                       timeout_for(inst, ctx))
    with ctx.run_lock:
        status, reason = handler.run(harness)
    inst.handler = handler.name
    inst.run_time = handler.duration
    inst.recording = harness.recording
    if status == TwisterStatus.ERROR:
        inst.log = handler.error_log
        inst.set_result(TwisterStatus.ERROR, reason)
        return
    inst.cases = harness.cases(handler.duration)
    inst.status, inst.reason = status, reason
    if status != TwisterStatus.PASS:
        inst.log = handler.log_path


# -i prints at most this many lines of a failure's log: its end, where the failure is.
INLINE_LINES = 200

STATUS_TEXT = {TwisterStatus.PASS: "PASSED", TwisterStatus.FAIL: "FAILED",
               TwisterStatus.ERROR: "ERROR", TwisterStatus.SKIP: "SKIPPED",
               TwisterStatus.NOTRUN: "NOT RUN", TwisterStatus.FILTER: "FILTERED"}


def describe(inst):
    """`PASSED (qemu 0.912s)`, `FAILED: Timeout (qemu 60.0s)`, `ERROR: Build error: ...`."""
    text = STATUS_TEXT.get(inst.status, str(inst.status).upper())
    if inst.reason and inst.status != TwisterStatus.PASS:
        text += f": {inst.reason}"
    if inst.handler:
        text += f" ({inst.handler} {inst.run_time:.3f}s)"
    elif inst.build_time:
        text += f" (build {inst.build_time:.3f}s)"
    return text


class _ConsoleHandler(logging.Handler):
    """Prints log records through Output, which erases the progress line first; a record
    logged with extra={"console": False} goes to twister.log only."""

    def __init__(self, output, level):
        super().__init__(level)
        self.output = output

    def emit(self, record):
        if getattr(record, "console", True):
            self.output.print_line(self.format(record))


class Output:
    """Console output: a line per finished instance, or on a terminal a live progress line
    plus a line for each failure. Safe to call from any worker thread.

    Messages go through `logging`, as in Zephyr's twister: the console shows INFO and up
    (DEBUG too with -v: a line per test case), OUTDIR/twister.log everything, both as
    `LEVEL   - message`.

    The progress line is redrawn in place (`\r`, then erase to the end of the line), cut to
    the terminal's width so that it never wraps (a wrapped line cannot be erased), and erased
    before any other line is printed."""

    FORMAT = "%(levelname)-7s - %(message)s"

    def __init__(self, total, stream=None, verbose=0, inline_logs=False, tty=None):
        self.stream = stream or sys.stdout
        if tty is None:
            tty = self.stream.isatty() and os.environ.get("TERM") != "dumb"
        self.tty = tty
        self.verbose = verbose
        self.inline_logs = inline_logs
        self.total = total
        self.done = 0
        self.counts = {"passed": 0, "failed": 0, "skipped": 0}
        self.start = time.monotonic()
        self.lock = threading.RLock()
        self._progress_shown = False
        self._ticker = None
        self._stop = threading.Event()
        # A logger of its own (not in logging's registry), so that each run, and each test
        # that makes an Output, has its own handlers.
        self.log = logging.Logger("twister", logging.DEBUG)
        console = _ConsoleHandler(self, logging.DEBUG if verbose else logging.INFO)
        console.setFormatter(logging.Formatter(self.FORMAT))
        self.log.addHandler(console)
        self._file = None

    def open_log(self, path):
        """From now on every record also goes to `path` (OUTDIR/twister.log), DEBUG
        included."""
        self._file = logging.FileHandler(path, encoding="utf-8")
        self._file.setFormatter(logging.Formatter(self.FORMAT))
        self.log.addHandler(self._file)

    def log_only(self, text):
        """A raw line (not a log record) for twister.log only."""
        if self._file:
            with self.lock:
                self._file.stream.write(text + "\n")
                self._file.flush()

    def print_line(self, text):
        """A line on the console, after erasing the progress line."""
        with self.lock:
            if self._progress_shown:
                self.stream.write("\r\x1b[K")
                self._progress_shown = False
            self.stream.write(text + "\n")
            self.stream.flush()

    def _write(self, text):
        """A raw line (an inline log) on the console and in twister.log."""
        self.print_line(text)
        self.log_only(text)

    def info(self, msg):
        self.log.info(msg)

    def warn(self, msg):
        self.log.warning(msg)

    def error(self, msg):
        self.log.error(msg)

    def finished(self, inst):
        with self.lock:
            self.done += 1
            for case in inst.cases:
                if case.status == TwisterStatus.PASS:
                    self.counts["passed"] += 1
                elif case.status in (TwisterStatus.FAIL, TwisterStatus.BLOCK):
                    self.counts["failed"] += 1
                elif case.status == TwisterStatus.FILTER:     # dropped by a filter after configure
                    continue
                else:
                    self.counts["skipped"] += 1
            bad = inst.status in FAILED
            # On a terminal without -v, the progress line stands for the instances that passed.
            show = {"console": bad or not self.tty or bool(self.verbose)}
            self.log.log(logging.ERROR if bad else logging.INFO,
                         f"{self.done}/{self.total} {inst.platform.identifier} {inst.name} "
                         f"{describe(inst)}", extra=show)
            for case in inst.cases:
                extra = f": {case.reason}" \
                    if case.reason and case.status != TwisterStatus.PASS else ""
                self.log.debug(f"    {case.identifier} {case.status}{extra}", extra=show)
            if bad and inst.log:
                if self.inline_logs:
                    self._inline(inst.log)
                else:
                    self.log.error(f"see: {inst.log}")
            self._draw()

    def _inline(self, path):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().rstrip().split("\n")
        except OSError as e:
            lines = [f"(cannot read {path}: {e.strerror})"]
        if len(lines) > INLINE_LINES:
            lines = [f"({len(lines) - INLINE_LINES} earlier lines are in the file)"] + \
                lines[-INLINE_LINES:]
        text = "\n".join(lines)
        self._write(f"{'=' * 20} {path} {'=' * 20}\n{text.rstrip()}\n{'=' * 60}")

    def _draw(self):
        if not self.tty:
            return
        elapsed = time.monotonic() - self.start
        if self.done:
            eta = f"{elapsed / self.done * (self.total - self.done):.0f}s"
        else:
            eta = "?"
        pct = 100 * self.done // self.total if self.total else 100
        c = self.counts
        line = (f"INFO    - {self.done}/{self.total} ({pct}%) passed: {c['passed']}, "
                f"failed: {c['failed']}, skipped: {c['skipped']}  elapsed {elapsed:.0f}s, "
                f"ETA {eta}")
        self.stream.write("\r\x1b[K" + line[:self._width() - 1])
        self.stream.flush()
        self._progress_shown = True

    def _width(self):
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (OSError, ValueError):
            return 80

    def restart(self, total):
        """Counts a new pass over `total` instances (a retry) from zero."""
        with self.lock:
            self.total, self.done = total, 0
            self.counts = dict.fromkeys(self.counts, 0)
            self.start = time.monotonic()

    def start_progress(self):
        self.start = time.monotonic()
        if not self.tty:
            return

        def tick():
            while not self._stop.wait(1.0):
                with self.lock:
                    self._draw()
        self._ticker = threading.Thread(target=tick, daemon=True)
        self._ticker.start()

    def stop_progress(self):
        self._stop.set()
        if self._ticker:
            self._ticker.join()
        with self.lock:
            if self._progress_shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._progress_shown = False


def run_all(instances, ctx, jobs, output):
    """Runs instances on `jobs` workers, reporting each one as it finishes.

    An exception in a worker is a bug in twister: the QEMUs are stopped and it propagates."""
    if not instances:
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(execute, inst, ctx): inst for inst in instances}
        try:
            for fut in as_completed(futures):
                fut.result()
                output.finished(futures[fut])
        except BaseException:
            for f in futures:
                f.cancel()
            handlers.terminate_all()
            raise
