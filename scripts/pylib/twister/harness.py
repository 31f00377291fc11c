# SPDX-License-Identifier: Apache-2.0
"""Harnesses: read console lines one at a time and decide a verdict.

A harness knows nothing about QEMU. The handler feeds it lines and tells it when the console
ended (process_exit) or time ran out (timeout); the harness sets `status` ("passed"/"failed")
and `reason` once, and keeps the per-case results.
"""

import json
import re

from .testplan import Case
from .statuses import TwisterStatus


class HarnessConfigError(Exception):
    """The scenario's harness_config cannot be run (Zephyr's ConfigurationError): the
    configuration is an error with this reason."""

FATAL_MARK = ">>> INOX FATAL ERROR"
# What the kernel prints when it stops on a board it cannot power off (QEMU's sifive_u under
# OpenSBI 1.1): nothing more will come, so a verdict still missing is a failure now rather
# than a timeout later.
HALT_MARK = "sys_poweroff: no way to power off here; halting"
HALT_REASON = "Halted before the test passed (no power-off here)"


class Harness:
    def __init__(self, scenario):
        self.scenario = scenario
        self.status = None
        self.reason = None
        self.recording = []
        self._record = [re.compile(r) for r in scenario.record]
        # harness_config input: [{wait: REGEX, send: TEXT}, ...]: each TEXT is typed on the
        # console once a line matches its REGEX, in order (Inox's addition to the schema).
        cfg = scenario.harness_config or {}
        self._inputs = [(re.compile(str(i["wait"])), str(i["send"]))
                        for i in cfg.get("input") or []]
        self.outbox = []

    @property
    def done(self):
        return self.status is not None

    def _finish(self, status, reason=None):
        if not self.done:
            self.status = status
            self.reason = reason

    def feed(self, line):
        """One console line, without its line ending."""
        if self._inputs and self._inputs[0][0].search(line):
            self.outbox.append(self._inputs.pop(0)[1])
        for rx in self._record:
            for m in rx.finditer(line):
                rec = m.groupdict() or {str(i): g for i, g in enumerate(m.groups(), 1)} \
                    or {"match": m.group(0)}
                for key in self.scenario.record_as_json:
                    if key in rec:
                        try:
                            rec[key] = json.loads(rec[key])
                        except ValueError:
                            pass        # Zephyr keeps what does not parse as it was
                self.recording.append(rec)
        if self.done:
            return
        if FATAL_MARK in line:
            self._fail_running("Kernel fatal error")
            return
        self.handle(line)
        if HALT_MARK in line:
            self._fail_running(HALT_REASON)

    def handle(self, line):
        raise NotImplementedError

    def _fail_running(self, reason):
        self._finish(TwisterStatus.FAIL, reason)

    def process_exit(self, returncode):
        """The console ended because the emulator exited before a verdict."""
        if returncode == 0:
            self.eof()
        else:
            self._fail_running(f"Exited with {returncode}")

    def eof(self):
        self._fail_running("Unexpected eof")

    def fail(self, reason):
        """The console ended for a reason only the handler knows (a board's serial port went
        away)."""
        self._fail_running(reason)

    def timeout(self):
        self._fail_running("Timeout")

    def cases(self, run_time):
        raise NotImplementedError


class ConsoleHarness(Harness):
    """Passes once the harness_config regexes matched: one_line = the first regex only;
    multi_line = all of them, in order unless `ordered: false`. Without a regex the
    configuration is an error, as in Zephyr."""

    NO_REGEX = "HARNESS:Console:no regex patterns configured."

    def __init__(self, scenario):
        super().__init__(scenario)
        cfg = scenario.harness_config or {}
        regexes = cfg.get("regex", [])
        if isinstance(regexes, str):
            regexes = [regexes]
        if not regexes:
            raise HarnessConfigError(self.NO_REGEX)
        if cfg.get("type", "one_line") == "one_line":
            regexes = regexes[:1]
        self.patterns = [re.compile(r) for r in regexes]
        self.ordered = bool(cfg.get("ordered", True))
        self.matched = [False] * len(self.patterns)
        self.next = 0

    def handle(self, line):
        if self.ordered:
            if self.next < len(self.patterns) and self.patterns[self.next].search(line):
                self.matched[self.next] = True
                self.next += 1
        else:
            for i, rx in enumerate(self.patterns):
                if not self.matched[i] and rx.search(line):
                    self.matched[i] = True
        if all(self.matched):
            self._finish(TwisterStatus.PASS)

    def cases(self, run_time):
        return [Case(self.scenario.id, self.status, self.reason, run_time)]


class ZtestHarness(Harness):
    """Zephyr's ztest console format: START / PASS / FAIL / SKIP per case, then
    PROJECT EXECUTION SUCCESSFUL or PROJECT EXECUTION FAILED."""

    SUITE_START_RE = re.compile(r"\bRunning TESTSUITE (\w+)")
    START_RE = re.compile(r"\bSTART - (\w+)")
    SUITE_RE = re.compile(r"\bSUITE (PASS|FAIL) - ")
    RESULT_RE = re.compile(r"(?:^|\s)(PASS|FAIL|SKIP) - (\w+)(?: in (\d+(?:\.\d*)?) seconds)?")
    CASE_STATUS = {"PASS": TwisterStatus.PASS, "FAIL": TwisterStatus.FAIL,
                   "SKIP": TwisterStatus.SKIP}

    def __init__(self, scenario):
        super().__init__(scenario)
        self._cases = {}          # name -> Case, in the order first seen
        self._running = None
        self._suite_of = {name: suite for suite, name in scenario.known_cases}
        self._suite = None        # of the last "Running TESTSUITE" line

    def _case(self, name):
        if name not in self._cases:
            suite = self._suite_of.get(name) or self._suite or "unknown"
            self._cases[name] = Case(self.scenario.case_id(suite, name))
        return self._cases[name]

    def handle(self, line):
        if "PROJECT EXECUTION SUCCESSFUL" in line:
            failed = [n for n, c in self._cases.items() if c.status == TwisterStatus.FAIL]
            if failed:
                self._finish(TwisterStatus.FAIL, f"Test case failed: {', '.join(failed)}")
            else:
                self._finish(TwisterStatus.PASS)
            return
        if "PROJECT EXECUTION FAILED" in line:
            self._finish(TwisterStatus.FAIL, "Testsuite failed")
            return
        if self.SUITE_RE.search(line):
            return
        m = self.SUITE_START_RE.search(line)
        if m:
            self._suite = m.group(1)
            return
        m = self.START_RE.search(line)
        if m:
            case = self._case(m.group(1))
            case.status, case.reason = None, None
            self._running = m.group(1)
            return
        m = self.RESULT_RE.search(line)
        if m:
            case = self._case(m.group(2))
            case.status = self.CASE_STATUS[m.group(1)]
            case.reason = "Failed" if case.status == TwisterStatus.FAIL else None
            case.time = float(m.group(3)) if m.group(3) else 0.0
            if self._running == m.group(2):
                self._running = None

    def _fail_running(self, reason):
        if self.done:
            return
        if self._running is not None:
            case = self._case(self._running)
            case.status, case.reason = TwisterStatus.FAIL, reason
            self._running = None
        self._finish(TwisterStatus.FAIL, reason)

    def cases(self, run_time):
        """Seen cases plus the ones found in the sources that never printed anything.

        Cases that did not get to run are `blocked` when the scenario failed, `skipped` if it
        passed without them (e.g. compiled out)."""
        result = []
        for _, name in self.scenario.known_cases:
            self._case(name)
        for name, case in self._cases.items():
            if case.status is None:
                if self.status == TwisterStatus.PASS:
                    case.status, case.reason = TwisterStatus.SKIP, "Not run"
                else:
                    case.status, case.reason = TwisterStatus.BLOCK, self.reason
            result.append(case)
        if not result:
            result.append(Case(self.scenario.id, self.status, self.reason, run_time))
        return result


# The harnesses twister can run; a scenario with another one is built only.
SUPPORTED = ("console", "ztest")


def make(scenario):
    """The harness for a scenario, or None if its harness cannot be run here (build only).
    Raises HarnessConfigError if its harness_config cannot work."""
    if scenario.harness == "console":
        return ConsoleHarness(scenario)
    if scenario.harness == "ztest":
        return ZtestHarness(scenario)
    return None
