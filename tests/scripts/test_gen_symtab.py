# SPDX-License-Identifier: Apache-2.0
"""scripts/build/gen_symtab.py --check, with a stand-in nm that lists canned symbols."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(os.path.dirname(os.path.dirname(HERE)), "scripts", "build", "gen_symtab.py")


def check(tmp_path, pre, final):
    """Runs --check with `nm` printing `pre` for pre.elf and `final` for final.elf."""
    for name, text in (("pre.elf", pre), ("final.elf", final)):
        (tmp_path / (name + ".nm")).write_text(text)
    nm = tmp_path / "nm"
    nm.write_text("#!/bin/sh\nfor a; do f=$a; done\ncat \"$f.nm\"\n")
    nm.chmod(0o755)
    return subprocess.run([sys.executable, GEN, "--nm", str(nm), "--elf",
                           str(tmp_path / "final.elf"), "--check", str(tmp_path / "pre.elf")],
                          capture_output=True, text=True)


def test_same_name_static_functions_in_two_files(tmp_path):
    # At -Og nothing is inlined: two files' static pt_alloc() are two addresses of one name.
    syms = "ffffffff80200a18 t pt_alloc\nffffffff8020496c t pt_alloc\nffffffff80200000 T _start\n"
    res = check(tmp_path, syms, syms)
    assert res.returncode == 0, res.stderr


def test_a_moved_function_fails(tmp_path):
    res = check(tmp_path, "ffffffff80200a18 t pt_alloc\nffffffff8020496c t pt_alloc\n",
                "ffffffff80200a18 t pt_alloc\nffffffff80204970 t pt_alloc\n")
    assert res.returncode == 1
    assert res.stderr.strip() == ("error: gen_symtab: pt_alloc moved from 0xffffffff8020496c "
                                  "to 0xffffffff80204970 when the symbol table was added")
