# SPDX-License-Identifier: Apache-2.0
"""What the `inox bench` benchmarks share: their flags, build folders under the output folder,
QEMU runs with the console to a file, the QEMU version, the JSON and matplotlib.

Under `-icount shift=0,sleep=off` QEMU advances its virtual clock by 1 ns per guest
instruction, so the guest's own timings are instruction counts, the same on every host and
every run.
"""

import argparse
import json
import os
import subprocess
import time

from . import build
from .common import BuildDir, CliError

DEFAULT_OUT = "bench-out"
# 1 ns of virtual time per guest instruction. sleep=off: while every hart idles (WFI), the
# virtual clock jumps to the next timer instead of following the host's clock, which made
# figures differ by a tick or two from run to run.
ICOUNT = "shift=0,sleep=off"
# What the kernel prints when it cannot power the board off (hifive_unleashed under QEMU's
# sifive_u): the guest is done, but QEMU would run until the timeout.
HALTED = "no way to power off here; halting"


class QemuTimeout(CliError):
    """QEMU ran longer than allowed; `console` is the file with what the guest printed."""

    def __init__(self, message: str, console: str):
        super().__init__(message)
        self.console = console


def add_output_flags(p: argparse.ArgumentParser, timeout: float) -> None:
    """-O OUT and --timeout S, the same for every benchmark."""
    p.add_argument("-O", "--outdir", default=DEFAULT_OUT, metavar="OUT",
                   help=f"output folder, with the build folders (default: ./{DEFAULT_OUT})")
    p.add_argument("--timeout", type=float, default=timeout, metavar="S",
                   help=f"seconds each QEMU run may take (default: {timeout:g})")


def make_outdir(name: str) -> str:
    """Creates the output folder if needed; returns its absolute path."""
    outdir = os.path.abspath(name)
    try:
        os.makedirs(outdir, exist_ok=True)
    except OSError as e:
        raise CliError(f"cannot make {name}: {e.strerror}") from None
    return outdir


def build_app(folder: str, board: str, app: str, want: dict[str, str], what: str) -> BuildDir:
    """Builds app for board in folder, which later runs reuse: CMake gets the `want` cache
    settings (-DNAME=VALUE) only when the folder is new or they changed. `what` names the
    build in messages. Returns the BuildDir; CliError if the build fails."""
    bdir = BuildDir(folder)
    cache = bdir.cache()
    args = []
    if not bdir.generated or any(cache.get(k) != v for k, v in want.items()) \
            or (bdir.board() not in (None, board)):
        args = [f"-D{k}={v}" for k, v in want.items()]
    print(f"-- inox bench: building {what} in {bdir.shown}", flush=True)
    rc = build.build(bdir, board, app, "auto", cmake_args=args)
    if rc != 0:
        raise CliError(f"building {what} failed (exit status {rc}); see the output above")
    return bdir


def qemu_command(bdir: BuildDir) -> list[str]:
    """The board's QEMU argv from BUILD/inox/runners.json; CliError if it has none."""
    path = os.path.join(bdir.path, "inox", "runners.json")
    try:
        with open(path, encoding="utf-8") as f:
            qemu = json.load(f).get("qemu")
    except (OSError, ValueError) as e:
        raise CliError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    if not qemu:
        raise CliError(f"the board of {bdir.shown} cannot be emulated (no qemu command in "
                       f"inox/runners.json)")
    return list(qemu)


def run_qemu(qemu: list[str], console: str, timeout: float, icount: bool) -> str:
    """Boots the image with the console in the file `console`; returns its text. QEMU exits
    by itself when the benchmark's init exits (the kernel powers off), or is stopped once the
    kernel says it halted instead (a board it cannot power off). With icount, adds `-icount`
    unless the board's command has it already. QemuTimeout after `timeout` s.

    -mem-prealloc: the host backs all guest RAM before the guest starts, so the first store
    to a guest page does not cost a host page fault (which made eager copies of never-used
    pages look ten times slower in nanoseconds)."""
    cmd = qemu + ["-display", "none", "-monitor", "none", "-serial", f"file:{console}",
                  "-mem-prealloc"]
    if icount and "-icount" not in qemu:
        cmd += ["-icount", ICOUNT]
    log = console + ".qemu.log"
    with open(console + ".cmd", "w", encoding="utf-8") as f:
        f.write(" ".join(cmd) + "\n")
    try:
        with open(log, "wb") as out:
            returncode = _run_until_halted(cmd, out, console, timeout)
    except FileNotFoundError:
        raise CliError(f"{cmd[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise QemuTimeout(f"QEMU ran more than {timeout:g} s; console in {console}",
                          console) from None
    if returncode != 0:
        with open(log, encoding="utf-8", errors="replace") as f:
            first = f.readline().strip()
        raise CliError(f"QEMU exited with status {returncode}"
                       + (f": {first}" if first else f"; console in {console}"))
    return read_console(console)


def _run_until_halted(cmd: list[str], out, console: str, timeout: float) -> int:
    """Runs cmd until it exits (its status) or the console says the guest halted (0, after
    stopping QEMU). subprocess.TimeoutExpired after `timeout` s."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                return proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                if HALTED in read_console(console):
                    proc.terminate()
                    proc.wait()
                    return 0
                if time.monotonic() > deadline:
                    raise
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def read_console(console: str) -> str:
    """The text of a console file, '' if there is none."""
    try:
        with open(console, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def qemu_version(qemu: list[str]) -> str:
    """QEMU's first `--version` line, '' if it does not run."""
    try:
        out = subprocess.run([qemu[0], "--version"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.splitlines()[0].strip() if out else ""


def write_json(doc: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def write_outputs(doc: dict, outdir: str, name: str, plot, table) -> None:
    """Writes OUT/NAME.json and OUT/NAME.png (plot(doc, path)), prints table(doc) and says
    where the files are."""
    json_path = os.path.join(outdir, f"{name}.json")
    png_path = os.path.join(outdir, f"{name}.png")
    write_json(doc, json_path)
    plot(doc, png_path)
    print(table(doc), end="")
    print(f"-- inox bench: wrote {os.path.relpath(json_path)} and {os.path.relpath(png_path)}")


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed); CliError if missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CliError("matplotlib is missing: apt-get install python3-matplotlib") from None
    return plt
