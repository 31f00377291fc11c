# SPDX-License-Identifier: Apache-2.0
"""Host unit tests of kernel library code: each tests/unit/<name>/main.c is built with the
host's gcc against the kernel's headers and the library sources it names, run, and must exit
0 (it prints what it checked)."""

import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

# Each unit test and the kernel sources it is linked with.
UNITS = {
    "rbtree": ["lib/os/rbtree.c"],
    "fdt": ["lib/os/fdt.c"],
}

# Units built with AddressSanitizer too: the FDT reader's fuzz loop must never read outside
# the blob, which only a sanitizer notices.
SANITIZED = {"fdt"}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no host gcc")
@pytest.mark.parametrize("name", sorted(UNITS))
def test_unit(name: str, tmp_path: pathlib.Path) -> None:
    exe = tmp_path / name
    sources = [REPO / "tests/unit" / name / "main.c", *(REPO / s for s in UNITS[name])]
    sanitize = ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"] \
        if name in SANITIZED else []
    subprocess.run(["gcc", "-O1", "-Wall", "-Wextra", "-Werror", *sanitize,
                    f"-I{REPO / 'include'}", "-o", str(exe), *map(str, sources)], check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120)
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "FAIL" not in out.stdout
