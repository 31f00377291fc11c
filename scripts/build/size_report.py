#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""rom_report and ram_report: where an image's bytes go, by source file and symbol.

    size_report.py --elf inox.elf --kind rom|ram --inox-base DIR --app DIR --build DIR
                   [--json OUT]

As Zephyr's scripts/footprint/size_report: every sized symbol of the ELF's ROM sections
(allocated, with contents: text, rodata, data's initial values, the symbol table) or RAM
sections (writable or NOBITS: data, bss) is placed under the source file its debug
information names, in a tree rooted at INOX_BASE, APPLICATION (an app outside the tree),
BUILD (generated sources) or the file's own absolute path. Bytes of those sections that no
symbol covers (alignment, unnamed literals) are "(hidden)"; symbols without debug
information are under "(no paths)". Prints the tree and writes it as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import inox_python  # noqa: E402

inox_python.ensure(("elftools",))

from elftools.common.exceptions import DWARFError, ELFError  # noqa: E402
from elftools.elf.elffile import ELFFile  # noqa: E402

SHF_WRITE, SHF_ALLOC = 0x1, 0x2
DW_OP_ADDR = 0x03


@dataclass
class TreeNode:
    name: str
    size: int = 0
    address: int | None = None
    children: dict[str, TreeNode] = field(default_factory=dict)

    def add(self, path: list[str], size: int, address: int | None = None) -> None:
        """Adds `size` bytes at the leaf `path` (a list of names), and to every node above."""
        self.size += size
        if not path:
            return
        child = self.children.setdefault(path[0], TreeNode(path[0]))
        if len(path) == 1:
            child.address = address
        child.add(path[1:], size, address)

    def as_dict(self) -> dict:
        d = {"name": self.name, "size": self.size}
        if self.address is not None:
            d["address"] = self.address
        if self.children:
            d["children"] = [c.as_dict() for c in self.children.values()]
        return d


def in_report(section, kind: str) -> bool:
    """Whether a section's bytes count for the ROM or the RAM report."""
    flags = section["sh_flags"]
    if not flags & SHF_ALLOC:
        return False
    nobits = section["sh_type"] == "SHT_NOBITS"
    return not nobits if kind == "rom" else bool(flags & SHF_WRITE or nobits)


def _die_path(cu) -> str | None:
    top = cu.get_top_DIE()
    name = top.attributes.get("DW_AT_name")
    if name is None:
        return None
    path = name.value.decode("utf-8", "replace")
    comp_dir = top.attributes.get("DW_AT_comp_dir")
    if not os.path.isabs(path) and comp_dir is not None:
        path = os.path.join(comp_dir.value.decode("utf-8", "replace"), path)
    return os.path.normpath(path)


def source_files(elf: ELFFile) -> tuple[dict[int, str], list[tuple[int, int, str]]]:
    """{address: source file} of every function and static-storage variable the DWARF knows,
    plus the CU address ranges (for code the DIEs leave out). Empty without DWARF."""
    if not elf.has_dwarf_info():
        return {}, []
    dwarf = elf.get_dwarf_info()
    by_addr, ranges = {}, []
    for cu in dwarf.iter_CUs():
        path = _die_path(cu)
        if path is None:
            continue
        for die in cu.iter_DIEs():
            if die.tag == "DW_TAG_subprogram" and "DW_AT_low_pc" in die.attributes:
                by_addr.setdefault(die.attributes["DW_AT_low_pc"].value, path)
            elif die.tag == "DW_TAG_variable" and "DW_AT_location" in die.attributes:
                loc = die.attributes["DW_AT_location"]
                if loc.form == "DW_FORM_exprloc" and loc.value and loc.value[0] == DW_OP_ADDR:
                    addr = int.from_bytes(bytes(loc.value[1:9]), "little")
                    by_addr.setdefault(addr, path)
    aranges = dwarf.get_aranges()
    if aranges is not None:
        for entry in aranges.entries:
            cu = dwarf.get_CU_at(entry.info_offset)
            path = _die_path(cu)
            if path:
                ranges.append((entry.begin_addr, entry.begin_addr + entry.length, path))
    return by_addr, ranges


def place(path: str, roots: list[tuple[str, str]]) -> list[str]:
    """The tree path of a source file: under the first root that holds it, else its own."""
    for label, root in roots:
        if root and os.path.commonpath([path, root]) == root:
            return [label] + os.path.relpath(path, root).split(os.sep)
    return path.strip(os.sep).split(os.sep)


def build_tree(elf_path: Path, kind: str, roots: list[tuple[str, str]]) -> TreeNode:
    with elf_path.open("rb") as f:
        elf = ELFFile(f)
        sections = [s for s in elf.iter_sections() if in_report(s, kind)]
        spans = [(s["sh_addr"], s["sh_addr"] + s["sh_size"]) for s in sections]
        by_addr, ranges = source_files(elf)
        symtab = elf.get_section_by_name(".symtab")
        symbols = {}
        for sym in symtab.iter_symbols() if symtab else []:
            addr, size = sym["st_value"], sym["st_size"]
            if size and sym["st_info"]["type"] in ("STT_FUNC", "STT_OBJECT") and \
                    any(lo <= addr < hi for lo, hi in spans):
                symbols.setdefault((addr, sym.name), size)
    root = TreeNode("Root")
    for (addr, name), size in sorted(symbols.items()):
        path = by_addr.get(addr) or next((p for lo, hi, p in ranges if lo <= addr < hi), None)
        where = place(path, roots) if path else ["(no paths)"]
        root.add(where + [name], size, addr)
    hidden = sum(s["sh_size"] for s in sections) - root.size
    if hidden > 0:
        root.add(["(hidden)"], hidden)
    return root


def print_tree(root: TreeNode, out=sys.stdout) -> None:
    width = 80
    out.write(f"{'Path':<{width}} {'Size':>9} {'%':>8}  Address\n")
    out.write("=" * (width + 30) + "\n")

    def walk(node, prefix, last, top):
        branch = "" if top else ("└── " if last else "├── ")
        label = f"{prefix}{branch}{node.name}"
        pct = 100.0 * node.size / root.size if root.size else 0.0
        addr = f"0x{node.address:x}" if node.address is not None else "-"
        out.write(f"{label:<{width}} {node.size:>9} {pct:>7.2f}%  {addr}\n")
        kids = sorted(node.children.values(), key=lambda n: n.name)
        for i, kid in enumerate(kids):
            walk(kid, prefix + ("" if top else ("    " if last else "│   ")), i == len(kids) - 1,
                 False)

    walk(root, "", True, True)
    out.write("=" * (width + 30) + "\n")
    out.write(f"{'':<{width}} {root.size:>9}\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--elf", required=True)
    p.add_argument("--kind", choices=("rom", "ram"), required=True)
    p.add_argument("--inox-base", required=True)
    p.add_argument("--app", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--json", help="also write the tree here")
    args = p.parse_args(argv)
    roots = [("BUILD", os.path.realpath(args.build)),
             ("INOX_BASE", os.path.realpath(args.inox_base)),
             ("APPLICATION", os.path.realpath(args.app))]
    try:
        root = build_tree(Path(args.elf), args.kind, roots)
    except (OSError, ELFError, DWARFError) as e:
        print(f"error: size_report: {args.elf}: {e}", file=sys.stderr)
        return 1
    print_tree(root)
    if args.json:
        Path(args.json).write_text(json.dumps({"symbols": root.as_dict(),
                                               "total_size": root.size}, indent=2),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
