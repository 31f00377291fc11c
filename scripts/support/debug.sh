#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The build's `debug` target: debug.sh GDB ELF CONSOLE_LOG QEMU_CMD...
# Starts QEMU halted with a gdb server on localhost:1234 and its console in CONSOLE_LOG,
# attaches gdb with the kernel ELF loaded, and stops QEMU when gdb exits.
gdb=$1 elf=$2 log=$3
shift 3
"$@" -display none -monitor none -serial "file:$log" -s -S &
qemu=$!
trap 'kill $qemu 2>/dev/null' EXIT INT TERM
echo "QEMU is halted at reset, console in $log; gdb attaches to localhost:1234"
"$gdb" -q "$elf" -ex "target remote localhost:1234"
