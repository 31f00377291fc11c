# SPDX-License-Identifier: Apache-2.0
"""`inox test`: the host tests (pytest on tests/scripts), then Twister, one summed result.

Both tools write to the terminal as they run. pytest's counts come from its JUnit XML,
written to a temporary folder; Twister's from its last line, `N passed, N failed[, N skipped]`.
The last line printed is the sum in the same form, and the exit status is 0 only if both
tools succeeded and at least one test passed.

Nothing lands in the source tree: pytest runs without its cache provider and without writing
bytecode; Twister writes to ./twister-out (as the user's own twister runs do).
"""

import importlib.util
import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import inox_python

from .common import INOX_BASE, CliError, exit_status, positive_int

# Tests of scripts/inox replace the two tools with stand-ins through these variables; each
# holds a command line (shell-quoted) used in place of `PYTHON -m pytest` and
# `PYTHON scripts/twister`. They are not meant for users.
PYTEST_ENV = "INOX_PYTEST"
TWISTER_ENV = "INOX_TWISTER"

HOST_TESTS = "tests/scripts"
TWISTER_OUT = "twister-out"
# What the host tests import; the interpreter running them must have them all.
HOST_TEST_MODULES = ("pytest", "yaml", "kconfiglib", "libfdt", "elftools")

SUMMARY_RE = re.compile(r"(\d+) passed, (\d+) failed(?:, (\d+) skipped)?")


def add_parsers(sub):
    p = sub.add_parser(
        "test", allow_abbrev=False, help="run the host tests and Twister",
        description="Run the host tests (pytest on tests/scripts), then Twister on the "
                    "default platforms, and print the summed result last.",
        usage="inox test [-h] [-j N] [TWISTER_ARG ...]",
        epilog="Any other argument goes to scripts/twister, e.g. "
               "inox test -p qemu_riscv64 -T tests/kernel -v. Twister writes to ./twister-out.")
    p.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                   help="Twister's parallel jobs (default: number of CPUs)")
    p.set_defaults(func=cmd_test, parser=p, cmake_args_allowed=True, takes_extra=True)


def format_counts(counts):
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped"
    return line


def host_python():
    """The interpreter for pytest and Twister: this one if it has the modules the tests
    import, else the one inox_python picks."""
    if all(importlib.util.find_spec(m) is not None for m in HOST_TEST_MODULES):
        return sys.executable
    return inox_python.find(HOST_TEST_MODULES) or sys.executable


def _command(env_name, default):
    text = os.environ.get(env_name)
    return shlex.split(text) if text else default


def junit_counts(path):
    """{passed, failed, skipped} from pytest's JUnit XML; errors count as failed."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0) or 0)
    failed = total["failures"] + total["errors"]
    return {"passed": total["tests"] - failed - total["skipped"], "failed": failed,
            "skipped": total["skipped"]}


def _start(cmd, **kw):
    try:
        return subprocess.Popen(cmd, **kw)
    except OSError as e:
        raise CliError(f"cannot run {cmd[0]}: {e.strerror}") from None


def run_pytest(python):
    """Runs the host tests; returns (exit status, counts or None, error line or None)."""
    cmd = _command(PYTEST_ENV, [python, "-m", "pytest"])
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryDirectory(prefix="inox-test-") as tmp:
        xml = os.path.join(tmp, "pytest.xml")
        try:
            proc = _start([*cmd, "-q", HOST_TESTS, "-p", "no:cacheprovider",
                           f"--junitxml={xml}"], cwd=INOX_BASE, env=env)
        except CliError as e:
            return 1, None, f"pytest is not runnable: {e}"
        try:
            rc = exit_status(proc.wait())
        except KeyboardInterrupt:
            proc.wait()
            raise
        try:
            counts = junit_counts(xml)
        except (OSError, ET.ParseError, ValueError):
            return rc or 1, None, f"pytest is not runnable: it exited with status {rc} " \
                                  f"and wrote no results ({' '.join(cmd)})"
    if rc != 0 and not counts["failed"]:
        return rc, counts, f"pytest exited with status {rc}" + \
            (" (no tests collected)" if rc == 5 else "")
    return rc, counts, None


def run_twister(python, args):
    """Runs Twister, copying its output to ours as it comes; returns (exit status, counts or
    None, error line or None)."""
    cmd = [*_command(TWISTER_ENV, [python, os.path.join(INOX_BASE, "scripts", "twister")]),
           *args]
    sys.stdout.flush()
    try:
        proc = _start(cmd, stdout=subprocess.PIPE)
    except CliError as e:
        return 1, None, f"twister did not run: {e}"
    tail = b""
    out = sys.stdout.buffer
    try:
        while True:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            out.write(chunk)
            out.flush()
            tail = (tail + chunk)[-4096:]
        rc = exit_status(proc.wait())
    except KeyboardInterrupt:
        proc.wait()
        raise
    finally:
        proc.stdout.close()
    lines = [ln.strip() for ln in re.split(r"[\r\n]", tail.decode("utf-8", "replace"))]
    lines = [ln for ln in lines if ln]
    m = SUMMARY_RE.fullmatch(lines[-1]) if lines else None
    if not m:
        return rc or 1, None, f"twister did not finish (exit status {rc}, no `N passed, " \
                              f"N failed` line); see its output above"
    counts = {"passed": int(m[1]), "failed": int(m[2]), "skipped": int(m[3] or 0)}
    return rc, counts, None


def cmd_test(args, extra):
    python = host_python()
    twister_args = ["-O", TWISTER_OUT]
    if args.jobs:
        twister_args += ["-j", str(args.jobs)]
    # Where nobody reads twister-out afterwards (CI, a log file), a failure's console log
    # must be in the output itself.
    if not sys.stdout.isatty() and not {"-i", "--inline-logs"} & set(extra):
        twister_args.append("--inline-logs")
    twister_args += extra

    print(f"-- inox test: host tests (pytest {HOST_TESTS})", flush=True)
    p_rc, p_counts, p_err = run_pytest(python)
    print(f"-- inox test: twister {' '.join(twister_args)}", flush=True)
    t_rc, t_counts, t_err = run_twister(python, twister_args)

    total = {"passed": 0, "failed": 0, "skipped": 0}
    for counts in (p_counts, t_counts):
        for key in total:
            total[key] += counts[key] if counts else 0
    sys.stdout.flush()
    for err in (p_err, t_err):
        if err:
            print(f"error: {err}", file=sys.stderr, flush=True)
    for name, counts in (("pytest", p_counts), ("twister", t_counts)):
        print(f"-- inox test: {name}: {format_counts(counts) if counts else 'no result'}")
    print(format_counts(total), flush=True)
    ok = p_rc == 0 and t_rc == 0 and p_counts and t_counts and total["passed"] > 0 \
        and not total["failed"]
    return 0 if ok else 1
