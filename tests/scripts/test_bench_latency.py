# SPDX-License-Identifier: Apache-2.0
"""Tests of `inox bench latency` (scripts/pylib/inox_cli/bench_latency.py).

Host only: the consoles are made by `console()` below in the benchmark's format (cyclictest's
histogram with a P99 line, between `latency: begin` and `latency: end`), the command runs with
a stand-in for the build and a stand-in QEMU that writes a canned console to its
`-serial file:` argument.
"""

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
INOX = REPO / "scripts" / "inox"
sys.path.insert(0, str(REPO / "scripts" / "pylib"))

from inox_cli import bench_latency as lat  # noqa: E402
from inox_cli import benchrun  # noqa: E402
from inox_cli import main as main_mod  # noqa: E402
from inox_cli.common import CliError  # noqa: E402

BUCKETS = 40        # us: a latency of 40 us or more is an overflow

# Worst latency (ns) per (sampler, load), twice the base if not here; the rest of a block lies
# within 300 ns of its base, in one 1-us bucket.
PEAKS = {
    ("kernel_thread", "idle"): 5200, ("kernel_thread", "fork_cow"): 9100,
    ("kernel_thread", "forkbomb"): 12000,
    ("user_fifo", "idle"): 8000, ("user_fifo", "fork_cow"): 24000,
    ("user_fifo", "forkbomb"): 45000,
}
BASE = {"kernel_thread": 2600, "user_fifo": 6100}
LOADS = ["idle", "fork_cow", "forkbomb"]
P99_IDLE = sorted(BASE["kernel_thread"] + (i * 37) % 300 for i in range(199))[197]


def latencies(sampler, load, n):
    """n made-up samples (ns): around the sampler's base, one at the peak."""
    base = BASE[sampler]
    return [base + (i * 37) % 300 for i in range(n - 1)] + [PEAKS.get((sampler, load),
                                                                    2 * base)]


def block(sampler, load, n=200):
    """The lines the benchmark prints for one sampler under one load."""
    lat = latencies(sampler, load, n)
    hist = [0] * BUCKETS
    over = []
    for cycle, ns in enumerate(lat):
        if ns // 1000 < BUCKETS:
            hist[ns // 1000] += 1
        else:
            over.append(cycle)
    p99 = sorted(lat)[math.ceil(0.99 * n) - 1]
    avg = sum(lat) // n
    return [f"latency: begin sampler={sampler} load={load}", "# Histogram",
            *(f"{i:06d} {count:06d}" for i, count in enumerate(hist)),
            f"# Total: {n - len(over):09d}", f"# Min Latencies: {min(lat):05d}",
            f"# Avg Latencies: {avg:05d}", f"# Max Latencies: {max(lat):05d}",
            f"# Histogram Overflows: {len(over):05d}", "# Histogram Overflow at cycle number:",
            "# Thread 0:" + "".join(f" {c:05d}" for c in over),
            f"# P99 Latencies: {p99:05d}",
            f"T: 0 (    5) P:99 I:1000 C:{n:>7} Min:{min(lat):>7} Act:{lat[-1]:>8} "
            f"Avg:{avg:>8} Max:{max(lat):>8}",
            f"latency: end sampler={sampler} load={load}"]


def console(loads=LOADS, icount=1, done=True):
    """A whole console: boot lines, the blocks with the loads' own chatter between, the end."""
    text = ["OpenSBI v1.1", "mm: 64350 of 65536 pages free (251 MiB), 1186 reserved",
            f"latency: icount={icount}"]
    for load in loads:
        text.append(f"{load}: started")
        for sampler in lat.SAMPLERS:
            text += block(sampler, load)
    if done:
        text += ["latency: done", "init: exited with status 0"]
    return "\r\n".join(text) + "\r\n"


def crashed():
    """A console that stops inside the last block, at its `# Total:` line."""
    text = console(done=False)
    return text[:text.index("# Total:", text.index("begin sampler=user_fifo load=forkbomb"))]


def runs():
    return [("qemu_riscv64", lat.parse_console(console())),
            ("qemu_riscv64/smp", lat.parse_console(console(icount=0)))]


def document():
    return lat.combine(runs(), qemu="QEMU emulator version 7.2.0", loops=200)


# -- Flags -------------------------------------------------------------------------------------


def test_parse_loads():
    assert lat.parse_loads("idle") == ["idle"]
    assert lat.parse_loads(" fork_cow, idle") == ["fork_cow", "idle"]
    assert lat.parse_loads(",".join(lat.LOADS)) == list(lat.LOADS)


@pytest.mark.parametrize("text, message", [
    ("idle,nosuch", "unknown load `nosuch` in --loads (valid: idle, regions, fork_cow, "),
    ("idle,,fuzz", "an empty load name in --loads (valid: "),
    ("fuzz,idle,fuzz", "load `fuzz` given twice in --loads"),
])
def test_parse_loads_errors(text, message):
    with pytest.raises(CliError) as e:
        lat.parse_loads(text)
    assert str(e.value).startswith(message)
    assert "\n" not in str(e.value)


def test_init_args():
    assert lat.init_args(2000, ["idle", "fork_cow"]) == "-l 2000 -L idle,fork_cow"


@pytest.mark.parametrize("argv, count", [
    (["qemu", "-machine", "virt"], 1), (["qemu", "-smp", "1"], 1), (["qemu", "-smp", "4"], 4),
    (["qemu", "-smp", "cpus=2,sockets=1"], 2)])
def test_harts(argv, count):
    assert lat.harts(argv) == count


# -- Parsing -----------------------------------------------------------------------------------


def test_parse_console():
    run = lat.parse_console(console())
    assert run["icount"] is True
    assert [(r["sampler"], r["load"]) for r in run["results"]] == [
        (s, load) for load in LOADS for s in lat.SAMPLERS]
    idle = run["results"][0]
    lat_idle = latencies("kernel_thread", "idle", 200)
    assert (idle["samples"], idle["min"], idle["max"], idle["overflows"]) == \
        (200, 2600, 5200, 0)
    assert idle["avg"] == sum(lat_idle) // 200
    assert idle["p99"] == sorted(lat_idle)[197]
    assert len(idle["histogram_us"]) == BUCKETS
    assert idle["histogram_us"][2] == 199 and idle["histogram_us"][5] == 1
    flood = run["results"][-1]
    assert (flood["sampler"], flood["load"], flood["max"]) == ("user_fifo", "forkbomb", 45000)
    assert flood["overflows"] == 1 and flood["samples"] == 199       # cyclictest's Total
    assert sum(flood["histogram_us"]) == 199


def test_parse_console_host_time():
    assert lat.parse_console(console(icount=0))["icount"] is False


def test_parse_console_total_with_overflows():
    # A total that counts the overflows too is as good as cyclictest's.
    text = console().replace("# Total: 000000199", "# Total: 000000200")
    assert lat.parse_console(text)["results"][-1]["samples"] == 200


def test_parse_console_truncated():
    text = console()
    cut = text.index("latency: begin sampler=user_fifo load=forkbomb")
    text = text[:cut] + "\r\n".join(block("user_fifo", "forkbomb")[:30]) + \
        "\r\n>>> INOX FATAL ERROR: page fault in kernel mode\r\n"
    with pytest.raises(CliError) as e:
        lat.parse_console(text, "bench-out/latency-qemu_riscv64.console")
    assert str(e.value) == (
        "the latency benchmark did not finish in bench-out/latency-qemu_riscv64.console: "
        "sampler=user_fifo load=forkbomb began and never ended (the load probably hung or "
        "crashed the kernel); last line: >>> INOX FATAL ERROR: page fault in kernel mode")


def test_parse_console_begin_inside_a_block():
    text = console().replace("latency: end sampler=kernel_thread load=fork_cow\r\n", "")
    with pytest.raises(CliError, match="sampler=kernel_thread load=fork_cow began and never "
                                       "ended"):
        lat.parse_console(text)


def test_parse_console_no_done():
    with pytest.raises(CliError) as e:
        lat.parse_console(console(done=False), "x.console")
    assert str(e.value) == ("the latency benchmark did not finish in x.console: no "
                            "`latency: done` after sampler=user_fifo load=forkbomb; last line: "
                            "latency: end sampler=user_fifo load=forkbomb")


def test_parse_console_not_the_benchmark():
    with pytest.raises(CliError, match=r"no `latency: begin` block in the console: not the "
                                       r"latency benchmark, .*; last line: init: exited"):
        lat.parse_console("Hello World! qemu_riscv64\r\ninit: exited with status 0\r\n")


def test_parse_console_no_icount_line():
    with pytest.raises(CliError, match="no `latency: icount=` line in the console"):
        lat.parse_console(console().replace("latency: icount=1\r\n", ""))


@pytest.mark.parametrize("change, message", [
    (("000003 000000\r\n", ""), "histogram line `000004 000000` out of order (expected "
                                "bucket 3) in sampler=kernel_thread load=idle"),
    ((f"# P99 Latencies: {P99_IDLE:05d}\r\n", ""), "no `# P99 Latencies:` in sampler=kernel_thread "
                                         "load=idle"),
    (("000002 000199", "000002 000198"), "the histogram of sampler=kernel_thread load=idle "
                                         "holds 199 samples, `# Total:` says 200 with 0 "
                                         "overflows"),
    (("# Max Latencies: 05200\r\n", "# Max Latencies: 05200\r\n# Max Latencies: 05300\r\n"),
     "`# Max Latencies:` twice in sampler=kernel_thread load=idle"),
    (("latency: end sampler=kernel_thread load=idle", "latency: end sampler=user_fifo load=idle"),
     "`latency: end sampler=user_fifo load=idle` without its begin"),
])
def test_parse_console_bad_block(change, message):
    text = console()
    assert change[0] in text
    with pytest.raises(CliError) as e:
        lat.parse_console(text.replace(change[0], change[1], 1))
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_check_run():
    run = lat.parse_console(console())
    lat.check_run(run, True, LOADS, "x.console")
    with pytest.raises(CliError, match="QEMU ran without -icount but the kernel says "
                                       "icount=1 in x.console"):
        lat.check_run(run, False, LOADS, "x.console")
    with pytest.raises(CliError, match="no sampler=kernel_thread load=fuzz block in x.console"):
        lat.check_run(run, True, LOADS + ["fuzz"], "x.console")
    odd = lat.parse_console(console().replace("sampler=user_fifo load=idle",
                                              "sampler=user_rr load=idle"))
    with pytest.raises(CliError, match=r"unknown sampler=user_rr load=idle in x.console "
                                       r"\(samplers: kernel_thread, user_fifo\)"):
        lat.check_run(odd, True, LOADS, "x.console")
    twice = lat.parse_console(console(loads=["idle", "idle"]))
    with pytest.raises(CliError, match="sampler=kernel_thread load=idle twice"):
        lat.check_run(twice, True, ["idle"], "x.console")


# -- The document, the targets, the table, the plot --------------------------------------------


def test_combine():
    doc = document()
    assert doc["board"] == "qemu_riscv64"
    assert doc["boards"] == ["qemu_riscv64", "qemu_riscv64/smp"]
    assert doc["qemu"] == "QEMU emulator version 7.2.0" and doc["loops"] == 200
    assert set(doc["units"]) == {"_insn", "histogram_us"}
    assert len(doc["results"]) == 2 * 2 * len(LOADS)
    row = doc["results"][0]
    assert set(row) == {"board", "sampler", "load", "samples", "min_insn", "avg_insn",
                        "p99_insn", "max_insn", "overflows", "histogram_us", "for_scale_only"}
    assert (row["board"], row["sampler"], row["load"], row["max_insn"]) == \
        ("qemu_riscv64", "kernel_thread", "idle", 5200)
    assert row["for_scale_only"] is False
    assert all(r["for_scale_only"] is (r["board"] == "qemu_riscv64/smp")
               for r in doc["results"])
    assert json.loads(json.dumps(doc)) == doc


def test_targets():
    t = {x["name"]: x for x in document()["targets"]}
    assert list(t) == ["kernel_thread max, every load", "user_fifo max, every load",
                       "fork_cow max / idle max, kernel_thread",
                       "fork_cow max / idle max, user_fifo"]
    assert all(x["board"] == "qemu_riscv64" for x in t.values())     # never the SMP board
    kt = t["kernel_thread max, every load"]
    assert (kt["value"], kt["load"], kt["unit"], kt["target"], kt["met"]) == \
        (12000, "forkbomb", "insn", "<= 20000", True)
    uf = t["user_fifo max, every load"]
    assert (uf["value"], uf["load"], uf["target"], uf["met"]) == \
        (45000, "forkbomb", "<= 40000", False)
    r = t["fork_cow max / idle max, kernel_thread"]
    assert (r["value"], r["unit"], r["target"], r["met"]) == (1.75, "x", "<= 2.0", True)
    r = t["fork_cow max / idle max, user_fifo"]
    assert (r["value"], r["met"]) == (3.0, False)


def test_targets_without_fork_cow_or_icount():
    doc = lat.combine([("qemu_riscv64", lat.parse_console(console(loads=["idle"])))])
    assert [x["name"] for x in doc["targets"]] == ["kernel_thread max, every load",
                                                   "user_fifo max, every load"]
    doc = lat.combine([("qemu_riscv64/smp", lat.parse_console(console(icount=0)))])
    assert doc["targets"] == []
    assert "targets: none checked" in lat.format_table(doc)


def test_table():
    table = lat.format_table(document())
    lines = table.splitlines()
    assert lines[0].startswith("latency on qemu_riscv64: guest instructions under QEMU "
                               "-icount shift=0")
    assert lines[1].split() == ["sampler", "load", "samples", "min", "avg", "p99", "max",
                                "overflows"]
    row = lines[3].split()
    lat_idle = latencies("kernel_thread", "idle", 200)
    assert row == ["kernel_thread", "idle", "200", "2600", str(sum(lat_idle) // 200),
                   str(sorted(lat_idle)[197]), "5200", "0"]
    assert any(ln.startswith("latency on qemu_riscv64/smp:") and
               ln.endswith("(host time, for scale only); 200 loops") for ln in lines)
    targets = lines[lines.index("targets on qemu_riscv64 (guest instructions):") + 1:]
    assert len(targets) == 4
    assert targets[0].split()[-6:] == ["12,000", "insn", "target", "<=", "20000", "met"]
    assert targets[1].split()[-7:] == ["45,000", "insn", "target", "<=", "40000", "NOT", "MET"]
    assert targets[2].split()[-5:] == ["1.75x", "target", "<=", "2.0", "met"]
    assert targets[3].split()[-6:] == ["3.0x", "target", "<=", "2.0", "NOT", "MET"]
    assert targets[0].lstrip().startswith("kernel_thread max, every load (worst: forkbomb) ")
    assert targets[1].lstrip().startswith("user_fifo max, every load (worst: forkbomb) ")
    assert targets[3].lstrip().startswith("fork_cow max / idle max, user_fifo ")
    assert table.endswith("\n")


def test_plot(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "latency.png"
    lat.plot(document(), str(path))
    assert path.stat().st_size > 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- The command, with stand-ins for the build and QEMU ----------------------------------------

FAKE_QEMU = textwrap.dedent("""\
    import json, sys, time
    argv = sys.argv[1:]
    smp = argv[argv.index("-smp") + 1] != "1"
    path = argv[argv.index("-serial") + 1][len("file:"):]
    with open(path, "w") as f:
        f.write(json.load(open({consoles!r}))["smp" if smp else "up"])
    with open({log!r}, "a") as f:
        f.write(json.dumps(argv) + "\\n")
    time.sleep(float({sleep!r}))
    """)


@pytest.fixture
def fake_run(tmp_path, monkeypatch):
    """The build is a stand-in that writes runners.json naming a stand-in QEMU (-smp 4 for a
    /smp board); returns a function that runs `inox bench latency ARGS` in-process, with
    .consoles ({"up": text, "smp": text}, what the stand-in prints), .builds and .log."""
    log = tmp_path / "qemu.log"
    builds = []

    def fake_build(bdir, board, app, pristine, cmake_args=()):
        builds.append((os.path.basename(bdir.path), board, app, list(cmake_args)))
        script = tmp_path / "qemu.py"
        script.write_text(FAKE_QEMU.format(consoles=str(tmp_path / "consoles.json"),
                                           log=str(log), sleep=os.environ.get("FAKE_SLEEP",
                                                                              "0")))
        runners = Path(bdir.path) / "inox" / "runners.json"
        runners.parent.mkdir(parents=True, exist_ok=True)
        smp = "4" if board.endswith("/smp") else "1"
        runners.write_text(json.dumps({"qemu": [sys.executable, str(script), "-smp", smp]}))
        return 0

    monkeypatch.setattr(benchrun.build, "build", fake_build)
    monkeypatch.chdir(tmp_path)

    def run(*args):
        (tmp_path / "consoles.json").write_text(json.dumps(run.consoles))
        monkeypatch.setenv("INOX_SKIP_SETUP", "1")
        return main_mod.main(["bench", "latency", *args])

    run.consoles = {"up": console(), "smp": console(icount=0)}
    run.builds = builds
    run.log = log
    return run


def test_cmd_latency(fake_run, tmp_path, capsys):
    assert fake_run("--loops", "200", "--loads", ",".join(LOADS)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    plan = "-DCONFIG_INIT_ARGS=-l 200 -L idle,fork_cow,forkbomb"
    assert fake_run.builds == [
        ("build-latency-qemu_riscv64", "qemu_riscv64", str(lat.APP), [plan]),
        ("build-latency-qemu_riscv64_smp", "qemu_riscv64/smp", str(lat.APP), [plan])]
    runs = [json.loads(line) for line in fake_run.log.read_text().splitlines()]
    assert [r[r.index("-smp") + 1] for r in runs] == ["1", "4"]
    assert runs[0][-2:] == ["-icount", "shift=0,sleep=off"] and "-icount" not in runs[1]
    assert runs[1][runs[1].index("-serial") + 1].endswith("latency-qemu_riscv64_smp.console")
    doc = json.loads((tmp_path / "bench-out" / "latency.json").read_text())
    assert doc["boards"] == ["qemu_riscv64", "qemu_riscv64/smp"] and doc["loops"] == 200
    assert len(doc["results"]) == 12
    assert (tmp_path / "bench-out" / "latency.png").stat().st_size > 0
    assert "NOT MET" in out     # targets missed are reported, and the command still succeeds
    assert "wrote bench-out/latency.json and bench-out/latency.png" in out


def test_cmd_latency_one_board_default_loads(fake_run, tmp_path):
    fake_run.consoles["up"] = console(loads=lat.LOADS)
    assert fake_run("-b", "qemu_riscv64", "-O", "out") == 0
    assert fake_run.builds[0][3] == [f"-DCONFIG_INIT_ARGS=-l 2000 -L {','.join(lat.LOADS)}"]
    doc = json.loads((tmp_path / "out" / "latency.json").read_text())
    assert doc["boards"] == ["qemu_riscv64"] and len(doc["results"]) == 2 * len(lat.LOADS)


def test_cmd_latency_unknown_load(fake_run, capsys):
    assert fake_run("--loads", "idle,forkbmob") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown load `forkbmob` in --loads (valid: idle, ")
    assert err.count("\n") == 1
    assert fake_run.builds == []


def test_cmd_latency_crashed(fake_run, capsys):
    fake_run.consoles["up"] = crashed()
    assert fake_run("--loads", ",".join(LOADS)) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the latency benchmark did not finish in "
                          "bench-out/latency-qemu_riscv64.console: sampler=user_fifo "
                          "load=forkbomb began and never ended")
    assert err.count("\n") == 1


def test_cmd_latency_hung(fake_run, monkeypatch, capsys):
    monkeypatch.setenv("FAKE_SLEEP", "30")
    fake_run.consoles["up"] = crashed()
    assert fake_run("-b", "qemu_riscv64", "--loads", ",".join(LOADS), "--timeout", "2") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: QEMU ran more than 2 s: the latency benchmark did not "
                          "finish in bench-out/latency-qemu_riscv64.console: "
                          "sampler=user_fifo load=forkbomb began and never ended")


def test_bench_latency_help():
    env = dict(os.environ, INOX_SKIP_SETUP="1")
    out = subprocess.run([sys.executable, str(INOX), "bench", "latency", "-h"], env=env,
                         text=True, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for flag in ("--board", "--loops", "--loads", "--outdir", "--timeout", "fork_cow"):
        assert flag in out.stdout
