# SPDX-License-Identifier: Apache-2.0
"""Configure step of cmake/modules/board.cmake: finds the folder of -DBOARD.

Reads every board.yml under the board roots the way `scripts/inox boards` does (one parser
for both), and writes OUT, a CMake file setting BOARD_DIR, BOARD_YML, BOARD_TARGET (the
target in Inox's short spelling), BOARD_REVISION and BOARD_SOC. A board that is not there,
or a qualifier or revision the board does not have, is one `error:` line on stderr and
exit 1.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))

from inox_cli.boards import board_targets, read_board_yml, revisions, yml_boards, \
    board_ymls  # noqa: E402
from inox_cli.common import CliError  # noqa: E402


def _short(board: dict, target: str) -> str:
    """A target in Inox's spelling: a one-SoC board's SoC left out, as `inox boards` lists
    it (qemu_riscv64/qemu_virt_riscv64/smp -> qemu_riscv64/smp)."""
    socs = [s["name"] for s in board.get("socs") or [] if isinstance(s, dict)]
    name, _, quals = target.partition("/")
    if len(socs) == 1 and (quals == socs[0] or quals.startswith(socs[0] + "/")):
        quals = quals[len(socs[0]) + 1:]
    return f"{name}/{quals}" if quals else name


def find(board: str, roots: list[str]) -> tuple[str, str, str, str]:
    """(board.yml, target, revision, soc) of `board`, spelled name[@revision][/qualifiers],
    with Zephyr's full board/soc/variant spelling taken too. The first root that has the
    target wins, so that a BOARD_ROOT can shadow a board of the tree. The revision is the
    board's default when none is given. Raises CliError."""
    name_rev, slash, quals = board.partition("/")
    name, _, revision = name_rev.partition("@")
    targets = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        for path in board_ymls([root]):
            for entry in yml_boards(read_board_yml(path), path):
                found = [t for t, _ in board_targets({"board": entry}, path)]
                targets += found
                target = _short(entry, name + slash + quals)
                if entry.get("name") != name or target not in found:
                    continue
                names, default = revisions(entry, path)
                if revision and not names:
                    raise CliError(f"board {name} has no revisions; leave out @{revision}")
                if revision and revision not in names:
                    raise CliError(f"board {name} has no revision '{revision}' (revisions: "
                                   f"{', '.join(names)})")
                socs = [s["name"] for s in entry.get("socs") or []]
                return path, target, revision or default or "", socs[0] if socs else ""
    same = [t.partition("/")[2] for t in targets if t.partition("/")[0] == name]
    if not same:
        known = ", ".join(sorted({t.partition("/")[0] for t in targets})) or "none"
        raise CliError(f"unknown board '{name}'; known boards: {known}")
    variants = ", ".join(sorted({q for q in same if q})) or "none"
    raise CliError(f"board {name} has no variant '{quals}' (variants: {variants})")


def cmake_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--board", required=True)
    p.add_argument("--root", action="append", default=[],
                   help="a boards/ folder to search (repeatable)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    try:
        yml, target, revision, soc = find(args.board, args.root)
    except CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    text = (f"set(BOARD_DIR {cmake_quote(os.path.dirname(yml))})\n"
            f"set(BOARD_YML {cmake_quote(yml)})\n"
            f"set(BOARD_TARGET {cmake_quote(target)})\n"
            f"set(BOARD_REVISION {cmake_quote(revision)})\n"
            f"set(BOARD_SOC {cmake_quote(soc)})\n")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
