# SPDX-License-Identifier: Apache-2.0
"""The architecture boundary (doc/porting.md) holds: generic code names no CSR, trap-frame
register or PTE bit, includes no architecture's header, and declares nothing `extern` that
a header should; the trap code has no weak upcalls."""

import pathlib
import re

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
GENERIC = ("kernel", "subsys")
SOURCES = (".c", ".h", ".S")


def generic_files():
    for top in GENERIC:
        for path in sorted((REPO / top).rglob("*")):
            if path.suffix in SOURCES and path.is_file():
                yield path


def offenders(pattern: str, files) -> list[str]:
    rx = re.compile(pattern)
    found = []
    for path in files:
        for no, line in enumerate(path.read_text().splitlines(), 1):
            if rx.search(line):
                found.append(f"{path.relative_to(REPO)}:{no}: {line.strip()}")
    return found


@pytest.mark.parametrize("what,pattern", [
    ("arch names", r"PTE_[A-Z]|csr_(read|write)|scause|sstatus|satp|gpr\["),
    ("arch headers", r"include <inox/arch/riscv"),
])
def test_generic_code_is_free_of_riscv(what: str, pattern: str) -> None:
    assert offenders(pattern, generic_files()) == [], f"{what} in generic code"


def test_no_extern_declarations_in_subsys() -> None:
    files = sorted((REPO / "subsys").rglob("*.c"))
    assert offenders(r"^\s*extern\b", files) == []


def test_trap_code_has_no_weak_upcalls() -> None:
    assert "__weak" not in (REPO / "arch/riscv/core/trap.c").read_text()
