# SPDX-License-Identifier: Apache-2.0
"""`inox bench`, and `inox bench fork`: the fork benchmark (tests/benchmarks/fork) with and
without COW. The other benchmarks are modules of their own (bench_latency); what they share is
in benchrun.

Builds the benchmark twice, with CONFIG_MM_COW=y and =n, in two folders under the output
folder that later runs reuse (CMake is re-run only when their settings changed). Boots each
image in QEMU twice: under `-icount shift=0,sleep=off`, where a guest nanosecond is one
instruction (so the figures are instruction counts, the same on every host and every run),
and without,
for nanoseconds of emulated time. QEMU's console goes to a file; QEMU exits when the
benchmark's init exits. The `fork ...` lines are parsed and written to OUT/fork.json, plotted
to OUT/fork.png (matplotlib, Agg) and printed as a table with the eager/COW ratio per size and
where we stand against the targets of doc/cow.md.

Under -icount shift=0 QEMU advances its virtual clock by 1 ns per guest instruction, and the
virt board's time CSR counts it at 10 MHz: one tick is 100 instructions, which is the
resolution of every total (per-page figures are averages over many pages). The benchmark's
`calibrate` line times a loop of known length so that this is checked on every run.
"""

import os
import re

from . import bench_latency
from .benchrun import (add_output_flags, build_app, make_outdir, pyplot, qemu_command,
                       qemu_version, run_qemu, write_outputs)
from .common import INOX_BASE, CliError

APP = os.path.join(INOX_BASE, "tests", "benchmarks", "fork")
DEFAULT_BOARD = "qemu_riscv64"
FULL_MAX_KIB = 65536
DEFAULT_TIMEOUT = 900

# (name, CONFIG_MM_COW): the two kernels; each folder is OUT/build-fork-NAME.
KERNELS = (("cow", "y"), ("nocow", "n"))

# The series: (kernel, mode) -> label. "eager" is the kernel without COW; the COW kernel
# switched to eager copying at run time (inox_fork_mode) is in the JSON and the plot too.
SERIES = {
    ("cow", "cow"): "COW",
    ("nocow", "eager"): "eager (CONFIG_MM_COW=n)",
    ("cow", "eager"): "eager at run time (inox_fork_mode)",
}

# Figures of a `fork size=...` line: times (ns of guest time; instructions under icount),
# per-page times, and page counts.
TIME_KEYS = ("fork_ns", "fork_exit_wait_ns", "fork_write_exit_wait_ns")
PER_PAGE_KEYS = ("cow_fault_ns_per_page", "cow_reuse_ns_per_page")
COUNT_KEYS = ("pages", "fork_pages", "pages_copied", "peak_pages")
LINE_KEYS = ("size", "mode", "kernel_cow") + COUNT_KEYS[:1] + TIME_KEYS + PER_PAGE_KEYS + \
    COUNT_KEYS[1:]

LINE_RE = re.compile(r"^fork size=\S+ .*$")
HEADER_RE = re.compile(r"^fork benchmark: kernel_cow=([yn]) max=(\d+)KiB timebase_hz=(\d+)$")
CALIBRATE_RE = re.compile(r"^fork calibrate loop_insn=(\d+) loop_ns=(\d+)$")
DONE = "fork benchmark: done"
EXIT_OK = "init: exited with status 0"
# How far the calibration loop may be from 1 ns per instruction under -icount shift=0.
ICOUNT_TOLERANCE = 0.01

# Targets (doc/cow.md), measured in guest instructions.
TARGET_FORK_PER_PAGE = 20
TARGET_COW_FAULT = 2500
TARGET_SMALL_FORK_EXIT_WAIT = 50000
TARGET_RATIO_64M = 50


def add_parsers(sub):
    p = sub.add_parser(
        "bench", help="build and run a benchmark, write its figures and plot",
        description="Build a benchmark for every configuration it compares, run each in QEMU "
                    "under -icount shift=0 (guest instructions) and, where it says so, without "
                    "(nanoseconds), and write OUT/NAME.json, OUT/NAME.png and a table.",
        epilog="Run `inox bench NAME -h` for a benchmark's options.")
    names = p.add_subparsers(dest="name", metavar="NAME", required=True)
    f = names.add_parser(
        "fork", help="tests/benchmarks/fork with CONFIG_MM_COW=y and =n",
        description="Build tests/benchmarks/fork with CONFIG_MM_COW=y and =n, run each under "
                    "-icount shift=0 and without, and write OUT/fork.json, OUT/fork.png and a "
                    "table against the targets of doc/cow.md.")
    f.add_argument("-b", "--board", default=DEFAULT_BOARD,
                   help=f"a QEMU board (default: {DEFAULT_BOARD})")
    f.add_argument("--max-kib", type=int, default=FULL_MAX_KIB, metavar="KIB",
                   help=f"largest resident heap measured (default: {FULL_MAX_KIB}, the full "
                        f"list 0, 256, 1024, 4096, 16384, 65536)")
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
    """The benchmark's output: {kernel_cow, max_kib, timebase_hz, loop_insn, loop_ns, records}.

    Raises CliError naming `where` when the run did not finish or printed something bad."""
    header = calibration = None
    records = []
    done = exited = False
    for raw in text.splitlines():
        line = raw.strip()
        if m := HEADER_RE.match(line):
            header = m
        elif m := CALIBRATE_RE.match(line):
            calibration = m
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
            "loop_ns": int(calibration[2]), "records": records}


def check_icount(run, where="the -icount run"):
    """Raises CliError unless the calibration loop took 1 ns per instruction."""
    insn, ns = run["loop_insn"], run["loop_ns"]
    if abs(ns - insn) > insn * ICOUNT_TOLERANCE:
        raise CliError(f"QEMU's -icount shift=0 did not give 1 ns per instruction in {where}: "
                       f"a loop of {insn} instructions took {ns} ns")


# -- Combining runs ----------------------------------------------------------------------------


def combine(runs, board="", qemu=""):
    """The JSON document from the four parsed runs: runs[(kernel, "icount"|"plain")].

    Each result row has the page counts and every time twice: `_insn` from the -icount run
    (ns there are instructions) and `_ns` from the plain run."""
    icount = runs[("cow", "icount")]
    rows = []
    for kernel, _ in KERNELS:
        plain = {(r["mode"], r["size_kib"]): r for r in runs[(kernel, "plain")]["records"]}
        for r in runs[(kernel, "icount")]["records"]:
            p = plain.get((r["mode"], r["size_kib"]))
            if p is None:
                raise CliError(f"the run without -icount has no {r['mode']} line for "
                               f"{r['size_kib']} KiB")
            row = {"kernel": kernel, "mode": r["mode"],
                   "series": SERIES[(kernel, r["mode"])], "size_kib": r["size_kib"]}
            for key in COUNT_KEYS:
                row[key] = r[key]
            for key in TIME_KEYS + PER_PAGE_KEYS:
                name = key.replace("_ns", "")
                name = "fork_call" if name == "fork" else name
                row[f"{name}_insn"] = r[key]
                row[f"{name}_ns"] = p[key]
            rows.append(row)
    doc = {
        "benchmark": "fork",
        "board": board,
        "qemu": qemu,
        "timebase_hz": icount["timebase_hz"],
        "insn_resolution": round(1e9 / icount["timebase_hz"]),
        "calibration": {"loop_insn": icount["loop_insn"], "loop_ns_icount": icount["loop_ns"]},
        "units": {"_insn": "guest instructions, QEMU -icount shift=0",
                  "_ns": "ns of the guest's time CSR, QEMU without -icount"},
        "results": rows,
    }
    doc["targets"] = targets(doc)
    return doc


def _rows(doc, kernel, mode):
    return sorted((r for r in doc["results"] if r["kernel"] == kernel and r["mode"] == mode),
                  key=lambda r: r["size_kib"])


def _by_size(doc, kernel, mode):
    return {r["size_kib"]: r for r in _rows(doc, kernel, mode)}


def targets(doc):
    """Where we stand: [{name, value, unit, target, met}], from the COW kernel's COW rows and
    the eager kernel at the largest size measured."""
    cow = _rows(doc, "cow", "cow")
    eager = _by_size(doc, "nocow", "eager")
    if not cow:
        return []
    small, big = cow[0], cow[-1]
    out = []
    if big["pages"] > small["pages"]:
        per_page = (big["fork_call_insn"] - small["fork_call_insn"]) / (big["pages"] -
                                                                         small["pages"])
        out.append({"name": f"fork call per resident page ({small['size_kib']} to "
                            f"{big['size_kib']} KiB)",
                    "value": round(per_page, 1), "unit": "insn",
                    "target": f"<= {TARGET_FORK_PER_PAGE}",
                    "met": per_page <= TARGET_FORK_PER_PAGE})
        out.append({"name": f"COW fault, trap included ({big['size_kib']} KiB)",
                    "value": big["cow_fault_per_page_insn"], "unit": "insn",
                    "target": f"<= {TARGET_COW_FAULT}",
                    "met": big["cow_fault_per_page_insn"] <= TARGET_COW_FAULT})
    out.append({"name": f"fork+exit+wait, {small['size_kib']} KiB heap",
                "value": small["fork_exit_wait_insn"], "unit": "insn",
                "target": f"<= {TARGET_SMALL_FORK_EXIT_WAIT}",
                "met": small["fork_exit_wait_insn"] <= TARGET_SMALL_FORK_EXIT_WAIT})
    e = eager.get(big["size_kib"])
    if e is not None:
        for key, what in (("fork_exit_wait_insn", "fork+exit+wait"), ("fork_call_insn",
                                                                        "fork call")):
            ratio = e[key] / max(big[key], 1)
            out.append({"name": f"eager/COW, {what}, {big['size_kib']} KiB",
                        "value": round(ratio, 1), "unit": "x",
                        "target": f">= {TARGET_RATIO_64M}",
                        "met": ratio >= TARGET_RATIO_64M})
    return out


# -- Table ---------------------------------------------------------------------------------


def _size(kib):
    return f"{kib // 1024} MiB" if kib >= 1024 and kib % 1024 == 0 else f"{kib} KiB"


def _ratio(a, b):
    return f"{a / b:.1f}x" if b else "-"


def format_table(doc):
    """The table: per size, COW against the eager kernel in instructions, fork+exit+wait in
    microseconds without -icount, then the targets. A string ending in a newline."""
    cow = _rows(doc, "cow", "cow")
    eager = _by_size(doc, "nocow", "eager")
    head = (f"{'heap':>7} {'pages':>5} | {'fork call (insn)':^26} | "
            f"{'fork+exit+wait (insn)':^28} | {'f+e+w (us)':^14} | {'COW fault':>9} | "
            f"{'peak pages':^12}")
    sub = (f"{'':>7} {'':>5} | {'COW':>7} {'eager':>10} {'ratio':>6} | {'COW':>8} "
           f"{'eager':>10} {'ratio':>7} | {'COW':>6} {'eager':>7} | {'insn/page':>9} | "
           f"{'COW':>5} {'eager':>6}")
    lines = [f"fork on {doc.get('board') or '?'}: guest instructions under QEMU -icount "
             f"shift=0 (resolution {doc['insn_resolution']}); us without -icount; "
             f"ratio = eager (CONFIG_MM_COW=n) / COW", head, sub, "-" * len(sub)]
    for c in cow:
        e = eager.get(c["size_kib"])
        if e is None:
            continue
        fault = str(c["cow_fault_per_page_insn"]) if c["pages"] else "-"
        lines.append(
            f"{_size(c['size_kib']):>7} {c['pages']:>5} | {c['fork_call_insn']:>7} "
            f"{e['fork_call_insn']:>10} {_ratio(e['fork_call_insn'], c['fork_call_insn']):>6} | "
            f"{c['fork_exit_wait_insn']:>8} {e['fork_exit_wait_insn']:>10} "
            f"{_ratio(e['fork_exit_wait_insn'], c['fork_exit_wait_insn']):>7} | "
            f"{_us(c['fork_exit_wait_ns']):>6} {_us(e['fork_exit_wait_ns']):>7} | {fault:>9} | "
            f"{c['peak_pages']:>5} {e['peak_pages']:>6}")
    if doc.get("targets"):
        lines.append("")
        lines.append("targets (guest instructions):")
        for t in doc["targets"]:
            value = f"{t['value']:,}{t['unit'] if t['unit'] == 'x' else ' ' + t['unit']}"
            lines.append(f"  {t['name']:<44} {value:>14}   target {t['target']:<9} "
                         f"{'met' if t['met'] else 'MISSED'}")
    return "\n".join(lines) + "\n"


def _us(ns):
    return f"{ns / 1000:.0f}" if ns >= 10000 else f"{ns / 1000:.1f}"


# -- Plot ----------------------------------------------------------------------------------


def plot(doc, path):
    """Writes the log-log plot of cost against resident heap to path (PNG): fork call and
    fork+exit+wait, COW against eager. Heaps of 0 KiB are left out (no place on a log axis)."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    styles = {("cow", "cow"): dict(color="tab:blue", marker="o"),
              ("nocow", "eager"): dict(color="tab:red", marker="s"),
              ("cow", "eager"): dict(color="tab:orange", marker="^", linestyle="--",
                                     markersize=4, linewidth=1)}
    panels = (("fork_call_insn", "fork() call"), ("fork_exit_wait_insn", "fork + exit + wait"))
    for ax, (key, title) in zip(axes, panels):
        for (kernel, mode), style in styles.items():
            rows = [r for r in _rows(doc, kernel, mode) if r["size_kib"] > 0]
            if rows:
                ax.plot([r["size_kib"] for r in rows], [r[key] for r in rows],
                        label=SERIES[(kernel, mode)], **style)
        cow = _rows(doc, "cow", "cow")
        if key == "fork_call_insn" and cow:
            xs = [r["size_kib"] for r in cow if r["size_kib"] > 0]
            base = cow[0]["fork_call_insn"]
            ax.plot(xs, [base + TARGET_FORK_PER_PAGE * x / 4 for x in xs], color="gray",
                    linestyle=":", label=f"target: {TARGET_FORK_PER_PAGE} insn per page")
        if key == "fork_exit_wait_insn":
            rows = _rows(doc, "nocow", "eager")
            if rows and rows[-1]["size_kib"] > 0:
                ax.plot([rows[-1]["size_kib"]], [rows[-1][key] / TARGET_RATIO_64M], color="gray",
                        marker="v", linestyle="none",
                        label=f"target for COW: eager / {TARGET_RATIO_64M}")
                ax.legend(fontsize=8, loc="upper left")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        sizes = sorted({r["size_kib"] for r in doc["results"] if r["size_kib"] > 0})
        ax.set_xticks(sizes, [_size(k) for k in sizes])
        ax.minorticks_off()
        ax.set_title(title)
        ax.set_xlabel("resident heap (every page touched)")
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("guest instructions (QEMU -icount shift=0)")
    axes[0].legend(fontsize=8, loc="upper left")
    fig.suptitle(f"Inox fork cost, COW against eager copy ({doc.get('board') or 'QEMU'})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- Building and running ------------------------------------------------------------------


def _build(outdir, board, kernel, cow, max_kib):
    return build_app(os.path.join(outdir, f"build-fork-{kernel}"), board, APP,
                     {"CONFIG_MM_COW": cow, "FORK_BENCH_MAX_KIB": str(max_kib)},
                     f"the benchmark with CONFIG_MM_COW={cow}")


def cmd_bench(args, extra):
    if args.max_kib < 0:
        raise CliError("--max-kib must be 0 or more")
    outdir = make_outdir(args.outdir)
    bdirs = {kernel: _build(outdir, args.board, kernel, cow, args.max_kib)
             for kernel, cow in KERNELS}
    runs = {}
    qemu = None
    for kernel, cow in KERNELS:
        qemu = qemu_command(bdirs[kernel])
        for how in ("icount", "plain"):
            console = os.path.join(outdir, f"fork-{kernel}-{how}.console")
            print(f"-- inox bench: running CONFIG_MM_COW={cow} "
                  f"{'under -icount shift=0' if how == 'icount' else 'without -icount'}",
                  flush=True)
            where = os.path.relpath(console)
            run = parse_console(run_qemu(qemu, console, args.timeout, how == "icount"), where)
            if run["kernel_cow"] != (cow == "y"):
                raise CliError(f"{where}: the kernel says kernel_cow="
                               f"{'y' if run['kernel_cow'] else 'n'}, built with "
                               f"CONFIG_MM_COW={cow}")
            if how == "icount":
                check_icount(run, where)
            runs[(kernel, how)] = run
    doc = combine(runs, board=args.board, qemu=qemu_version(qemu))
    write_outputs(doc, outdir, "fork", plot, format_table)
    return 0
