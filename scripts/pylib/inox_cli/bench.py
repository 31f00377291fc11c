# SPDX-License-Identifier: Apache-2.0
"""`inox bench`, and `inox bench fork`: the fork benchmark (tests/benchmarks/fork) on a list of
kernels, the series: with COW and without (CONFIG_MM_COW=n) by default, and any other kernel of
KERNELS (a name and its Kconfig settings) whose Kconfig symbol exists, or that --series names.
The other benchmarks are modules of their own (bench_latency); what they share is in benchrun.

Builds the benchmark once per kernel, in a folder under the output folder that later runs
reuse (CMake is re-run only when its settings changed). Boots each image in QEMU twice: under
`-icount shift=0,sleep=off`, where a guest nanosecond is one instruction (so the figures are
instruction counts, the same on every host and every run), and without, for nanoseconds of
emulated time. QEMU's console goes to a file; QEMU exits when the benchmark's init exits. The
`fork ...` lines are parsed and written to OUT/fork.json, plotted to OUT/fork.png (matplotlib,
Agg) and printed as tables: COW against eager per size, every figure per series, and where we
stand against the targets of doc/cow.md.

Under -icount shift=0 QEMU advances its virtual clock by 1 ns per guest instruction, and the
virt board's time CSR counts it at 10 MHz: one tick is 100 instructions, which is the
resolution of every total (per-page figures are averages over many pages). The benchmark's
`calibrate` line times a loop of known length so that this is checked on every run.
"""

import os
import re
from dataclasses import dataclass, field

from . import bench_latency
from .benchrun import (add_output_flags, build_app, make_outdir, pyplot, qemu_command,
                       qemu_version, run_qemu, write_outputs)
from .common import INOX_BASE, CliError

APP = os.path.join(INOX_BASE, "tests", "benchmarks", "fork")
DEFAULT_BOARD = "qemu_riscv64"
FULL_MAX_KIB = 65536
# --big adds a parent holding 4 GiB (the board needs RAM for it: hifive_unleashed has 8 GiB).
BIG_KIB = 4 * 1024 * 1024
BIG_BOARDS = ("hifive_unleashed",)
DEFAULT_TIMEOUT = 900


@dataclass(frozen=True)
class Kernel:
    """One kernel the benchmark runs on: built in OUT/build-fork-NAME with `configs` (Kconfig
    settings passed to CMake). `label` names its COW series. A kernel whose `requires` symbol
    no Kconfig file of the tree declares yet is left out; one not `default` runs only when
    --series names it."""
    name: str
    configs: dict = field(default_factory=dict)
    label: str = ""
    requires: str = ""
    default: bool = True

    @property
    def cow(self) -> bool:
        return self.configs.get("CONFIG_MM_COW", "y") == "y"


# The kernels, each a series of the JSON, the table and the plot. Adding one is one line.
KERNELS = (
    Kernel("cow", {"CONFIG_MM_COW": "y"}, "COW"),
    Kernel("nocow", {"CONFIG_MM_COW": "n"}, "eager (CONFIG_MM_COW=n)"),
    Kernel("classic", {"CONFIG_MM_COW": "y", "CONFIG_MM_COW_SHARED_PT": "n"},
           "classic COW (CONFIG_MM_COW_SHARED_PT=n)", requires="MM_COW_SHARED_PT"),
    Kernel("cow-fence", {"CONFIG_MM_COW": "y", "CONFIG_MM_COW_REUSE_FENCE": "y"},
           "COW, fence after reuse (CONFIG_MM_COW_REUSE_FENCE=y)",
           requires="MM_COW_REUSE_FENCE", default=False),
)
KERNEL_NAMES = {k.name: k for k in KERNELS}
REFERENCE = "cow"    # the kernel the targets are about
EAGER = "nocow"      # the kernel that copies at fork

# Figures of a `fork size=...` line: times (ns of guest time; instructions under icount),
# per-page and per-chunk times, and page counts.
TIME_KEYS = ("fork_ns", "fork_exit_wait_ns", "fork_write_exit_wait_ns",
             "fork_exec_exit_wait_ns", "fork_exit_wait_rewrite_ns")
PER_PAGE_KEYS = ("cow_fault_ns_per_page", "cow_reuse_ns_per_page")
PER_CHUNK_KEYS = ("chunk_read_ns_per_chunk", "chunk_write_ns_per_chunk")
COUNT_KEYS = ("pages", "fork_pages", "pages_copied", "peak_pages")
LINE_KEYS = ("size", "mode", "kernel_cow") + COUNT_KEYS[:1] + TIME_KEYS[:3] + PER_PAGE_KEYS + \
    COUNT_KEYS[1:] + TIME_KEYS[3:] + PER_CHUNK_KEYS
# The JSON's name for each time (then _insn and _ns).
JSON_NAMES = {
    "fork_ns": "fork_call",
    "fork_exit_wait_ns": "fork_exit_wait",
    "fork_write_exit_wait_ns": "fork_write_exit_wait",
    "fork_exec_exit_wait_ns": "fork_exec_exit_wait",
    "fork_exit_wait_rewrite_ns": "fork_exit_wait_rewrite",
    "cow_fault_ns_per_page": "cow_fault_per_page",
    "cow_reuse_ns_per_page": "cow_reuse_per_page",
    "chunk_read_ns_per_chunk": "chunk_unshare_read",
    "chunk_write_ns_per_chunk": "chunk_unshare_write",
}

# Figures the benchmark leaves out (`-`, null in the JSON) where the child cannot write the
# whole heap (the 4 GiB of --big).
NOT_ALWAYS_MEASURED = ("fork_write_exit_wait_ns", "cow_fault_ns_per_page", "peak_pages")

LINE_RE = re.compile(r"^fork size=\S+ .*$")
FAILED_RE = re.compile(r"^fork size=(\d+)KiB mode=(cow|eager) failed: (.+)$")
HEADER_RE = re.compile(r"^fork benchmark: kernel_cow=([yn]) max=(\d+)KiB timebase_hz=(\d+)$")
CALIBRATE_RE = re.compile(r"^fork calibrate loop_insn=(\d+) loop_ns=(\d+)$")
DONE = "fork benchmark: done"
EXIT_OK = "init: exited with status 0"
# How far the calibration loop may be from 1 ns per instruction under -icount shift=0.
ICOUNT_TOLERANCE = 0.01

# Targets (doc/cow.md), measured in guest instructions unless they say host time.
TARGET_FORK_PER_PAGE = 20
TARGET_COW_FAULT = 2500
TARGET_SMALL_FORK_EXIT_WAIT = 50000
TARGET_RATIO_64M = 50
# Issue #13's targets: where shared page tables and cheap faults should take us.
GOAL_FORK_PER_PAGE = 0.5
GOAL_RATIO_64M = 500
GOAL_EXEC_GROWTH = 2
GOAL_REWRITE_RATIO = 50
GOAL_COW_FAULT = 1860     # no worse than today
GOAL_COW_REUSE = 417      # no worse than today
GOAL_WRITE_HOST_RATIO = 1.5


def series_label(kernel, mode):
    """The name of a (kernel, mode) series: a kernel's own mode, or its run-time eager mode."""
    k = KERNEL_NAMES[kernel]
    if mode == "eager" and k.cow:
        return "eager at run time (inox_fork_mode)" + ("" if kernel == REFERENCE else
                                                       f" on {kernel}")
    return k.label


def declared_symbols(base=INOX_BASE):
    """The Kconfig symbols the tree declares (`config NAME` in any Kconfig* file), build and
    output folders left out."""
    names = set()
    pattern = re.compile(r"^\s*(?:menu)?config\s+(\w+)", re.M)
    for root, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build", "twister-out",
                                                         "bench-out"))]
        for name in files:
            if name.startswith("Kconfig"):
                try:
                    with open(os.path.join(root, name), encoding="utf-8",
                              errors="replace") as f:
                        names.update(pattern.findall(f.read()))
                except OSError:
                    continue
    return names


def pick_kernels(wanted=None, declared=None):
    """The kernels to run: those named in `wanted` (a comma list), or every default kernel
    whose required symbol the tree declares. CliError for a name unknown or not buildable."""
    declared = declared_symbols() if declared is None else declared
    if not wanted:
        return [k for k in KERNELS if k.default and (not k.requires or k.requires in declared)]
    out = []
    for name in wanted.split(","):
        k = KERNEL_NAMES.get(name.strip())
        if k is None:
            raise CliError(f"no series `{name}`; there are: {', '.join(KERNEL_NAMES)}")
        if k.requires and k.requires not in declared:
            raise CliError(f"series `{k.name}` needs CONFIG_{k.requires}, which no Kconfig "
                           f"file of this tree declares")
        if k not in out:
            out.append(k)
    if REFERENCE not in [k.name for k in out]:
        raise CliError(f"--series must include `{REFERENCE}`: the targets are measured on it")
    return out


def add_parsers(sub):
    p = sub.add_parser(
        "bench", help="build and run a benchmark, write its figures and plot",
        description="Build a benchmark for every configuration it compares, run each in QEMU "
                    "under -icount shift=0 (guest instructions) and, where it says so, without "
                    "(nanoseconds), and write OUT/NAME.json, OUT/NAME.png and a table.",
        epilog="Run `inox bench NAME -h` for a benchmark's options.")
    names = p.add_subparsers(dest="name", metavar="NAME", required=True)
    series = ", ".join(k.name + ("" if k.default else " (only when named)") +
                       (f" (once CONFIG_{k.requires} exists)" if k.requires and k.default else "")
                       for k in KERNELS)
    f = names.add_parser(
        "fork", help="tests/benchmarks/fork on kernels with and without COW",
        description="Build tests/benchmarks/fork for each kernel series (by default with "
                    "CONFIG_MM_COW=y and =n, and every other default series whose Kconfig "
                    "symbol exists), run each under -icount shift=0 and without, and write "
                    "OUT/fork.json, OUT/fork.png and a table against the targets of "
                    "doc/cow.md.")
    f.add_argument("-b", "--board", default=DEFAULT_BOARD,
                   help=f"a QEMU board (default: {DEFAULT_BOARD})")
    f.add_argument("--max-kib", type=int, default=FULL_MAX_KIB, metavar="KIB",
                   help=f"largest resident heap measured (default: {FULL_MAX_KIB}, the full "
                        f"list 0, 256, 1024, 4096, 16384, 65536)")
    f.add_argument("--big", action="store_true",
                   help=f"also fork a parent holding 4 GiB (--max-kib {BIG_KIB}; slow, and the "
                        f"board needs 8 GiB: the default on {', '.join(BIG_BOARDS)})")
    f.add_argument("--series", metavar="NAME,...",
                   help=f"the kernels to run, among: {series}; see doc/cow.md")
    add_output_flags(f, DEFAULT_TIMEOUT)
    f.set_defaults(func=cmd_bench, parser=f, cmake_args_allowed=False)
    bench_latency.add_parser(names)


# -- Parsing -----------------------------------------------------------------------------------


def _number(key, text, line):
    if key in ("mode",):
        return text
    if key == "kernel_cow":
        if text not in ("y", "n"):
            raise CliError(f"bad kernel_cow={text} in: {line}")
        return text == "y"
    if key == "size":
        m = re.fullmatch(r"(\d+)KiB", text)
        if not m:
            raise CliError(f"bad size={text} in: {line}")
        return int(m[1])
    if text == "-" and key in NOT_ALWAYS_MEASURED:
        return None
    try:
        return int(text)
    except ValueError:
        raise CliError(f"bad {key}={text} in: {line}") from None


def parse_line(line):
    """One `fork size=...` line as a dict (size in KiB, kernel_cow a bool, the rest ints).

    Raises CliError when a field is missing, repeated, unknown or not a number."""
    fields = {}
    for token in line.split()[1:]:
        key, sep, value = token.partition("=")
        if not sep or key not in LINE_KEYS or key in fields:
            raise CliError(f"unexpected `{token}` in: {line}")
        fields[key] = _number(key, value, line)
    missing = [k for k in LINE_KEYS if k not in fields]
    if missing:
        raise CliError(f"no {', '.join(missing)} in: {line}")
    if fields["mode"] not in ("cow", "eager"):
        raise CliError(f"bad mode={fields['mode']} in: {line}")
    fields["size_kib"] = fields.pop("size")
    return fields


def parse_console(text, where="the console"):
    """The benchmark's output: {kernel_cow, max_kib, timebase_hz, loop_insn, loop_ns, records,
    failed}; `failed` lists the sizes a mode could not fork ({size_kib, mode, error}).

    Raises CliError naming `where` when the run did not finish or printed something bad."""
    header = calibration = None
    records = []
    failed = []
    done = exited = False
    for raw in text.splitlines():
        line = raw.strip()
        if m := HEADER_RE.match(line):
            header = m
        elif m := CALIBRATE_RE.match(line):
            calibration = m
        elif m := FAILED_RE.match(line):
            failed.append({"size_kib": int(m[1]), "mode": m[2], "error": m[3]})
        elif LINE_RE.match(line):
            records.append(parse_line(line))
        elif line == DONE:
            done = True
        elif line == EXIT_OK:
            exited = True
        elif line.startswith("fork benchmark:"):
            raise CliError(f"the benchmark failed in {where}: {line}")
    if header is None or calibration is None:
        raise CliError(f"no `fork benchmark:` header and `fork calibrate` line in {where}")
    if not done or not exited:
        last = [ln for ln in text.splitlines() if ln.strip()]
        raise CliError(f"the benchmark did not finish in {where}"
                       + (f"; last line: {last[-1].strip()}" if last else ""))
    if not records:
        raise CliError(f"no `fork size=` lines in {where}")
    return {"kernel_cow": header[1] == "y", "max_kib": int(header[2]),
            "timebase_hz": int(header[3]), "loop_insn": int(calibration[1]),
            "loop_ns": int(calibration[2]), "records": records, "failed": failed}


def check_icount(run, where="the -icount run"):
    """Raises CliError unless the calibration loop took 1 ns per instruction."""
    insn, ns = run["loop_insn"], run["loop_ns"]
    if abs(ns - insn) > insn * ICOUNT_TOLERANCE:
        raise CliError(f"QEMU's -icount shift=0 did not give 1 ns per instruction in {where}: "
                       f"a loop of {insn} instructions took {ns} ns")


# -- Combining runs ----------------------------------------------------------------------------


def _kernels_of(runs):
    """The kernels of `runs`, in the order of KERNELS."""
    names = {kernel for kernel, _ in runs}
    return [k for k in KERNELS if k.name in names]


def combine(runs, board="", qemu=""):
    """The JSON document from the parsed runs: runs[(kernel, "icount"|"plain")], one pair for
    each kernel run, or only the plain runs on a board without -icount (`icount` false in
    the document: every `_insn` figure is then None, and no target is evaluated).

    Each result row has the page counts and every time twice: `_insn` from the -icount run
    (ns there are instructions) and `_ns` from the plain run. A figure not measured (the
    child's writes at 4 GiB) is None. `chunk_unshare_*` is the first load plus the first
    store per 2 MiB chunk."""
    has_icount = (REFERENCE, "icount") in runs
    icount = runs[(REFERENCE, "icount" if has_icount else "plain")]
    rows = []
    failed = []
    kernels = _kernels_of(runs)
    for k in kernels:
        plain = {(r["mode"], r["size_kib"]): r for r in runs[(k.name, "plain")]["records"]}
        for r in runs[(k.name, "icount" if has_icount else "plain")]["records"]:
            p = plain.get((r["mode"], r["size_kib"]))
            if p is None:
                raise CliError(f"the run without -icount has no {r['mode']} line for "
                               f"{r['size_kib']} KiB")
            row = {"kernel": k.name, "mode": r["mode"], "series": series_label(k.name, r["mode"]),
                   "size_kib": r["size_kib"]}
            for key in COUNT_KEYS:
                row[key] = r[key]
            for key in TIME_KEYS + PER_PAGE_KEYS + PER_CHUNK_KEYS:
                row[f"{JSON_NAMES[key]}_insn"] = r[key] if has_icount else None
                row[f"{JSON_NAMES[key]}_ns"] = p[key]
            for unit in ("insn", "ns"):
                parts = (row[f"chunk_unshare_read_{unit}"], row[f"chunk_unshare_write_{unit}"])
                row[f"chunk_unshare_{unit}"] = None if None in parts else sum(parts)
            rows.append(row)
        for how in ("icount", "plain") if has_icount else ("plain",):
            for f in runs[(k.name, how)].get("failed", []):
                entry = {"kernel": k.name, "mode": f["mode"],
                         "series": series_label(k.name, f["mode"]), "size_kib": f["size_kib"],
                         "error": f["error"]}
                if entry not in failed:
                    failed.append(entry)
    doc = {
        "benchmark": "fork",
        "board": board,
        "qemu": qemu,
        "timebase_hz": icount["timebase_hz"],
        "icount": has_icount,
        "insn_resolution": round(1e9 / icount["timebase_hz"]) if has_icount else None,
        "calibration": ({"loop_insn": icount["loop_insn"], "loop_ns_icount": icount["loop_ns"]}
                        if has_icount else None),
        "units": {"_insn": "guest instructions, QEMU -icount shift=0",
                  "_ns": "ns of the guest's time CSR, QEMU without -icount",
                  "null": "not measured (the child's writes at 4 GiB)"},
        "kernels": [{"name": k.name, "configs": k.configs, "label": k.label} for k in kernels],
        "results": rows,
        "failed": failed,
    }
    doc["targets"] = targets(doc) if has_icount else []
    return doc


def host_view(doc):
    """doc with every `_insn` figure replaced by its `_ns` one, for the tables and the plot of
    a run without -icount."""
    view = dict(doc)
    view["results"] = [{k: (r[k[:-5] + "_ns"] if k.endswith("_insn") else v)
                        for k, v in r.items()} for r in doc["results"]]
    return view


def _rows(doc, kernel, mode):
    return sorted((r for r in doc["results"] if r["kernel"] == kernel and r["mode"] == mode),
                  key=lambda r: r["size_kib"])


def _by_size(doc, kernel, mode):
    return {r["size_kib"]: r for r in _rows(doc, kernel, mode)}


def _target(name, value, unit, op, goal):
    met = value <= goal if op == "<=" else value >= goal
    return {"name": name, "value": value, "unit": unit, "target": f"{op} {goal:g}", "met": met}


def targets(doc):
    """Where we stand: [{name, value, unit, target, met}], from the COW kernel's COW rows and
    the eager kernel, at the smallest size and the largest up to 64 MiB (a --big 4 GiB row
    is not the targets' 64 MiB)."""
    cow = [r for r in _rows(doc, REFERENCE, "cow") if r["size_kib"] <= FULL_MAX_KIB]
    eager = _by_size(doc, EAGER, "eager")
    if not cow:
        return []
    small, big = cow[0], cow[-1]
    span = f"{small['size_kib']} to {big['size_kib']} KiB"
    out = []
    if big["pages"] > small["pages"]:
        per_page = (big["fork_call_insn"] - small["fork_call_insn"]) / (big["pages"] -
                                                                         small["pages"])
        out.append(_target(f"fork call per resident page ({span})", round(per_page, 1),
                           "insn", "<=", TARGET_FORK_PER_PAGE))
        out.append(_target(f"COW fault, trap included ({big['size_kib']} KiB)",
                           big["cow_fault_per_page_insn"], "insn", "<=", TARGET_COW_FAULT))
    out.append(_target(f"fork+exit+wait, {small['size_kib']} KiB heap",
                       small["fork_exit_wait_insn"], "insn", "<=", TARGET_SMALL_FORK_EXIT_WAIT))
    e = eager.get(big["size_kib"])
    if e is not None:
        for key, what in (("fork_exit_wait_insn", "fork+exit+wait"),
                          ("fork_call_insn", "fork call")):
            out.append(_target(f"eager/COW, {what}, {big['size_kib']} KiB",
                               round(e[key] / max(big[key], 1), 1), "x", ">=",
                               TARGET_RATIO_64M))
    # Issue #13.
    if big["pages"] > small["pages"]:
        out.append(_target(f"#13: fork call per resident page ({span})", round(per_page, 1),
                           "insn", "<=", GOAL_FORK_PER_PAGE))
    if e is not None:
        out.append(_target(f"#13: eager/COW, fork+exit+wait, {big['size_kib']} KiB",
                           round(e["fork_exit_wait_insn"] / max(big["fork_exit_wait_insn"], 1),
                                 1), "x", ">=", GOAL_RATIO_64M))
    if big is not small:
        out.append(_target(f"#13: fork+exec+exit+wait, {big['size_kib']} KiB / "
                           f"{small['size_kib']} KiB",
                           round(big["fork_exec_exit_wait_insn"] /
                                 max(small["fork_exec_exit_wait_insn"], 1), 2),
                           "x", "<=", GOAL_EXEC_GROWTH))
    if e is not None:
        out.append(_target(f"#13: eager/COW, fork+exit+wait+rewrite, {big['size_kib']} KiB",
                           round(e["fork_exit_wait_rewrite_insn"] /
                                 max(big["fork_exit_wait_rewrite_insn"], 1), 1),
                           "x", ">=", GOAL_REWRITE_RATIO))
    if big["pages"] > 0:
        out.append(_target(f"#13: COW fault, copy ({big['size_kib']} KiB)",
                           big["cow_fault_per_page_insn"], "insn", "<=", GOAL_COW_FAULT))
        out.append(_target(f"#13: COW fault, in-place reuse ({big['size_kib']} KiB)",
                           big["cow_reuse_per_page_insn"], "insn", "<=", GOAL_COW_REUSE))
    if e is not None and e["fork_write_exit_wait_ns"]:
        out.append(_target(f"#13: host time, child writes all, COW/eager, {big['size_kib']} KiB",
                           round(big["fork_write_exit_wait_ns"] / e["fork_write_exit_wait_ns"],
                                 2), "x", "<=", GOAL_WRITE_HOST_RATIO))
    return out


# -- Table ---------------------------------------------------------------------------------


def format_table(doc):
    """The table: per size, COW against the eager kernel in instructions, fork+exit+wait in
    microseconds without -icount; then each figure for every series; then the targets. A
    string ending in a newline. Without -icount, every figure is host time (ns)."""
    note = ""
    if not doc.get("icount", True):
        doc = host_view(doc)
        note = ("\nno -icount on this board (QEMU 7.2 does not reliably start secondary harts "
                "under it): every (insn) figure below is ns of host time, for scale only, and "
                "no target is evaluated")
    cow = _rows(doc, REFERENCE, "cow")
    eager = _by_size(doc, EAGER, "eager")
    head = (f"{'heap':>7} {'pages':>5} | {'fork call (insn)':^26} | "
            f"{'fork+exit+wait (insn)':^28} | {'f+e+w (us)':^14} | {'COW fault':>9} | "
            f"{'peak pages':^12}")
    sub = (f"{'':>7} {'':>5} | {'COW':>7} {'eager':>10} {'ratio':>6} | {'COW':>8} "
           f"{'eager':>10} {'ratio':>7} | {'COW':>6} {'eager':>7} | {'insn/page':>9} | "
           f"{'COW':>5} {'eager':>6}")
    units = (f"guest instructions under QEMU -icount shift=0 (resolution "
             f"{doc['insn_resolution']})" if not note else "host time only (see below)")
    lines = [f"fork on {doc.get('board') or '?'}: {units}; us without -icount; "
             f"ratio = eager (CONFIG_MM_COW=n) / COW{note}", head, sub, "-" * len(sub)]
    for c in cow:
        e = eager.get(c["size_kib"])
        if e is None:
            continue
        fault = _val(c["cow_fault_per_page_insn"]) if c["pages"] else "-"
        lines.append(
            f"{_size(c['size_kib']):>7} {c['pages']:>5} | {c['fork_call_insn']:>7} "
            f"{e['fork_call_insn']:>10} {_ratio(e['fork_call_insn'], c['fork_call_insn']):>6} | "
            f"{c['fork_exit_wait_insn']:>8} {e['fork_exit_wait_insn']:>10} "
            f"{_ratio(e['fork_exit_wait_insn'], c['fork_exit_wait_insn']):>7} | "
            f"{_us(c['fork_exit_wait_ns']):>6} {_us(e['fork_exit_wait_ns']):>7} | {fault:>9} | "
            f"{_val(c['peak_pages']):>5} {_val(e['peak_pages']):>6}")
    lines += format_series(doc)
    if doc.get("targets"):
        lines.append("")
        lines.append("targets (guest instructions unless they say host time):")
        for t in doc["targets"]:
            value = f"{t['value']:,}{t['unit'] if t['unit'] == 'x' else ' ' + t['unit']}"
            lines.append(f"  {t['name']:<58} {value:>14}   target {t['target']:<9} "
                         f"{'met' if t['met'] else 'NOT MET'}")
    return "\n".join(lines) + "\n"


# The per-series tables: (title, JSON key, how to show it): False for a total in instructions,
# True for host time in ns (shown in us), None for a per-page or per-chunk figure, which gets
# no eager/COW ratio (eager has no faults).
SERIES_FIGURES = (
    ("fork call (insn)", "fork_call_insn", False),
    ("fork+exit+wait (insn)", "fork_exit_wait_insn", False),
    ("fork+exec+exit+wait (insn)", "fork_exec_exit_wait_insn", False),
    ("fork+exit+wait, then the parent stores to every heap page (insn)",
     "fork_exit_wait_rewrite_insn", False),
    ("first load + first store after fork, per 2 MiB chunk (insn)", "chunk_unshare_insn", None),
    ("COW fault, copy (insn per page)", "cow_fault_per_page_insn", None),
    ("COW fault, in-place reuse (insn per page)", "cow_reuse_per_page_insn", None),
    ("host time: fork, the child writes every page, exit, wait (us)", "fork_write_exit_wait_ns",
     True),
    ("host time: fork+exit+wait, then the parent rewrites (us)", "fork_exit_wait_rewrite_ns",
     True),
)


def table_series(doc):
    """The series of the per-series tables: [(kernel, mode, column name)], each COW kernel's
    own mode, then the eager kernel."""
    out = [(k["name"], "cow", k["name"]) for k in doc.get("kernels", [])
           if KERNEL_NAMES[k["name"]].cow]
    if any(r["kernel"] == EAGER for r in doc["results"]):
        out.append((EAGER, "eager", "eager"))
    return out


def _cell(row, key, host, failed):
    if failed:
        return "ENOMEM" if "errno 12" in failed else "failed"
    if row is None or row[key] is None:
        return "-"
    return _us(row[key]) if host is True else str(row[key])


def format_series(doc):
    """Every figure for every series, one small table each: lines (no trailing newline)."""
    series = table_series(doc)
    if not series:
        return []
    by = {(k, m): _by_size(doc, k, m) for k, m, _ in series}
    failed = {(f["kernel"], f["mode"], f["size_kib"]): f["error"] for f in doc.get("failed", [])}
    sizes = sorted({r["size_kib"] for r in doc["results"]} | {s for _, _, s in failed})
    ratio = (REFERENCE, "cow") in by and (EAGER, "eager") in by
    lines = ["", "series: " + "; ".join(f"{name} = {series_label(k, m)}"
                                        for k, m, name in series)]
    for title, key, host in SERIES_FIGURES:
        lines.append("")
        lines.append(title)
        lines.append(f"{'heap':>7} | " + " ".join(f"{name:>10}" for _, _, name in series) +
                     (f" | {'eager/' + REFERENCE:>10}" if ratio else ""))
        for size in sizes:
            cells = []
            for k, m, _ in series:
                row = by[(k, m)].get(size)
                cells.append(_cell(row, key, host, failed.get((k, m, size))))
            line = f"{_size(size):>7} | " + " ".join(f"{c:>10}" for c in cells)
            if ratio:
                c, e = by[(REFERENCE, "cow")].get(size), by[(EAGER, "eager")].get(size)
                r = "-"
                if host is not None and c is not None and e is not None and c[key] and \
                        e[key] is not None:
                    r = _ratio(e[key], c[key])
                line += f" | {r:>10}"
            lines.append(line)
    return lines


def _size(kib):
    if kib >= 1024 * 1024 and kib % (1024 * 1024) == 0:
        return f"{kib // (1024 * 1024)} GiB"
    return f"{kib // 1024} MiB" if kib >= 1024 and kib % 1024 == 0 else f"{kib} KiB"


def _ratio(a, b):
    return f"{a / b:.1f}x" if b else "-"


def _val(v):
    return "-" if v is None else str(v)


def _us(ns):
    return f"{ns / 1000:.0f}" if ns >= 10000 else f"{ns / 1000:.1f}"


# -- Plot ----------------------------------------------------------------------------------


# Colours and markers of the series, in the order of KERNELS; the run-time eager mode of the
# reference kernel is drawn dashed.
STYLES = (dict(color="tab:blue", marker="o"), dict(color="tab:red", marker="s"),
          dict(color="tab:green", marker="D"), dict(color="tab:purple", marker="x"))
PANELS = (("fork_call_insn", "fork() call"), ("fork_exit_wait_insn", "fork + exit + wait"),
          ("fork_exec_exit_wait_insn", "fork + exec + exit + wait"),
          ("fork_exit_wait_rewrite_insn", "fork + exit + wait, then the parent rewrites"))


def plot_series(doc):
    """[(kernel, mode, label, style)] of the plot: each kernel's own mode, and the reference
    kernel switched to eager at run time."""
    out = []
    for i, k in enumerate(doc.get("kernels", [])):
        kernel = KERNEL_NAMES[k["name"]]
        out.append((kernel.name, "cow" if kernel.cow else "eager",
                    series_label(kernel.name, "cow" if kernel.cow else "eager"),
                    STYLES[i % len(STYLES)]))
        if kernel.name == REFERENCE:
            out.append((REFERENCE, "eager", series_label(REFERENCE, "eager"),
                        dict(color="tab:orange", marker="^", linestyle="--", markersize=4,
                             linewidth=1)))
    return out


def plot(doc, path):
    """Writes the log-log plot of cost against resident heap to path (PNG): fork call,
    fork+exit+wait, fork+exec+exit+wait and fork+exit+wait+rewrite, one line per series.
    Heaps of 0 KiB are left out (no place on a log axis), and so are figures not measured."""
    plt = pyplot()
    icount = doc.get("icount", True)
    if not icount:
        doc = host_view(doc)
    fig, grid = plt.subplots(2, 2, figsize=(11, 9), sharey=True)
    axes = [ax for row in grid for ax in row]
    series = plot_series(doc)
    for ax, (key, title) in zip(axes, PANELS):
        for kernel, mode, label, style in series:
            rows = [r for r in _rows(doc, kernel, mode)
                    if r["size_kib"] > 0 and r[key] is not None]
            if rows:
                ax.plot([r["size_kib"] for r in rows], [r[key] for r in rows], label=label,
                        **style)
        cow = _rows(doc, REFERENCE, "cow")
        if key == "fork_call_insn" and cow and icount:
            xs = [r["size_kib"] for r in cow if r["size_kib"] > 0]
            base = cow[0]["fork_call_insn"]
            ax.plot(xs, [base + TARGET_FORK_PER_PAGE * x / 4 for x in xs], color="gray",
                    linestyle=":", label=f"target: {TARGET_FORK_PER_PAGE} insn per page")
        if key == "fork_exit_wait_insn":
            rows = [r for r in _rows(doc, EAGER, "eager") if r["size_kib"] <= FULL_MAX_KIB]
            if rows and rows[-1]["size_kib"] > 0 and icount:
                ax.plot([rows[-1]["size_kib"]], [rows[-1][key] / TARGET_RATIO_64M], color="gray",
                        marker="v", linestyle="none",
                        label=f"target for COW: eager / {TARGET_RATIO_64M}")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        sizes = sorted({r["size_kib"] for r in doc["results"] if r["size_kib"] > 0})
        ax.set_xticks(sizes, [_size(k) for k in sizes])
        ax.minorticks_off()
        ax.set_title(title)
        ax.set_xlabel("resident heap (every page touched)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    for ax in (axes[0], axes[2]):
        ax.set_ylabel("guest instructions (QEMU -icount shift=0)" if icount else
                      "ns of host time (no -icount: for scale only)")
    fig.suptitle(f"Inox fork cost, COW against eager copy ({doc.get('board') or 'QEMU'})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- Building and running ------------------------------------------------------------------


def _build(outdir, board, kernel, max_kib):
    want = dict(kernel.configs, FORK_BENCH_MAX_KIB=str(max_kib))
    what = "the benchmark with " + " ".join(f"{k}={v}" for k, v in kernel.configs.items())
    return build_app(os.path.join(outdir, f"build-fork-{kernel.name}"), board, APP, want, what)


def icount_works(qemu):
    """Whether the board runs under -icount: QEMU 7.2 does not reliably start secondary harts
    under it (doc/latency.md), so a board with more than one hart is run without."""
    if "-smp" not in qemu[:-1]:
        return True
    n = qemu[qemu.index("-smp") + 1].split(",")[0]
    return not n.isdigit() or int(n) <= 1


def cmd_bench(args, extra):
    if args.max_kib < 0:
        raise CliError("--max-kib must be 0 or more")
    max_kib = args.max_kib
    if args.big or args.board in BIG_BOARDS:
        max_kib = max(max_kib, BIG_KIB)
    kernels = pick_kernels(args.series)
    outdir = make_outdir(args.outdir)
    bdirs = {k.name: _build(outdir, args.board, k, max_kib) for k in kernels}
    runs = {}
    qemu = None
    for k in kernels:
        qemu = qemu_command(bdirs[k.name])
        settings = " ".join(f"{n}={v}" for n, v in k.configs.items())
        if not icount_works(qemu):
            print("-- inox bench: no -icount run on this board: QEMU 7.2 does not reliably start "
                  "secondary harts under -icount, so its figures are host time only", flush=True)
        for how in ("icount", "plain") if icount_works(qemu) else ("plain",):
            console = os.path.join(outdir, f"fork-{k.name}-{how}.console")
            print(f"-- inox bench: running {settings} "
                  f"{'under -icount shift=0' if how == 'icount' else 'without -icount'}",
                  flush=True)
            where = os.path.relpath(console)
            run = parse_console(run_qemu(qemu, console, args.timeout, how == "icount"), where)
            if run["kernel_cow"] != k.cow:
                raise CliError(f"{where}: the kernel says kernel_cow="
                               f"{'y' if run['kernel_cow'] else 'n'}, built with "
                               f"CONFIG_MM_COW={'y' if k.cow else 'n'}")
            if how == "icount":
                check_icount(run, where)
            runs[(k.name, how)] = run
    doc = combine(runs, board=args.board, qemu=qemu_version(qemu))
    write_outputs(doc, outdir, "fork", plot, format_table)
    return 0
