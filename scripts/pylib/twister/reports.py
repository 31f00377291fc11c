# SPDX-License-Identifier: Apache-2.0
"""twister.json, JUnit XML and the closing summary."""

from __future__ import annotations

import json
import os
import platform as host
import subprocess
import time
import xml.etree.ElementTree as ET

from .statuses import FAILED, TwisterStatus

FAILED_CASE = (TwisterStatus.FAIL, TwisterStatus.BLOCK)
# A configuration in one of these failed: a run gets re-run, twister exits with 1.
BAD = FAILED


def count_cases(instances):
    """{passed, failed, skipped} over the cases of non-filtered instances; blocked counts as
    failed (it did not pass and must not go unnoticed), not run as skipped."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for inst in instances:
        if inst.status == TwisterStatus.FILTER:
            continue
        for case in inst.cases:
            if case.status == TwisterStatus.PASS:
                counts["passed"] += 1
            elif case.status in FAILED_CASE:
                counts["failed"] += 1
            else:
                counts["skipped"] += 1
    return counts


def final_line(counts):
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped"
    return line


def exit_status(instances, build_only):
    """0 only if nothing failed and something ran (with --build-only: something was built)."""
    counts = count_cases(instances)
    if counts["failed"] or any(i.status in FAILED for i in instances):
        return 1
    if build_only:
        return 0 if any(i.status == TwisterStatus.NOTRUN for i in instances) else 1
    return 0 if counts["passed"] else 1


def _git(repo_root: str, *args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", repo_root, *args], capture_output=True, text=True,
                             timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _jsonable(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def environment(repo_root: str, opts) -> dict:
    """Zephyr's `environment`: the version under `zephyr_version` (tools read that key) and
    `inox_version`, the toolchain, the commit and run dates, and `options`: every command
    line option by its argparse name."""
    version = _git(repo_root, "describe", "--always", "--dirty")
    return {
        "os": os.name,
        "zephyr_version": version,
        "inox_version": version,
        "toolchain": "cross-compile",
        "commit_date": _git(repo_root, "log", "-1", "--format=%cI"),
        "run_date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": host.node(),
        "python": host.python_version(),
        "options": {k: _jsonable(v) for k, v in sorted(vars(opts).items())
                    if not k.startswith("_") and k not in ("quarantine", "level_plan")},
    }


def _seconds(x: float | None) -> str:
    return f"{float(x or 0):.2f}"


def _log_text(path: str | None) -> str | None:
    """A log's text with what is not printable dropped (Zephyr's process_log), or None."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except (OSError, TypeError):
        return None
    return "".join(c for c in text if c.isprintable() or c in "\n\t")


def elf_sizes(elf: str) -> tuple[int, int] | None:
    """(used_ram, used_rom) in bytes of an image, as Zephyr counts them: ROM holds the
    allocated sections with contents, RAM the writable ones and .bss; None if unreadable."""
    try:
        from elftools.elf.elffile import ELFFile
        from elftools.common.exceptions import ELFError
    except ImportError:
        return None
    try:
        with open(elf, "rb") as f:
            ram = rom = 0
            for sec in ELFFile(f).iter_sections():
                flags = sec["sh_flags"]
                if not flags & 0x2:                         # SHF_ALLOC
                    continue
                if sec["sh_type"] != "SHT_NOBITS":
                    rom += sec["sh_size"]
                if flags & 0x1 or sec["sh_type"] == "SHT_NOBITS":   # SHF_WRITE
                    ram += sec["sh_size"]
            return ram, rom
    except (OSError, ELFError):
        return None


def suite_dict(inst, planned: bool = False) -> dict:
    """One entry of `testsuites`, in Zephyr's shape. `planned` (testplan.json): before the
    run, so without results."""
    d = {
        "name": inst.name,
        "arch": inst.platform.arch,
        "platform": inst.platform.identifier,
        "path": inst.scenario.rel_dir,
        "runnable": inst.status != TwisterStatus.FILTER and inst.runnable,
        "retries": inst.retries,
        "toolchain": "cross-compile",
    }
    if inst.status and (not planned or inst.status == TwisterStatus.FILTER):
        d["status"] = inst.status
    if inst.reason and inst.status != TwisterStatus.PASS:
        d["reason"] = inst.reason
    if planned or inst.status == TwisterStatus.FILTER:
        filtered = inst.status == TwisterStatus.FILTER
        d["testcases"] = [{"identifier": c, "status": TwisterStatus.FILTER if filtered
                           else None} for c in inst.scenario.case_ids()]
        return d
    sizes = elf_sizes(os.path.join(inst.outdir, "inox", "inox.elf")) if inst.built else None
    if sizes:
        d["used_ram"], d["used_rom"] = sizes
    if inst.status in FAILED and inst.log:
        d["log"] = _log_text(inst.log)
    d["execution_time"] = _seconds(inst.run_time)
    d["build_time"] = _seconds(inst.build_time)
    if inst.handler:
        d["handler"] = inst.handler
    cases = []
    for c in inst.cases:
        case = {"identifier": c.identifier, "execution_time": _seconds(c.time),
                "status": c.status}
        if c.reason or c.status == TwisterStatus.SKIP:
            case["reason"] = c.reason or inst.reason
        cases.append(case)
    d["testcases"] = cases
    if inst.recording:
        d["recording"] = inst.recording
    return d


def write_json(path: str, instances: list, env: dict, report_filtered: bool = False,
               planned: bool = False) -> None:
    """twister.json (or, planned, testplan.json): filtered configurations only with
    report_filtered, as Zephyr's --report-filtered."""
    suites = [suite_dict(i, planned) for i in instances
              if report_filtered or i.status != TwisterStatus.FILTER]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"environment": env, "testsuites": suites}, f, indent=4)
        f.write("\n")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def previous_failures(path):
    """(name, platform) of every instance that failed, errored or had a failed case."""
    data = load_json(path)
    keys = set()
    for suite in data.get("testsuites", []):
        bad = suite.get("status") in FAILED or any(
            c.get("status") in FAILED_CASE for c in suite.get("testcases", []))
        if bad:
            keys.add((suite.get("name"), suite.get("platform")))
    return keys


def _log_tail(path, lines=100):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except (OSError, TypeError):
        return ""


def write_junit(path, instances):
    """One <testsuite> per platform, one <testcase> per case; filtered instances are left out."""
    root = ET.Element("testsuites")
    by_platform = {}
    for inst in instances:
        if inst.status != TwisterStatus.FILTER:
            by_platform.setdefault(inst.platform.identifier, []).append(inst)
    for plat in sorted(by_platform):
        insts = by_platform[plat]
        cases = [(i, c) for i in insts for c in i.cases]
        suite = ET.SubElement(root, "testsuite", name=plat, tests=str(len(cases)),
                              failures=str(sum(c.status == TwisterStatus.FAIL for _, c in cases)),
                              errors=str(sum(c.status == TwisterStatus.BLOCK for _, c in cases)),
                              skipped=str(sum(c.status in (TwisterStatus.SKIP, TwisterStatus.NOTRUN)
                                              for _, c in cases)),
                              time=f"{sum(i.build_time + i.run_time for i in insts):.3f}")
        for inst, case in cases:
            el = ET.SubElement(suite, "testcase", classname=inst.name, name=case.identifier,
                               time=f"{case.time:.3f}")
            reason = case.reason or inst.reason or ""
            if case.status == TwisterStatus.FAIL:
                f = ET.SubElement(el, "failure", type="failure", message=reason)
                f.text = _log_tail(inst.log)
            elif case.status == TwisterStatus.BLOCK:
                e = ET.SubElement(el, "error", type="blocked", message=reason)
                e.text = _log_tail(inst.log)
            elif case.status in (TwisterStatus.SKIP, TwisterStatus.NOTRUN):
                ET.SubElement(el, "skipped", type="skipped", message=reason)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def summary(output, instances, filtered, elapsed, report_paths):
    """Prints the counts, the 10 slowest scenarios and, last, `N passed, N failed[, N skipped]`.

    An instance the `filter:` dropped once configured counts as filtered, not executed."""
    ran = [i for i in instances if i.status != TwisterStatus.FILTER]
    dropped = len(filtered) + len(instances) - len(ran)
    by_status = {}
    for inst in ran:
        by_status[inst.status] = by_status.get(inst.status, 0) + 1
    output.info(f"{len(instances) + len(filtered)} test configurations selected, "
                f"{dropped} filtered, {len(ran)} executed in {elapsed:.2f} seconds")
    output.info(f"{by_status.get('passed', 0)} passed, {by_status.get('failed', 0)} failed, "
                f"{by_status.get('error', 0)} errored, {by_status.get('not run', 0)} built only, "
                f"{by_status.get('skipped', 0)} skipped configurations")
    slow = sorted((i for i in ran if i.build_time or i.run_time),
                  key=lambda i: i.build_time + i.run_time, reverse=True)[:10]
    if slow:
        output.info("Slowest scenarios (build + run):")
        for inst in slow:
            output.info(f"  {inst.build_time + inst.run_time:8.3f}s {inst.platform.identifier} "
                        f"{inst.name} (build {inst.build_time:.3f}s, run {inst.run_time:.3f}s)")
    output.info(f"Reports: {', '.join(report_paths)}")
    counts = count_cases(ran)
    output.print_line(final_line(counts))
    output.log_only(final_line(counts))
    return counts
