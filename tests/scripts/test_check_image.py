# SPDX-License-Identifier: Apache-2.0
"""Tests for scripts/build/check_image.py, the check that inox.bin carries no .bss and that
the kernel's footprint stays below where U-Boot loads the FIT.

Each case links a small image with the cross toolchain, laid out the way linker.ld.S lays
out the kernel (the symbol table before .bss), or the way it was before (after .bss), and
makes its flat binary with objcopy as the build does.
"""

import pathlib
import shutil
import subprocess
import sys

import pytest

BASE = pathlib.Path(__file__).resolve().parents[2]
CHECK = BASE / "scripts" / "build" / "check_image.py"
CROSS = "riscv64-unknown-elf-"

ASM = """
	.section .text, "ax"
	.global _start
_start:	j _start
	.section .data, "aw"
	.dword 1
	.section .bss, "aw", @nobits
	.space 65536
	.section .inox_symtab, "a"
	.dword 2
"""

SYMTAB = """	.inox_symtab : { __symtab_start = .; KEEP(*(.inox_symtab)) __symtab_end = .; }
"""
BSS = """	.bss (NOLOAD) : { __bss_start = .; *(.bss) }
"""


def script(symtab_first: bool) -> str:
    middle = SYMTAB + BSS if symtab_first else BSS + SYMTAB
    return ("SECTIONS {\n\t. = 0xffffffff80200000;\n\t__image_start = .;\n"
            "\t.text : { *(.text) }\n\t.data : { *(.data) }\n" + middle +
            "\t. = ALIGN(4096);\n\t__image_end = .;\n}\n")


pytestmark = pytest.mark.skipif(shutil.which(CROSS + "gcc") is None,
                                reason="no riscv64-unknown-elf toolchain")


def build(tmp: pathlib.Path, symtab_first: bool) -> tuple[pathlib.Path, pathlib.Path]:
    (tmp / "a.S").write_text(ASM)
    (tmp / "a.ld").write_text(script(symtab_first))
    elf, binary = tmp / "a.elf", tmp / "a.bin"
    subprocess.run([CROSS + "gcc", "-nostdlib", "-mcmodel=medany", "-T", str(tmp / "a.ld"),
                    "-Wl,--no-warn-rwx-segments", "-o", str(elf), str(tmp / "a.S")], check=True)
    subprocess.run([CROSS + "objcopy", "-O", "binary", str(elf), str(binary)], check=True)
    return elf, binary


def check(elf, binary, *extra):
    return subprocess.run([sys.executable, str(CHECK), "--nm", CROSS + "nm", "--elf", str(elf),
                           "--bin", str(binary), *extra], capture_output=True, text=True)


def test_symtab_before_bss_passes(tmp_path):
    elf, binary = build(tmp_path, symtab_first=True)
    assert binary.stat().st_size < 4096
    out = check(elf, binary)
    assert out.returncode == 0, out.stderr


def test_bss_carried_as_zeros_fails(tmp_path):
    elf, binary = build(tmp_path, symtab_first=False)
    assert binary.stat().st_size > 65536
    out = check(elf, binary)
    assert out.returncode == 1
    assert out.stderr.startswith("error: check_image: inox.bin is ")
    assert "it carries .bss as zeros" in out.stderr
    assert len(out.stderr.splitlines()) == 1


def test_footprint_must_end_below_the_fit(tmp_path):
    elf, binary = build(tmp_path, symtab_first=True)
    # The footprint is the .bss too: 0x80200000 + 4 KiB of sections + 64 KiB, page-rounded.
    assert check(elf, binary, "--load", "0x80200000", "--below", "0x84000000").returncode == 0
    out = check(elf, binary, "--load", "0x80200000", "--below", "0x80204000")
    assert out.returncode == 1
    assert "past 0x80204000 where U-Boot loads the FIT" in out.stderr
