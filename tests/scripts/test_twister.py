# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/twister.

No kernel is built: the fixture apps under twister_fixtures/ are tiny real CMake projects whose
"build" writes inox/runners.json pointing at fake_qemu.py, a stand-in QEMU that takes QEMU's
`-chardev pipe` console and writes the console of a chosen mode into its FIFO. So the real
paths run: discovery, cmake + ninja, runners.json, the FIFO console, the harnesses, the
reports and the exit status.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from types import SimpleNamespace

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "pylib"))
pytest.importorskip("yaml", reason="run with /usr/bin/python3 (Debian's python3-yaml)")

from twister import cli, handlers, harness, platforms, runner, testplan  # noqa: E402

FIX = os.path.join(HERE, "twister_fixtures")
FAKE_QEMU = os.path.join(FIX, "fake_qemu.py")
TWISTER = os.path.join(REPO, "scripts", "twister")
ROOT_ARGS = ["-T", os.path.join(FIX, "tests"), "-T", os.path.join(FIX, "samples"),
             "--board-root", os.path.join(FIX, "boards")]
REL = "tests/scripts/twister_fixtures"

pytestmark = pytest.mark.skipif(not (shutil.which("cmake") and shutil.which("ninja")),
                                reason="needs cmake and ninja")


def opts(**kw):
    base = dict(platform=[], test=[], tag=[], exclude_tag=[], subset=None, integration=False)
    base.update(kw)
    return SimpleNamespace(**base)


def twister(args, cwd, timeout=60):
    """Runs scripts/twister as a user would; returns (exit status, stdout lines)."""
    env = dict(os.environ, FAKE_QEMU_PYTHON=sys.executable)
    p = subprocess.run([sys.executable, TWISTER, *ROOT_ARGS, *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout.splitlines(), p.stderr


@pytest.fixture(scope="module")
def plats():
    return platforms.discover([os.path.join(FIX, "boards")])


@pytest.fixture(scope="module")
def scenarios():
    return {sc.id: sc for sc in testplan.discover([os.path.join(FIX, "tests"),
                                                    os.path.join(FIX, "samples")], REPO)}


# --- discovery, yaml, filters ------------------------------------------------------------------

def test_platforms_from_board_yaml(plats):
    assert set(plats) == {"fake_qemu", "fake_qemu/smp", "fake_mcu"}   # board.yml has no identifier
    q, smp, mcu = plats["fake_qemu"], plats["fake_qemu/smp"], plats["fake_mcu"]
    assert q.default and q.simulated and q.ram == 262144 and q.ignore_tags == ["no_fake"]
    assert not smp.default and smp.timeout_multiplier == 2 and smp.normalized == "fake_qemu_smp"
    assert mcu.default and not mcu.simulated


def test_scenarios_merge_common(scenarios):
    t = scenarios["console.timeout"]
    assert t.name == "console.timeout" and t.path_name == f"{REL}/tests/console/console.timeout"
    assert t.tags == ["console", "slow"]                         # common + own, string or list
    assert t.platform_allow == ["fake_qemu", "fake_qemu/smp"]    # space-separated string
    assert t.harness == "console" and t.timeout == 0.5
    assert t.extra_configs == ["CONFIG_FAKE_MODE=timeout"]
    hello = scenarios["sample.fake.hello"]
    assert hello.sample and hello.harness_config["regex"] == ["Hello World! (.*)"]
    assert scenarios["sample.fake.record"].record == [r"(?P<metric>\w+) : (?P<cycles>\d+) cycles"]
    z = scenarios["ztest.pass"]
    assert z.harness == "ztest"                                  # the default harness
    assert z.known_cases == [("fake", "test_alpha"), ("fake", "test_beta"), ("fake", "test_gamma"),
                             ("fake", "test_delta")]
    assert z.case_ids()[0] == "ztest.pass.fake.alpha"       # <scenario>.<suite>.<name>
    detailed = testplan.discover([os.path.join(FIX, "tests")], REPO, detailed=True)
    assert f"{REL}/tests/console/console.timeout" in {sc.name for sc in detailed}
    assert scenarios["console.multi"].timeout == testplan.DEFAULT_TIMEOUT


def test_default_discovery_skips_fixtures():
    found = testplan.discover([os.path.join(REPO, "tests")], REPO)
    assert not any("twister_fixtures" in sc.name for sc in found)


def test_bad_yaml_is_one_clear_error(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "testcase.yaml").write_text(
        "tests:\n  a.b:\n    harness_config: {regex: ['(']}\n")
    with pytest.raises(platforms.ConfigError, match="bad regex"):
        testplan.discover([str(tmp_path)], str(tmp_path))


def _reasons(scenarios, plats, **kw):
    inst, filtered = testplan.plan(list(scenarios.values()), plats, opts(**kw), "/tmp/x")
    return ({(i.scenario.id, i.platform.identifier) for i in inst},
            {(i.scenario.id, i.platform.identifier): i.reason for i in filtered})


def test_filters(scenarios, plats):
    run, why = _reasons(scenarios, plats)
    assert ("sample.fake.hello", "fake_mcu") in run                   # default platforms
    assert not any(p == "fake_qemu/smp" for _, p in run)              # not default
    assert why[("console.excluded", "fake_qemu")] == "In test case platform exclude"
    assert why[("console.bigram", "fake_qemu")] == "Not enough RAM"
    assert why[("console.ignored_tag", "fake_qemu")].startswith("Excluded tags per platform")
    assert why[("ztest.pass", "fake_mcu")] == "Not in testsuite platform allow list"

    run, why = _reasons(scenarios, plats, platform=["fake_qemu/smp"], tag=["console"],
                        exclude_tag=["slow"])
    assert ("console.multi", "fake_qemu/smp") in run
    assert why[("console.timeout", "fake_qemu/smp")] == "Command line testsuite exclude filter"
    assert why[("sample.fake.hello", "fake_qemu/smp")] == "Command line testsuite tag filter"

    run, _ = _reasons(scenarios, plats,
                      test=["ztest.pass", f"{REL}/samples/hello/sample.fake.halt"])
    assert run == {("ztest.pass", "fake_qemu"), ("sample.fake.halt", "fake_qemu")}

    with pytest.raises(platforms.ConfigError, match="unknown platform"):
        _reasons(scenarios, plats, platform=["nope"])
    with pytest.raises(platforms.ConfigError, match="no such test scenario"):
        _reasons(scenarios, plats, test=["no.such"])


def test_zephyr_selection_filters(scenarios, plats, tmp_path):
    _, why = _reasons(scenarios, plats)
    assert why[("sample.fake.slow", "fake_qemu")] == "Not enabled for slow tests"
    run, _ = _reasons(scenarios, plats, enable_slow=True)
    assert ("sample.fake.slow", "fake_qemu") in run

    gpio = dict(scenarios, gpio=replace(scenarios["sample.fake.hello"], id="gpio",
                                        depends_on=["gpio"]),
                serial=replace(scenarios["sample.fake.hello"], id="serial",
                               depends_on=["serial"]))
    run, why = _reasons(gpio, plats)
    assert why[("gpio", "fake_qemu")] == "No hardware support"
    assert ("serial", "fake_qemu") in run and why[("serial", "fake_mcu")] == "No hardware support"

    run, why = _reasons(scenarios, plats, exclude_platform=["fake_mcu"])
    assert why[("sample.fake.hello", "fake_mcu")] == "Command line platform exclusion"
    _, why = _reasons(scenarios, plats, arch=["arm"])
    assert why[("sample.fake.hello", "fake_qemu")] == "Command line testsuite arch filter"

    config = tmp_path / "test_config.yaml"
    config.write_text("levels:\n  - name: smoke\n    adds: ['sample\\.fake\\..*']\n"
                      "  - name: acceptance\n    inherits: [smoke]\n    adds: [console.multi]\n")
    run, why = _reasons(scenarios, plats, level_plan=testplan.load_level(config, "acceptance"))
    assert {sc for sc, p in run if p == "fake_qemu"} == {
        "sample.fake.hello", "sample.fake.halt", "sample.fake.record", "console.multi"}
    assert why[("ztest.pass", "fake_qemu")] == "Not part of requested test plan"
    with pytest.raises(platforms.ConfigError, match="no level 'nightly'"):
        testplan.load_level(config, "nightly")

    qfile = tmp_path / "quarantine.yaml"
    qfile.write_text("- scenarios: ['ztest\\..*']\n  platforms: [fake_qemu]\n"
                     "  comment: flaky, issue 12\n")
    run, why = _reasons(scenarios, plats, quarantine=testplan.load_quarantine(qfile))
    assert why[("ztest.fail", "fake_qemu")] == "Quarantine: flaky, issue 12"
    assert ("console.multi", "fake_qemu") in run


def test_subset_slices_cover_everything():
    items = list(range(10))
    slices = [testplan.subset(items, m, 3) for m in (1, 2, 3)]
    assert sum(slices, []) == items and all(3 <= len(s) <= 4 for s in slices)


def test_timeout_multipliers(scenarios, plats):
    inst = testplan.Instance(scenarios["console.timeout"], plats["fake_qemu/smp"], "/tmp/x")
    ctx = SimpleNamespace(timeout_multiplier=3)
    assert runner.timeout_for(inst, ctx) == 0.5 * 2 * 3


# --- harnesses on fake consoles ----------------------------------------------------------------

def feed(h, lines):
    for line in lines:
        h.feed(line)
    return h


def test_console_one_line(scenarios):
    h = feed(harness.make(scenarios["sample.fake.hello"]), ["boot", "Hello World! x"])
    assert (h.status, h.reason) == ("passed", None)
    assert [c.identifier for c in h.cases(1.0)] == ["sample.fake.hello"]


def test_console_multi_line_order(scenarios):
    lines = ["step c", "step b", "step a"]
    assert feed(harness.make(scenarios["console.multi"]), lines).status is None
    sc = scenarios["console.unordered_fails_ordered"]
    unordered = testplan.Scenario(**{**sc.__dict__, "harness_config":
                                     {**sc.harness_config, "ordered": False}})
    assert feed(harness.make(unordered), lines).status == "passed"


def test_console_end_reasons(scenarios):
    sc = scenarios["console.timeout"]
    h = harness.make(sc)
    h.process_exit(0)
    assert h.reason == "Unexpected eof"
    h = harness.make(sc)
    h.process_exit(3)
    assert h.reason == "Exited with 3"
    h = harness.make(sc)
    h.timeout()
    assert h.reason == "Timeout"
    h = feed(harness.make(sc), [">>> INOX FATAL ERROR 0: CPU exception on CPU 0", "never printed"])
    assert (h.status, h.reason) == ("failed", "Kernel fatal error")
    noregex = testplan.Scenario(**{**sc.__dict__, "harness_config": {}})
    with pytest.raises(harness.HarnessConfigError,
                       match="HARNESS:Console:no regex patterns configured."):
        harness.make(noregex)
    # A board that cannot power off halts: a verdict still missing fails at once.
    halt = "sys_poweroff: no way to power off here; halting"
    h = feed(harness.make(sc), ["init: exited with status 0", halt])
    assert (h.status, h.reason) == ("failed", harness.HALT_REASON)
    h = feed(harness.make(scenarios["sample.fake.hello"]), ["Hello World! x", halt])
    assert (h.status, h.reason) == ("passed", None)


def test_record(scenarios):
    sc = scenarios["sample.fake.record"]                # harness_config: record:, Zephyr's
    h = feed(harness.make(sc), ["alloc : 120 cycles", "x : y cycles"])
    assert h.recording == [{"metric": "alloc", "cycles": "120"}]
    h = feed(harness.make(replace(sc, record_as_json=["cycles"])), ["alloc : 120 cycles"])
    assert h.recording == [{"metric": "alloc", "cycles": 120}]


def test_ztest_cases(scenarios):
    sc = scenarios["ztest.pass"]
    h = feed(harness.make(sc), ["START - test_alpha", " PASS - test_alpha in 0.25 seconds",
                                "START - test_beta", "boom", " FAIL - test_beta in 0.5 seconds",
                                "START - test_gamma", " SKIP - test_gamma",
                                "SUITE FAIL - fake", "PROJECT EXECUTION FAILED"])
    assert (h.status, h.reason) == ("failed", "Testsuite failed")
    cases = {c.identifier: (c.status, c.time) for c in h.cases(1.0)}
    assert cases == {"ztest.pass.fake.alpha": ("passed", 0.25),
                     "ztest.pass.fake.beta": ("failed", 0.5),
                     "ztest.pass.fake.gamma": ("skipped", 0.0),
                     "ztest.pass.fake.delta": ("blocked", 0.0)}


def test_ztest_timeout_fails_running_case(scenarios):
    h = feed(harness.make(scenarios["ztest.pass"]),
             ["START - test_alpha", " PASS - test_alpha in 0.001 seconds", "START - test_beta"])
    h.timeout()
    st = {c.identifier.rsplit(".", 1)[1]: (c.status, c.reason) for c in h.cases(1.0)}
    assert st["alpha"] == ("passed", None)
    assert st["beta"] == ("failed", "Timeout")
    assert st["gamma"] == ("blocked", "Timeout")


# --- the QEMU handler against fake_qemu.py -----------------------------------------------------

def run_fake(tmp_path, scenario, mode, timeout=5.0, cmd=None):
    h = harness.make(scenario)
    q = handlers.QemuHandler(str(tmp_path), cmd or [sys.executable, FAKE_QEMU, "--mode", mode,
                                                    "-machine", "virt"], timeout)
    start = time.monotonic()
    status, reason = q.run(h)
    return status, reason, time.monotonic() - start, h, q


@pytest.fixture
def short_grace(monkeypatch):
    monkeypatch.setattr(handlers, "EXIT_GRACE", 0.3)


def test_handler_pass_and_poweroff(tmp_path, scenarios):
    status, reason, _, _, q = run_fake(tmp_path, scenarios["sample.fake.hello"], "hello")
    assert (status, reason) == ("passed", None)
    log = open(q.log_path).read()
    assert "Hello World! fake_qemu\n" in log and "\r" not in log
    assert not os.path.exists(os.path.join(tmp_path, "console.out"))      # FIFOs removed


def test_handler_reads_everything_before_eof(tmp_path, scenarios):
    status, reason, _, _, q = run_fake(tmp_path, scenarios["console.timeout"], "eof")
    assert (status, reason) == ("failed", "Unexpected eof")
    lines = open(q.log_path).read().splitlines()
    assert lines[-1] == "last line" and len(lines) == 3003


def test_handler_exit_status(tmp_path, scenarios):
    result = run_fake(tmp_path, scenarios["console.timeout"], "exit3")
    assert result[:2] == ("failed", "Exited with 3")


def test_handler_timeout(tmp_path, scenarios):
    status, reason, took, _, _ = run_fake(tmp_path, scenarios["console.timeout"], "timeout", 0.4)
    assert (status, reason) == ("failed", "Timeout") and took < 3


def test_handler_halting_board_is_stopped(tmp_path, scenarios, short_grace):
    status, _, took, _, _ = run_fake(tmp_path, scenarios["sample.fake.hello"], "stubborn")
    assert status == "passed" and took < 2          # SIGTERM ignored: SIGKILL after the grace


def test_handler_fatal_error(tmp_path, scenarios, short_grace):
    status, reason, took, _, q = run_fake(tmp_path, scenarios["console.fatal"], "fatal")
    assert (status, reason) == ("failed", "Kernel fatal error") and took < 2
    assert "mepc: 0x80200000" in open(q.log_path).read()    # the dump after the line is kept


def test_handler_qemu_fails_to_start_fast(tmp_path, scenarios):
    status, reason, took, _, _ = run_fake(tmp_path, scenarios["console.nostart"], "nostart", 30)
    assert status == "error" and took < 2
    assert reason == "qemu-system-riscv64: -machine bogus: unsupported machine type"
    status, reason, took, _, _ = run_fake(tmp_path, scenarios["console.nostart"], "", 30,
                                          cmd=["/nonexistent/qemu-system-riscv64"])
    assert status == "error" and "No such file" in reason and took < 1


def test_handler_long_outdir(tmp_path, scenarios):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    assert run_fake(deep, scenarios["sample.fake.hello"], "hello")[:2] == ("passed", None)


# --- output ------------------------------------------------------------------------------------

def test_tty_progress_prints_only_failures(scenarios, plats):
    out = io.StringIO()
    o = runner.Output(2, stream=out, tty=True)
    good = testplan.Instance(scenarios["sample.fake.hello"], plats["fake_qemu"], "/tmp/x")
    good.set_result("passed")
    bad = testplan.Instance(scenarios["console.timeout"], plats["fake_qemu"], "/tmp/x")
    bad.set_result("failed", "Timeout")
    o.finished(good)
    o.finished(bad)
    text = out.getvalue()
    assert "sample.fake.hello PASSED" not in text
    assert "console.timeout FAILED: Timeout" in text and "ETA" in text


def test_output_is_logging_with_debug_for_verbose(scenarios, plats, tmp_path):
    inst = testplan.Instance(scenarios["ztest.pass"], plats["fake_qemu"], "/tmp/x")
    inst.set_result("passed")
    for verbose in (0, 1):
        out = io.StringIO()
        o = runner.Output(1, stream=out, verbose=verbose, tty=False)
        o.open_log(tmp_path / f"twister{verbose}.log")
        o.warn("careful")
        o.finished(inst)
        lines = out.getvalue().splitlines()
        assert lines[0] == "WARNING - careful"
        assert lines[1].startswith("INFO    - 1/1 fake_qemu ztest.pass PASSED")
        debug = "DEBUG   -     ztest.pass.fake.alpha passed"
        assert (debug in lines) == bool(verbose)                    # -v: DEBUG on the console
        assert debug in (tmp_path / f"twister{verbose}.log").read_text().splitlines()


def test_inline_log_is_cut_to_its_end(scenarios, plats, tmp_path):
    log = tmp_path / "handler.log"
    log.write_text("".join(f"line {i}\n" for i in range(1, runner.INLINE_LINES + 51)))
    out = io.StringIO()
    o = runner.Output(1, stream=out, inline_logs=True)
    bad = testplan.Instance(scenarios["console.timeout"], plats["fake_qemu"], "/tmp/x")
    bad.set_result("failed", "Timeout")
    bad.log = str(log)
    o.finished(bad)
    lines = out.getvalue().splitlines()
    assert "(50 earlier lines are in the file)" in lines
    assert "line 50" not in lines and "line 51" in lines
    assert f"line {runner.INLINE_LINES + 50}" in lines


# --- end to end: scripts/twister ---------------------------------------------------------------

@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("full")
    rc, lines, err = twister(["-j", "6", "--report-filtered"], cwd)
    out = cwd / "twister-out"
    data = json.loads((out / "twister.json").read_text())
    suites = {(s["name"], s["platform"]): s for s in data["testsuites"]}
    return SimpleNamespace(rc=rc, lines=lines, err=err, suites=suites, out=out, data=data)


def test_full_run_statuses(full_run):
    s = full_run.suites
    q = "fake_qemu"

    def st(name, plat=q):
        return s[(name, plat)]["status"], s[(name, plat)].get("reason")

    assert st("sample.fake.hello") == ("passed", None)
    assert st("sample.fake.halt") == ("passed", None)
    assert st("console.multi") == ("passed", None)
    assert st("console.unordered_fails_ordered") == ("failed", "Unexpected eof")
    assert st("console.timeout") == ("failed", "Timeout")
    assert st("console.fatal") == ("failed", "Kernel fatal error")
    assert st("console.nostart") == \
        ("error", "qemu-system-riscv64: -machine bogus: unsupported machine type")
    assert float(s[("console.nostart", q)]["execution_time"]) < 2
    assert st("console.missing_qemu")[0] == "error"
    assert st("console.noqemu") == ("not run", "No qemu command in runners.json (build only)")
    assert st("console.build_only") == ("not run", "Build only")
    assert st("sample.fake.hello", "fake_mcu") == \
        ("not run", "Platform has no simulator (build only)")
    assert st("broken.build") == \
        ("error", "Build error: src/main.c:3:1: error: expected ';' before '}' token")
    assert s[("broken.build", q)]["testcases"][0]["status"] == "blocked"
    assert st("console.bigram") == ("filtered", "Not enough RAM")
    assert s[("sample.fake.record", q)]["recording"] == \
        [{"metric": "alloc", "cycles": "120"}, {"metric": "free", "cycles": "30"}]
    env = full_run.data["environment"]
    assert env["zephyr_version"] == env["inox_version"] and env["commit_date"]
    assert env["options"]["jobs"] == 6 and env["options"]["report_filtered"] is True
    hello = s[("sample.fake.hello", q)]
    assert hello["runnable"] is True and hello["path"] == f"{REL}/samples/hello"
    assert isinstance(hello["execution_time"], str) and isinstance(hello["build_time"], str)
    assert "log" not in hello                               # only failures carry their log
    assert "waiting forever" in s[("console.timeout", q)]["log"]        # the text, not a path
    assert s[("console.build_only", q)]["runnable"] is False
    assert s[("console.bigram", q)]["runnable"] is False
    assert s[("console.bigram", q)]["testcases"] == [{"identifier": "console.bigram",
                                                     "status": "filtered"}]


def test_full_run_ztest_cases(full_run):
    def cases(name):
        return {c["identifier"].rsplit(".", 1)[1]: (c["status"], c.get("reason"))
                for c in full_run.suites[(name, "fake_qemu")]["testcases"]}

    assert cases("ztest.pass") == {"alpha": ("passed", None), "beta": ("passed", None),
                                   "gamma": ("skipped", None), "delta": ("skipped", "Not run")}
    assert cases("ztest.fail")["beta"] == ("failed", "Failed")
    crash = cases("ztest.crash")
    assert crash["alpha"][0] == "passed"
    assert crash["beta"] == ("failed", "Kernel fatal error")
    assert crash["gamma"] == ("blocked", "Kernel fatal error")
    assert [c["identifier"] for c in full_run.suites[("ztest.pass", "fake_qemu")]["testcases"]] \
        == ["ztest.pass.fake.alpha", "ztest.pass.fake.beta", "ztest.pass.fake.gamma",
            "ztest.pass.fake.delta"]


def test_full_run_output_and_exit(full_run):
    assert full_run.rc == 1
    # cases: 4 console passes + ztest 2+1+1 = 8 passed; 6 failed/blocked console + 3 + 3;
    # skipped: 3 build-only + ztest.pass gamma and delta.
    assert full_run.lines[-1] == "8 passed, 12 failed, 5 skipped"
    text = "\n".join(full_run.lines)
    assert "fake_qemu sample.fake.hello PASSED (qemu " in text
    assert "fake_qemu console.timeout FAILED: Timeout (qemu " in text
    log = (full_run.out / "twister.log").read_text()
    assert "DEBUG   -     ztest.pass.fake.alpha passed" in log           # cases, even without -v
    assert log.splitlines()[-1] == full_run.lines[-1]
    plan = json.loads((full_run.out / "testplan.json").read_text())
    planned = {(t["name"], t["platform"]): t for t in plan["testsuites"]}
    assert "status" not in planned[("sample.fake.hello", "fake_qemu")]
    assert planned[("console.bigram", "fake_qemu")]["reason"] == "Not enough RAM"
    assert "Slowest scenarios" in text


def test_full_run_junit(full_run):
    root = ET.parse(full_run.out / "twister_report.xml").getroot()
    suites = {ts.get("name"): ts for ts in root}
    assert set(suites) == {"fake_qemu", "fake_mcu"}
    cases = {tc.get("name"): tc for tc in suites["fake_qemu"]}
    assert cases["console.timeout"].find("failure").get("message") == "Timeout"
    assert cases["ztest.crash.fake.gamma"].find("error").get("message") == "Kernel fatal error"
    assert cases["console.build_only"].find("skipped") is not None
    assert cases["ztest.pass.fake.alpha"].find("failure") is None
    assert "console.bigram" not in cases                 # filtered configurations are left out
    assert int(suites["fake_qemu"].get("failures")) == sum(
        tc.find("failure") is not None for tc in suites["fake_qemu"])


def test_zero_cases_is_a_failure(tmp_path):
    rc, lines, _ = twister(["-t", "no_such_tag"], tmp_path)
    assert rc == 1 and lines[-1] == "0 passed, 0 failed"


def test_small_run_retry_only_failed_rotation(tmp_path):
    args = ["-p", "fake_qemu", "-s", "sample.fake.hello", "-s", "console.unordered_fails_ordered",
            "--retry-failed", "1", "-i"]
    rc, lines, _ = twister(args, tmp_path)
    assert rc == 1 and lines[-1] == "1 passed, 1 failed"
    assert any("Iteration 1: re-running 1 failed" in line for line in lines)
    assert "step a" in "\n".join(lines)                  # -i: the console log inline
    data = json.loads((tmp_path / "twister-out" / "twister.json").read_text())
    retried = [s for s in data["testsuites"] if s["name"].endswith("unordered_fails_ordered")]
    assert retried[0]["retries"] == 1

    rc, lines, _ = twister(["-f"], tmp_path)
    assert rc == 1 and lines[-1] == "0 passed, 1 failed"
    assert (tmp_path / "twister-out.1" / "twister.json").exists()

    rc, lines, _ = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "-O",
                            str(tmp_path / "twister-out.1"), "--test-only"], tmp_path)
    assert rc == 0 and lines[-1] == "1 passed, 0 failed"


def test_build_only(tmp_path):
    rc, lines, _ = twister(["-b", "-p", "fake_qemu", "-s", "sample.fake.hello"], tmp_path)
    assert rc == 0 and lines[-1] == "0 passed, 0 failed, 1 skipped"


def test_cmake_only_configures_and_builds_nothing(tmp_path):
    rc, lines, _ = twister(["--cmake-only", "-p", "fake_qemu", "-s", "sample.fake.hello"],
                           tmp_path)
    assert rc == 0 and lines[-1] == "0 passed, 0 failed, 1 skipped"
    build = tmp_path / "twister-out" / "fake_qemu" / REL / "samples" / "hello" / \
        "sample.fake.hello"
    assert (build / "inox" / "runners.json").exists() and not (build / "inox.elf").exists()
    suite = json.loads((tmp_path / "twister-out" / "twister.json").read_text())["testsuites"]
    assert [(s["status"], s.get("reason")) for s in suite if s["status"] != "filtered"] == \
        [("not run", "CMake only (--cmake-only)")]


def test_dry_run_extra_args_report_dir(tmp_path):
    rc, lines, _ = twister(["--dry-run", "-p", "fake_qemu", "-s", "sample.fake.hello"], tmp_path)
    out = tmp_path / "twister-out"
    assert rc == 0 and "Dry run: 1 configurations planned" in lines[-1]
    plan = json.loads((out / "testplan.json").read_text())["testsuites"]
    assert [t["name"] for t in plan if "status" not in t] == ["sample.fake.hello"]
    assert not (out / "fake_qemu").exists()                # nothing configured
    # -x comes after the scenario's own extra_configs, so it wins: the fake board prints
    # steps instead of the greeting.
    rc, lines, _ = twister(["-p", "fake_qemu", "-s", "sample.fake.hello", "-x",
                            "CONFIG_FAKE_MODE=multi", "--report-dir", str(tmp_path / "r")],
                           tmp_path)
    assert rc == 1 and lines[-1] == "0 passed, 1 failed"
    suite = json.loads((tmp_path / "r" / "twister.json").read_text())["testsuites"][0]
    assert suite["reason"] == "Unexpected eof" and "step a" in suite["log"]
    assert (tmp_path / "r" / "twister_report.xml").exists()
    rc, lines, _ = twister(["-x", "NOEQUALS"], tmp_path)
    assert rc == 2 and lines[-1] == "ERROR   - -x NOEQUALS: expected KEY=VALUE"


def test_list_tests(tmp_path):
    rc, lines, _ = twister(["-l", "-t", "ztest"], tmp_path)
    assert rc == 0 and " - ztest.crash" in lines
    assert "     - ztest.crash.fake.delta" in lines


def test_outside_test_root_gets_a_build_folder_per_platform(tmp_path):
    # A test root outside the repository: each platform's build used to land in one folder
    # outside -O (named ../..), so one platform's build ran for both and both passed.
    root = tmp_path / "outside" / "tests"
    app = root / "hello"
    shutil.copytree(os.path.join(FIX, "samples", "hello"), app)
    cml = app / "CMakeLists.txt"
    cml.write_text(cml.read_text().replace("${CMAKE_CURRENT_LIST_DIR}/../..", FIX))
    out = tmp_path / "out"
    env = dict(os.environ, FAKE_QEMU_PYTHON=sys.executable)
    p = subprocess.run([sys.executable, TWISTER, "-T", str(root), "--board-root",
                        os.path.join(FIX, "boards"), "-p", "fake_qemu", "-p", "fake_qemu/smp",
                        "-s", "sample.fake.hello", "-O", str(out), "-j", "1",
                        "--detailed-test-id"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.splitlines()[-1] == "2 passed, 0 failed", p.stdout
    suites = json.loads((out / "twister.json").read_text())["testsuites"]
    assert sorted((s["name"], s["platform"]) for s in suites if s["status"] == "passed") == [
        ("hello/sample.fake.hello", "fake_qemu"), ("hello/sample.fake.hello", "fake_qemu/smp")]
    sanitized = str(app.resolve()).lstrip(os.sep)
    for plat in ("fake_qemu", "fake_qemu_smp"):
        build = out / plat / sanitized / "sample.fake.hello"
        runners = json.loads((build / "inox" / "runners.json").read_text())
        assert runners["board"] == plat.replace("_smp", "/smp")
    assert sorted(os.listdir(tmp_path)) == ["out", "outside"]       # nothing beside -O
    assert sorted(os.listdir(app)) == ["CMakeLists.txt", "sample.yaml"]


def test_config_errors_and_crashes(tmp_path, monkeypatch):
    out = io.StringIO()
    assert cli.main(["-T", str(tmp_path / "nope")], stream=out) == 2
    assert out.getvalue().startswith("ERROR   - testsuite root")

    def boom(*a, **k):
        raise RuntimeError("kaboom")
    monkeypatch.setattr(testplan, "plan", boom)
    out = io.StringIO()
    assert cli.main([*ROOT_ARGS, "-O", str(tmp_path / "o")], stream=out) == 2
    assert out.getvalue().splitlines()[-1] == "ERROR   - twister crashed: RuntimeError: kaboom"
