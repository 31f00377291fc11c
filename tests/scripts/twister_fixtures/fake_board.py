# SPDX-License-Identifier: Apache-2.0
"""The flash command of the fake board used by test_twister_device.py.

    fake_board.py --console BASE BUILD_DIR

"Loads" BUILD_DIR's image on the board the way a flash runner resets a real one: stops the
QEMU the previous flash started, starts the QEMU command of BUILD_DIR/inox/runners.json with
its console on the FIFOs BASE.out / BASE.in (QEMU's `-chardev pipe`; the test holds them and
relays them to the pty that twister reads as the board's serial port), and returns while the
image runs. Every QEMU's pid goes to BASE.pids, so that the test can stop the last one and
check that none is left behind.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time


def ours(pid, base):
    """Whether pid is still a QEMU this script started for this board (not a reused pid)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f"path={base}".encode() in f.read()
    except OSError:
        return False


def pids(base):
    """Every QEMU started for this board."""
    try:
        with open(base + ".pids", encoding="utf-8") as f:
            return [int(line) for line in f if line.strip()]
    except OSError:
        return []


def stop_all(base):
    """Kills the QEMUs started for this board that still run: a new flash resets the board,
    and the test ends with this. Returns when they are gone."""
    for pid in pids(base):
        if ours(pid, base):
            os.killpg(pid, signal.SIGKILL)
            while ours(pid, base):
                time.sleep(0.01)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--console", required=True, metavar="BASE")
    p.add_argument("build_dir")
    args = p.parse_args()
    try:
        with open(os.path.join(args.build_dir, "inox", "runners.json"), encoding="utf-8") as f:
            qemu = json.load(f)["qemu"]
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write(f"fake_board: no QEMU command in {args.build_dir}: {e}\n")
        return 1
    stop_all(args.console)
    cmd = qemu + ["-display", "none", "-monitor", "none", "-serial", "chardev:con",
                  "-chardev", f"pipe,id=con,path={args.console}"]
    with open(args.console + ".qemu.log", "ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True)
    with open(args.console + ".pids", "a", encoding="utf-8") as f:
        f.write(f"{proc.pid}\n")
    try:
        rc = proc.wait(0.3)
    except subprocess.TimeoutExpired:
        return 0
    if rc != 0:
        sys.stderr.write(f"fake_board: QEMU exited with {rc} at once\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
