# SPDX-License-Identifier: Apache-2.0
"""A stand-in for qemu-system-riscv64 used by test_twister.py.

Accepts QEMU's options, insists on the console options twister must add, then behaves like
QEMU with `-chardev pipe,id=con,path=BASE`: it writes the console lines of the chosen --mode
into the FIFO BASE.out (twister holds its other end open).
"""

import argparse
import os
import signal
import sys
import time


def console_lines(mode):
    """(lines, then): what the guest prints, then `exit:N`, `halt` or `stubborn`."""
    boot = ["OpenSBI v1.1", "*** Booting Inox ***"]
    ztest_ok = ["Running TESTSUITE fake",
                "START - test_alpha", " PASS - test_alpha in 0.002 seconds",
                "START - test_beta", " PASS - test_beta in 0.010 seconds",
                "START - test_gamma", " SKIP - test_gamma", "SUITE PASS - fake"]
    table = {
        "hello": (boot + ["Hello World! fake_qemu"], "exit:0"),
        "halt": (boot + ["Hello World! fake_qemu"], "halt"),
        "stubborn": (boot + ["Hello World! fake_qemu"], "stubborn"),
        "multi": (boot + ["step a", "noise", "step b", "step c"], "exit:0"),
        "unordered": (boot + ["step c", "step b", "step a"], "exit:0"),
        "timeout": (boot + ["waiting forever"], "halt"),
        "eof": (boot + [f"filler line {i}" for i in range(3000)] + ["last line"], "exit:0"),
        "exit3": (boot + ["about to fail"], "exit:3"),
        "fatal": (boot + [">>> INOX FATAL ERROR 0: CPU exception on CPU 0", "mepc: 0x80200000"],
                  "halt"),
        "record": (boot + ["alloc : 120 cycles", "free : 30 cycles", "Hello World! fake_qemu"],
                   "exit:0"),
        "ztest_pass": (boot + ztest_ok + ["PROJECT EXECUTION SUCCESSFUL"], "exit:0"),
        "ztest_fail": (boot + ztest_ok[:3] + ["START - test_beta", "assert failed: x == 1",
                                             " FAIL - test_beta in 0.004 seconds",
                                             "SUITE FAIL - fake", "PROJECT EXECUTION FAILED"],
                       "exit:0"),
        "ztest_crash": (boot + ztest_ok[:3] + ["START - test_beta",
                                              ">>> INOX FATAL ERROR 0: CPU exception on CPU 0"],
                        "halt"),
        "ztest_hang": (boot + ztest_ok[:3] + ["START - test_beta"], "halt"),
    }
    return table[mode]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", required=True)
    p.add_argument("-machine")
    p.add_argument("-kernel")
    p.add_argument("-display")
    p.add_argument("-monitor")
    p.add_argument("-serial")
    p.add_argument("-chardev")
    args, _ = p.parse_known_args()

    if args.mode == "nostart":
        sys.stderr.write("qemu-system-riscv64: -machine bogus: unsupported machine type\n"
                         "Use -machine help to list supported machines\n")
        return 1
    if args.display != "none" or args.monitor != "none" or args.serial != "chardev:con":
        sys.stderr.write(f"fake_qemu: bad console options {sys.argv[1:]}\n")
        return 1
    opts = dict(kv.split("=", 1) for kv in args.chardev.split(",")[1:] if "=" in kv)
    if not args.chardev.startswith("pipe,") or opts.get("id") != "con" \
            or not os.path.exists(opts.get("path", "") + ".out") \
            or not os.path.exists(opts.get("path", "") + ".in"):
        sys.stderr.write(f"fake_qemu: bad chardev {args.chardev}\n")
        return 1

    lines, then = console_lines(args.mode)
    out = os.open(opts["path"] + ".out", os.O_WRONLY)
    data = "".join(line + "\r\n" for line in lines).encode()
    # Split writes mid-line, like a UART does, so twister must reassemble lines.
    step = 7 if len(data) < 2000 else 4096
    for i in range(0, len(data), step):
        os.write(out, data[i:i + step])
    if then.startswith("exit:"):
        os.close(out)
        return int(then[5:])
    if then == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(10)


if __name__ == "__main__":
    sys.exit(main())
