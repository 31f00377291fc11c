# SPDX-License-Identifier: Apache-2.0
"""Configure step of cmake/modules/board.cmake: finds the folder of -DBOARD.

Reads every board.yml under the board roots the way `scripts/inox boards` does (one parser
for both), and writes OUT, a CMake file setting BOARD_DIR and BOARD_YML. A board that is not
there, or a qualifier the board does not have, is one `error:` line on stderr and exit 1.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))

from inox_cli.boards import discover  # noqa: E402
from inox_cli.common import CliError  # noqa: E402


def find(board, roots):
    """The board.yml of target `board` (name[/qualifiers]) in the first root that has it, so
    that a BOARD_ROOT can shadow a board of the tree; raises CliError if no root has it."""
    targets = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        found = discover([root])
        for target, _, path in found:
            if target == board:
                return path
        targets += [t for t, _, _ in found]
    name, _, qualifiers = board.partition("/")
    same = [t.partition("/")[2] for t in targets if t.partition("/")[0] == name]
    if not same:
        known = ", ".join(sorted({t.partition("/")[0] for t in targets})) or "none"
        raise CliError(f"unknown board '{name}'; known boards: {known}")
    variants = ", ".join(sorted({q for q in same if q})) or "none"
    raise CliError(f"board {name} has no variant '{qualifiers}' (variants: {variants})")


def cmake_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--board", required=True)
    p.add_argument("--root", action="append", default=[],
                   help="a boards/ folder to search (repeatable)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    try:
        yml = find(args.board, args.root)
    except CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    text = (f"set(BOARD_DIR {cmake_quote(os.path.dirname(yml))})\n"
            f"set(BOARD_YML {cmake_quote(yml)})\n")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
