# SPDX-License-Identifier: Apache-2.0
"""`inox bench latency`: cyclictest-style wake-up latency (tests/benchmarks/latency) under load.

Builds the benchmark once per board, in OUT/build-latency-BOARD (BOARD with `/` as `_`), with
the plan for its init program in CONFIG_INIT_ARGS (`-l LOOPS -L LOAD,LOAD,...`). Boots each
image in QEMU with the console in OUT/latency-BOARD.console. A board of one hart runs under
`-icount shift=0,sleep=off`, where a guest nanosecond is one instruction, so the figures are
instruction counts, the same on every host and every run; a board of several harts runs
without it (QEMU 7.2 does not reliably start secondary harts under -icount), so its figures
are nanoseconds that follow the host's clock: for scale only, never held against a target.

For each load the console has one block per sampler (a kernel thread of the highest priority,
then a SCHED_FIFO user process) in cyclictest's histogram format (-h, -N: nanoseconds), with a
`# P99 Latencies:` line added, between `latency: begin` and `latency: end` lines. The blocks
are parsed and written to OUT/latency.json, plotted to OUT/latency.png (matplotlib, Agg) and
printed as a table with where the one-hart board stands against the targets.
"""

import os
import re
from pathlib import Path

from .benchrun import (QemuTimeout, add_output_flags, build_app, make_outdir, pyplot,
                       qemu_command, qemu_version, read_console, run_qemu, write_outputs)
from .common import INOX_BASE, CliError, positive_int

APP = Path(INOX_BASE) / "tests" / "benchmarks" / "latency"
DEFAULT_BOARDS = ("qemu_riscv64", "qemu_riscv64/smp")
DEFAULT_LOOPS = 2000
DEFAULT_TIMEOUT = 1800
# What the benchmark can run beside the samplers, in the order it runs them.
LOADS = ("idle", "regions", "fork_cow", "fork_eager", "forkbomb", "killstorm", "pipe_flood",
         "console_flood", "brk_storm", "fuzz")
SAMPLERS = ("kernel_thread", "user_fifo")

# Targets (doc/latency.md), in guest instructions under -icount.
TARGET_MAX = {"kernel_thread": 20000, "user_fifo": 40000}
TARGET_FORK_COW_RATIO = 2.0

ICOUNT_RE = re.compile(r"^latency: icount=([01])$")
BEGIN_RE = re.compile(r"^latency: begin sampler=(\S+) load=(\S+)$")
END_RE = re.compile(r"^latency: end sampler=(\S+) load=(\S+)$")
DONE = "latency: done"
HISTOGRAM = "# Histogram"
BUCKET_RE = re.compile(r"^(\d+) (\d+)$")
# cyclictest's footer lines (one thread) -> our keys; latencies in ns.
FOOTER_RE = re.compile(r"^# ([A-Za-z0-9 ]+): *(\d+)$")
FOOTER = {"Total": "samples", "Min Latencies": "min", "Avg Latencies": "avg",
          "P99 Latencies": "p99", "Max Latencies": "max", "Histogram Overflows": "overflows"}
FIGURES = ("min", "avg", "p99", "max")


def add_parser(names) -> None:
    """Adds `latency` to the subcommands of `inox bench`."""
    p = names.add_parser(
        "latency", help="tests/benchmarks/latency: cyclictest-style latency under load",
        description="Build tests/benchmarks/latency for each board, run it in QEMU (-icount "
                    "shift=0 on a one-hart board: guest instructions; without on several "
                    "harts: host time, for scale only), and write OUT/latency.json, "
                    "OUT/latency.png and a table against the latency targets.",
        epilog=f"Loads: {', '.join(LOADS)}.")
    p.add_argument("-b", "--board", action="append", metavar="BOARD",
                   help=f"a QEMU board (repeatable; default: {' and '.join(DEFAULT_BOARDS)})")
    p.add_argument("--loops", type=positive_int, default=DEFAULT_LOOPS, metavar="N",
                   help=f"samples per sampler and load (default: {DEFAULT_LOOPS})")
    p.add_argument("--loads", default=",".join(LOADS), metavar="LOAD,...",
                   help="loads to run, comma-separated (default: every load, listed below)")
    add_output_flags(p, DEFAULT_TIMEOUT)
    p.set_defaults(func=cmd_latency, parser=p, cmake_args_allowed=False)


def parse_loads(text: str) -> list[str]:
    """The --loads list; CliError on an empty, unknown or repeated name."""
    loads = [name.strip() for name in text.split(",")]
    for i, name in enumerate(loads):
        if name not in LOADS:
            what = "an empty load name" if not name else f"unknown load `{name}`"
            raise CliError(f"{what} in --loads (valid: {', '.join(LOADS)})")
        if name in loads[:i]:
            raise CliError(f"load `{name}` given twice in --loads")
    return loads


def init_args(loops: int, loads: list[str]) -> str:
    """CONFIG_INIT_ARGS for the plan; the kernel splits it on spaces into init's argv."""
    return f"-l {loops} -L {','.join(loads)}"


# -- Parsing -----------------------------------------------------------------------------------


def _phase(sampler: str, load: str) -> str:
    return f"sampler={sampler} load={load}"


class _Block:
    """One `latency: begin` ... `latency: end` block as it is read."""

    def __init__(self, sampler: str, load: str, where: str):
        self.sampler, self.load, self.where = sampler, load, where
        self.histogram: list[int] = []
        self.in_histogram = False
        self.footer: dict[str, int] = {}

    def name(self) -> str:
        return _phase(self.sampler, self.load)

    def feed(self, line: str) -> None:
        """Takes one line inside the block; lines of no known form are left alone."""
        if line == HISTOGRAM:
            self.in_histogram = True
        elif self.in_histogram and (m := BUCKET_RE.match(line)):
            if int(m[1]) != len(self.histogram):
                raise CliError(f"histogram line `{line}` out of order (expected bucket "
                               f"{len(self.histogram)}) in {self.name()} in {self.where}")
            self.histogram.append(int(m[2]))
        elif (m := FOOTER_RE.match(line)) and m[1] in FOOTER:
            key = FOOTER[m[1]]
            if key in self.footer:
                raise CliError(f"`# {m[1]}:` twice in {self.name()} in {self.where}")
            self.footer[key] = int(m[2])
            self.in_histogram = False

    def result(self) -> dict:
        """The block's figures; CliError if a footer line is missing or the histogram does
        not hold the samples (lines lost on the console)."""
        missing = [f"`# {k}:`" for k, v in FOOTER.items() if v not in self.footer]
        if missing:
            raise CliError(f"no {', '.join(missing)} in {self.name()} in {self.where}")
        if not self.histogram:
            raise CliError(f"no histogram lines in {self.name()} in {self.where}")
        f = self.footer
        # cyclictest's total leaves the overflows out; accept a total that counts them too.
        if sum(self.histogram) not in (f["samples"], f["samples"] - f["overflows"]):
            raise CliError(f"the histogram of {self.name()} holds {sum(self.histogram)} "
                           f"samples, `# Total:` says {f['samples']} with {f['overflows']} "
                           f"overflows, in {self.where}")
        return {"sampler": self.sampler, "load": self.load, **f,
                "histogram_us": self.histogram}


def _last_line(text: str) -> str:
    last = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return f"; last line: {last[-1]}" if last else "; the console is empty"


def parse_console(text: str, where: str = "the console") -> dict:
    """The benchmark's output: {"icount": bool, "results": [{sampler, load, samples, min,
    avg, p99, max, overflows, histogram_us}, ...]} in console order (latencies in ns).

    Raises CliError naming `where` and the phase when a block has no end or the run has no
    `latency: done` (a load hung or crashed the kernel), or a block is malformed."""
    icount = None
    results: list[dict] = []
    block = None
    done = False
    for raw in text.splitlines():
        line = raw.strip()
        if m := ICOUNT_RE.match(line):
            icount = m[1] == "1"
        elif m := BEGIN_RE.match(line):
            if block is not None:
                break
            block = _Block(m[1], m[2], where)
        elif m := END_RE.match(line):
            if block is None or (m[1], m[2]) != (block.sampler, block.load):
                raise CliError(f"`{line}` without its begin in {where}")
            results.append(block.result())
            block = None
        elif line == DONE and block is None:
            done = True
        elif block is not None:
            block.feed(line)
    if block is not None:
        raise CliError(f"the latency benchmark did not finish in {where}: {block.name()} began "
                       f"and never ended (the load probably hung or crashed the kernel)"
                       f"{_last_line(text)}")
    if not results:
        raise CliError(f"no `latency: begin` block in {where}: not the latency benchmark, or "
                       f"it failed before its first phase{_last_line(text)}")
    if not done:
        last = results[-1]
        raise CliError(f"the latency benchmark did not finish in {where}: no `{DONE}` after "
                       f"{_phase(last['sampler'], last['load'])}{_last_line(text)}")
    if icount is None:
        raise CliError(f"no `latency: icount=` line in {where}")
    return {"icount": icount, "results": results}


def check_run(run: dict, icount: bool, loads: list[str], where: str) -> None:
    """Raises CliError unless the run measured every sampler under every load once (a block
    of a load not asked for is kept), and the kernel's view of guest time agrees with how
    QEMU ran."""
    if run["icount"] != icount:
        raise CliError(f"QEMU ran {'with' if icount else 'without'} -icount but the kernel "
                       f"says icount={int(run['icount'])} in {where}")
    got = [(r["sampler"], r["load"]) for r in run["results"]]
    for phase in got:
        if phase[0] not in SAMPLERS:
            raise CliError(f"unknown {_phase(*phase)} in {where} (samplers: "
                           f"{', '.join(SAMPLERS)})")
        if got.count(phase) > 1:
            raise CliError(f"{_phase(*phase)} twice in {where}")
    for load in loads:
        for sampler in SAMPLERS:
            if (sampler, load) not in got:
                raise CliError(f"no {_phase(sampler, load)} block in {where}")


# -- Combining runs ----------------------------------------------------------------------------


def combine(runs: list[tuple[str, dict]], qemu: str = "", loops: int = DEFAULT_LOOPS) -> dict:
    """The JSON document from the parsed runs, [(board, run)] in the order of -b."""
    rows = []
    for board, run in runs:
        for r in run["results"]:
            row = {"board": board, "sampler": r["sampler"], "load": r["load"],
                   "samples": r["samples"]}
            row.update({f"{k}_insn": r[k] for k in FIGURES})
            row.update(overflows=r["overflows"], histogram_us=r["histogram_us"],
                       for_scale_only=not run["icount"])
            rows.append(row)
    doc = {
        "benchmark": "latency",
        "board": runs[0][0] if runs else "",
        "boards": [board for board, _ in runs],
        "qemu": qemu,
        "loops": loops,
        "units": {"_insn": "guest instructions, QEMU -icount shift=0 (1 ns of guest time "
                           "each); where for_scale_only is true: ns of guest time without "
                           "-icount, which follows the host's clock",
                  "histogram_us": "samples per bucket i: latency in [i, i+1) us of guest "
                                  "time (1000 instructions under -icount); the samples "
                                  "beyond the last bucket are counted in overflows"},
        "results": rows,
    }
    doc["targets"] = targets(doc)
    return doc


def _rows(doc: dict, board: str, sampler: str) -> dict[str, dict]:
    return {r["load"]: r for r in doc["results"]
            if r["board"] == board and r["sampler"] == sampler}


def targets(doc: dict) -> list[dict]:
    """Where the -icount boards stand: [{name, board, value, unit, target, met}]; a
    sampler's worst case also names its `load`. Host-time figures are never held against a
    target."""
    out = []
    boards = [b for b in doc["boards"]
              if any(r["board"] == b and not r["for_scale_only"] for r in doc["results"])]
    for board in boards:
        for sampler in SAMPLERS:
            rows = _rows(doc, board, sampler)
            if not rows:
                continue
            worst = max(rows.values(), key=lambda r: r["max_insn"])
            out.append({"name": f"{sampler} max, every load", "board": board,
                        "load": worst["load"], "value": worst["max_insn"], "unit": "insn",
                        "target": f"<= {TARGET_MAX[sampler]}",
                        "met": worst["max_insn"] <= TARGET_MAX[sampler]})
        for sampler in SAMPLERS:
            rows = _rows(doc, board, sampler)
            if "fork_cow" not in rows or "idle" not in rows:
                continue
            ratio = rows["fork_cow"]["max_insn"] / max(rows["idle"]["max_insn"], 1)
            out.append({"name": f"fork_cow max / idle max, {sampler}", "board": board,
                        "value": round(ratio, 2), "unit": "x",
                        "target": f"<= {TARGET_FORK_COW_RATIO}",
                        "met": ratio <= TARGET_FORK_COW_RATIO})
    return out


# -- Table -------------------------------------------------------------------------------------


def _unit_note(scale_only: bool) -> str:
    return ("ns of guest time without -icount (host time, for scale only)" if scale_only
            else "guest instructions under QEMU -icount shift=0 (1 per ns of guest time)")


def format_table(doc: dict) -> str:
    """The table: per board, one row per (sampler, load), then the targets with met or
    NOT MET. A string ending in a newline."""
    head = (f"{'sampler':<14} {'load':<14} {'samples':>8} {'min':>8} {'avg':>8} {'p99':>8} "
            f"{'max':>8} {'overflows':>9}")
    lines = []
    for board in doc["boards"]:
        rows = [r for r in doc["results"] if r["board"] == board]
        if not rows:
            continue
        lines += [f"latency on {board}: {_unit_note(rows[0]['for_scale_only'])}; "
                  f"{doc['loops']} loops", head, "-" * len(head)]
        for r in sorted(rows, key=lambda r: SAMPLERS.index(r["sampler"])):
            lines.append(f"{r['sampler']:<14} {r['load']:<14} {r['samples']:>8} "
                         + " ".join(f"{r[k + '_insn']:>8}" for k in FIGURES)
                         + f" {r['overflows']:>9}")
        lines.append("")
    if doc["targets"]:
        for board in dict.fromkeys(t["board"] for t in doc["targets"]):
            lines.append(f"targets on {board} (guest instructions):")
            for t in (t for t in doc["targets"] if t["board"] == board):
                name = t["name"] + (f" (worst: {t['load']})" if "load" in t else "")
                value = f"{t['value']:,}{t['unit'] if t['unit'] == 'x' else ' ' + t['unit']}"
                lines.append(f"  {name:<50} {value:>12}   target {t['target']:<9} "
                             f"{'met' if t['met'] else 'NOT MET'}")
    else:
        lines.append("targets: none checked (no board ran under -icount; host time is for "
                     "scale only)")
    return "\n".join(lines) + "\n"


# -- Plot --------------------------------------------------------------------------------------


def plot(doc: dict, path: str) -> None:
    """Writes the histograms to path (PNG): one row of panels per board, one panel per
    sampler, one step line per load; counts on a log scale, empty buckets left out."""
    plt = pyplot()
    boards = [b for b in doc["boards"] if any(r["board"] == b for r in doc["results"])]
    top = max([n for r in doc["results"] for n in r["histogram_us"]] + [1])
    fig, axes = plt.subplots(len(boards), len(SAMPLERS), figsize=(12, 4.4 * len(boards)),
                             sharey=True, squeeze=False)
    for axrow, board in zip(axes, boards):
        for ax, sampler in zip(axrow, SAMPLERS):
            rows = _rows(doc, board, sampler)
            width = 1
            for load, r in rows.items():
                hist = r["histogram_us"]
                nonzero = [i for i, n in enumerate(hist) if n]
                width = max(width, nonzero[-1] + 1 if nonzero else 1)
                label = load + (f" (+{r['overflows']} over {len(hist)} us)" if r["overflows"]
                                else "")
                ax.stairs([n if n else float("nan") for n in hist], range(len(hist) + 1),
                          label=label, linewidth=1.2)
            scale_only = any(r["for_scale_only"] for r in rows.values())
            ax.set_yscale("log")
            ax.set_xlim(0, width + 1)
            ax.set_ylim(0.5, 2 * top)
            ax.set_title(f"{board}: {sampler}" + (" (host time, for scale only)" if scale_only
                                                  else " (guest instructions, -icount)"))
            ax.set_xlabel("latency (us of guest time" + ("" if scale_only else
                                                         " = 1000 instructions") + ")")
            ax.grid(True, which="major", alpha=0.3)
            if rows:
                ax.legend(fontsize=7, loc="upper right")
        axrow[0].set_ylabel("samples")
    notes = [f"{b}: " + ("guest instructions under QEMU -icount shift=0" if
                         not any(r["for_scale_only"] for r in doc["results"] if r["board"] == b)
                         else "host time, for scale only") for b in boards]
    fig.suptitle(f"Inox wake-up latency under load, {doc['loops']} samples per sampler and "
                 f"load\n" + "; ".join(notes))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- Building and running ----------------------------------------------------------------------


def harts(qemu: list[str]) -> int:
    """How many harts the QEMU command line starts (its -smp; 1 without)."""
    if "-smp" not in qemu or qemu.index("-smp") + 1 >= len(qemu):
        return 1
    value = qemu[qemu.index("-smp") + 1]
    for part in value.split(","):
        count = part.removeprefix("cpus=")
        if count.isdigit():
            return int(count)
    return 1


def _run(qemu: list[str], console: str, timeout: float, icount: bool, where: str) -> str:
    """run_qemu, and on a timeout the phase that never ended. A run that printed
    `latency: done` and did not power off still has its figures."""
    try:
        return run_qemu(qemu, console, timeout, icount)
    except QemuTimeout as e:
        text = read_console(e.console)
        try:
            parse_console(text, where)
        except CliError as why:
            raise CliError(f"QEMU ran more than {timeout:g} s: {why}") from None
        print(f"-- inox bench: QEMU did not exit within {timeout:g} s of `{DONE}`; "
              f"using the figures", flush=True)
        return text


def cmd_latency(args, extra) -> int:
    loads = parse_loads(args.loads)
    boards = list(dict.fromkeys(args.board or DEFAULT_BOARDS))
    outdir = make_outdir(args.outdir)
    plan = init_args(args.loops, loads)
    bdirs = [(board, build_app(os.path.join(outdir, f"build-latency-{board.replace('/', '_')}"),
                               board, str(APP), {"CONFIG_INIT_ARGS": plan},
                               f"the latency benchmark for {board}"))
             for board in boards]
    runs = []
    qemu: list[str] = []
    for board, bdir in bdirs:
        qemu = qemu_command(bdir)
        icount = harts(qemu) == 1
        console = os.path.join(outdir, f"latency-{board.replace('/', '_')}.console")
        where = os.path.relpath(console)
        print(f"-- inox bench: running the latency benchmark on {board} "
              f"{'under -icount shift=0' if icount else 'without -icount (for scale only)'}: "
              f"{plan}", flush=True)
        run = parse_console(_run(qemu, console, args.timeout, icount, where), where)
        check_run(run, icount, loads, where)
        runs.append((board, run))
    doc = combine(runs, qemu=qemu_version(qemu), loops=args.loops)
    write_outputs(doc, outdir, "latency", plot, format_table)
    return 0
