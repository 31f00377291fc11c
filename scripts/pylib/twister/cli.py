# SPDX-License-Identifier: Apache-2.0
"""Command line: Zephyr's twister flags, one clear error line and a non-zero exit on failure."""

import argparse
import os
import sys
import time
import traceback

from . import handlers, platforms, reports, runner, testplan
from .platforms import ConfigError
from .statuses import FAILED

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def _subset(text):
    try:
        m, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected M/N, e.g. 1/3") from None
    if not 1 <= m <= n:
        raise argparse.ArgumentTypeError("need 1 <= M <= N")
    return m, n


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seconds(text):
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def parser():
    p = argparse.ArgumentParser(
        prog="twister",
        description="Build and run Inox test scenarios (testcase.yaml / sample.yaml) on "
                    "platforms (boards/**/*.yaml), and report the results.")
    sel = p.add_argument_group("selection")
    sel.add_argument("-p", "--platform", action="append", default=[],
                     help="platform identifier to test on (repeatable); default: the platforms "
                          "with testing: default: true")
    sel.add_argument("-T", "--testsuite-root", action="append", default=[],
                     help="folder searched for testcase.yaml/sample.yaml (repeatable); default: "
                          "samples and tests of the repository")
    sel.add_argument("-s", "--test", action="append", default=[],
                     help="run only this scenario: dotted id or <path>/<id> (repeatable)")
    sel.add_argument("-t", "--tag", action="append", default=[],
                     help="run only scenarios with this tag (repeatable: any of them)")
    sel.add_argument("-e", "--exclude-tag", action="append", default=[],
                     help="skip scenarios with this tag (repeatable)")
    sel.add_argument("-G", "--integration", action="store_true",
                     help="run scenarios on their integration_platforms")
    sel.add_argument("-B", "--subset", type=_subset, metavar="M/N",
                     help="run only the M-th of N slices of the selected configurations")
    sel.add_argument("-f", "--only-failed", action="store_true",
                     help="run only what failed in the previous OUTDIR/twister.json")
    sel.add_argument("--board-root", action="append", default=[],
                     help="folder searched for board yaml files (repeatable); default: boards")
    sel.add_argument("--exclude-platform", action="append", default=[], metavar="PLATFORM",
                     help="leave this platform out (repeatable)")
    sel.add_argument("--arch", action="append", default=[],
                     help="only platforms of this architecture (repeatable)")
    sel.add_argument("--enable-slow", action="store_true",
                     help="also run the scenarios marked slow: true")
    sel.add_argument("--level", metavar="LEVEL",
                     help="only the scenarios of this test plan level (see --test-config)")
    sel.add_argument("--test-config", default=os.path.join(REPO_ROOT, "tests", "test_config.yaml"),
                     metavar="FILE",
                     help="the levels --level chooses from (default: tests/test_config.yaml)")
    sel.add_argument("--quarantine-list", action="append", default=[], metavar="FILE",
                     help="yaml list of configurations not to run (repeatable): "
                          "{scenarios, platforms, architectures, comment}")
    run = p.add_argument_group("execution")
    run.add_argument("-j", "--jobs", type=_positive_int, default=os.cpu_count() or 1,
                     help="scenarios built/run in parallel (default: number of CPUs)")
    run.add_argument("-b", "--build-only", action="store_true", help="build, do not run")
    run.add_argument("--cmake-only", action="store_true",
                     help="only configure (cmake, and the filter on its result): no build, "
                          "no run")
    run.add_argument("--test-only", action="store_true",
                     help="run what an earlier twister built in OUTDIR, do not build")
    run.add_argument("--retry-failed", type=int, default=0, metavar="N",
                     help="re-run failed scenarios up to N more times")
    run.add_argument("--timeout-multiplier", type=float, default=1.0,
                     help="multiply every scenario's timeout by this")
    run.add_argument("-x", "--extra-args", action="append", default=[], metavar="KEY=VAL",
                     help="CMake cache entry for every build, passed as -DKEY=VAL (repeatable)")
    run.add_argument("--dry-run", action="store_true",
                     help="plan only: write testplan.json and list the configurations, run "
                          "nothing")
    dev = p.add_argument_group("device testing (see doc/testing.md, Testing on hardware)")
    dev.add_argument("--device-testing", action="store_true",
                     help="run on the board attached to this host instead of QEMU (needs "
                          "exactly one -p, a console and --device-flash-command)")
    dev.add_argument("--device-serial", metavar="DEV",
                     help="the board's console: a serial port, e.g. /dev/ttyUSB1")
    dev.add_argument("--device-serial-pty", metavar="SCRIPT",
                     help="the board's console: a shell command run with a pty as its "
                          "stdin/stdout, e.g. one that connects to a remote serial port")
    dev.add_argument("--device-serial-baud", type=_positive_int, default=115200, metavar="N",
                     help="the serial port's baud rate (default: 115200)")
    dev.add_argument("--device-flash-command", metavar="CMD",
                     help="shell command that loads and starts the image on the board; "
                          "{build_dir}, {elf} and {board} are replaced, shell-quoted")
    dev.add_argument("--device-flash-timeout", type=_seconds, default=60.0, metavar="SECONDS",
                     help="how long the flash command may take (default: 60)")
    out = p.add_argument_group("output")
    out.add_argument("-O", "--outdir", default=os.path.join(os.getcwd(), "twister-out"),
                     help="output folder (default: ./twister-out; an existing one is renamed "
                          "twister-out.1, .2, ... unless -n)")
    out.add_argument("--report-dir", metavar="DIR",
                     help="write twister.json and twister_report.xml there (default: OUTDIR)")
    out.add_argument("--report-filtered", action="store_true",
                     help="also list the filtered configurations in twister.json")
    out.add_argument("--detailed-test-id", action="store_true",
                     help="name scenarios <folder>/<id> (samples/hello_world/"
                          "sample.basic.helloworld) instead of their id alone")
    out.add_argument("-n", "--no-clean", action="store_true",
                     help="reuse the output folder instead of renaming it")
    out.add_argument("-i", "--inline-logs", action="store_true",
                     help="print the build or console log of each failure")
    out.add_argument("-v", "--verbose", action="count", default=0,
                     help="print a line per scenario and per test case")
    out.add_argument("-l", "--list-tests", action="store_true",
                     help="list the selected scenarios and their test cases, then exit")
    return p


def rotate_outdir(outdir):
    """Renames an existing output folder to the first free <outdir>.N, as Zephyr does."""
    if not os.path.exists(outdir):
        return None
    n = 1
    while os.path.exists(f"{outdir}.{n}"):
        n += 1
    os.rename(outdir, f"{outdir}.{n}")
    return f"{outdir}.{n}"


def check_device_options(opts):
    """Zephyr's rules for --device-*: one platform and one console. Inox adds: a flash command,
    since no board's flash runner loads an image by itself (hifive_unleashed's `uboot-sdcard`
    only makes an SD card image, written to a card by hand)."""
    console = [o for o in (opts.device_serial, opts.device_serial_pty) if o]
    if not opts.device_testing:
        if console or opts.device_flash_command:
            raise ConfigError("--device-serial, --device-serial-pty and --device-flash-command "
                              "need --device-testing")
        return
    if len(opts.platform) != 1:
        raise ConfigError("--device-testing needs exactly one -p PLATFORM: the attached board")
    if len(console) != 1:
        raise ConfigError("--device-testing needs one of --device-serial DEV and "
                          "--device-serial-pty SCRIPT")
    if not opts.device_flash_command:
        raise ConfigError("--device-testing needs --device-flash-command CMD: no Inox flash "
                          "runner loads an image on a board by itself (doc/testing.md)")


def list_tests(scenarios, opts, stream):
    selected = testplan.select_scenarios(scenarios, opts)
    count = 0
    for sc in selected:
        stream.write(f" - {sc.name}\n")
        if sc.harness == "ztest" and sc.known_cases:
            for cid in sc.case_ids():
                stream.write(f"     - {cid}\n")
        count += len(sc.case_ids())
    stream.write(f"{len(selected)} scenarios, {count} test cases\n")
    return 0


def run(argv, stream):
    opts = parser().parse_args(argv)
    if (opts.build_only or opts.cmake_only) and opts.test_only:
        raise ConfigError("--build-only and --cmake-only exclude --test-only")
    check_device_options(opts)
    output = runner.Output(0, stream=stream, verbose=opts.verbose, inline_logs=opts.inline_logs)
    roots = [os.path.abspath(r) for r in opts.testsuite_root] or \
        [d for d in (os.path.join(REPO_ROOT, "samples"), os.path.join(REPO_ROOT, "tests"))
         if os.path.isdir(d)]
    board_roots = [os.path.abspath(r) for r in opts.board_root] or [os.path.join(REPO_ROOT,
                                                                                 "boards")]
    plats = platforms.discover(board_roots)
    opts.quarantine = [q for path in opts.quarantine_list for q in testplan.load_quarantine(path)]
    opts.level_plan = testplan.load_level(opts.test_config, opts.level) if opts.level else None
    bad = [x for x in opts.extra_args if "=" not in x]
    if bad:
        raise ConfigError(f"-x {bad[0]}: expected KEY=VALUE")
    scenarios = testplan.discover(roots, REPO_ROOT, warn=output.warn,
                                  detailed=opts.detailed_test_id)
    if opts.list_tests:
        return list_tests(scenarios, opts, stream)

    outdir = os.path.abspath(opts.outdir)
    report_dir = os.path.abspath(opts.report_dir) if opts.report_dir else outdir
    previous = None
    if opts.only_failed:
        path = os.path.join(report_dir, "twister.json")
        try:
            previous = reports.previous_failures(path)
        except (OSError, ValueError) as e:
            raise ConfigError(f"--only-failed: cannot read {path}: {e}") from e
    if not (opts.no_clean or opts.test_only):
        moved = rotate_outdir(outdir)
        if moved:
            output.info(f"Renamed the previous output folder to {moved}")
    os.makedirs(outdir, exist_ok=True)
    output.open_log(os.path.join(outdir, "twister.log"))

    instances, filtered = testplan.plan(scenarios, plats, opts, outdir)
    if previous is not None:
        instances = [i for i in instances if i.key in previous]
        filtered = [i for i in filtered if i.key in previous]
    for inst in instances:
        inst.runnable = inst.runnable and not (opts.build_only or opts.cmake_only) or \
            bool(opts.device_testing and not inst.scenario.build_only)
    env = reports.environment(REPO_ROOT, opts)
    reports.write_json(os.path.join(outdir, "testplan.json"), instances + filtered, env,
                       report_filtered=True, planned=True)
    if opts.dry_run:
        for inst in instances:
            output.info(f"{inst.platform.identifier} {inst.name}")
        output.info(f"Dry run: {len(instances)} configurations planned, {len(filtered)} "
                    f"filtered; see {os.path.join(outdir, 'testplan.json')}")
        return 0
    output.total = len(instances)
    output.info(f"{len(scenarios)} test scenarios, {len(instances) + len(filtered)} "
                f"configurations selected, {len(filtered)} filtered; running {len(instances)} "
                f"on {opts.jobs} workers"
                + (", one at a time on the device" if opts.device_testing else ""))

    ninja_jobs = max(1, (os.cpu_count() or 1) // max(1, min(opts.jobs, len(instances))))
    ctx = runner.Context(REPO_ROOT, opts, ninja_jobs)
    start = time.monotonic()
    output.start_progress()
    try:
        runner.run_all(instances, ctx, opts.jobs, output)
        for attempt in range(1, opts.retry_failed + 1):
            again = [i for i in instances if i.status in FAILED]
            if not again:
                break
            output.info(f"Iteration {attempt}: re-running {len(again)} failed configuration(s)")
            for inst in again:
                inst.retries += 1
            output.restart(len(again))
            runner.run_all(again, ctx, opts.jobs, output)
    finally:
        output.stop_progress()
    elapsed = time.monotonic() - start

    everything = instances + filtered
    paths = [os.path.join(report_dir, "twister.json"),
             os.path.join(report_dir, "twister_report.xml")]
    reports.write_json(paths[0], everything, env, report_filtered=opts.report_filtered)
    reports.write_junit(paths[1], everything)
    reports.summary(output, instances, filtered, elapsed, paths)
    return reports.exit_status(instances, opts.build_only or opts.cmake_only)


def main(argv=None, stream=None):
    """Runs twister; returns its exit status (never raises, except SystemExit from argparse)."""
    argv = sys.argv[1:] if argv is None else argv
    stream = stream or sys.stdout
    try:
        handlers.install_sigterm()
    except ValueError:
        pass            # not the main thread (tests)
    try:
        return run(argv, stream)
    except ConfigError as e:
        stream.write(f"ERROR   - {e}\n")
        return 2
    except KeyboardInterrupt:
        handlers.terminate_all()
        stream.write("ERROR   - interrupted\n")
        return 130
    except Exception as e:     # a bug in twister itself: one line, not a traceback
        if "-v" in argv or "--verbose" in argv:
            traceback.print_exc()
        stream.write(f"ERROR   - twister crashed: {type(e).__name__}: {e}\n")
        return 2
