# SPDX-License-Identifier: Apache-2.0
"""`inox boards`: every board target that -b accepts, from the board.yml files.

A board.yml (Zephyr's hardware model v2) names a board, its SoCs and their variants. The
targets are the board itself and board/variant; a board with several SoCs is spelled
board/soc and board/soc/variant. Variants may nest (board/variant/subvariant).
"""

import os
import re

from .common import INOX_BASE, CliError


def add_parsers(sub):
    p = sub.add_parser("boards", help="list the boards and their variants",
                       description="List every board target (board[/variant]) with its full "
                                   "name, from the board.yml files under the board roots.")
    p.add_argument("-n", "--name", metavar="REGEX",
                   help="list only targets matching this regular expression")
    p.add_argument("--board-root", action="append", default=[], metavar="DIR",
                   help="folder searched for board.yml (repeatable; default: boards/ of the "
                        "Inox tree)")
    p.set_defaults(func=cmd_boards, parser=p, cmake_args_allowed=False)


def _variants(prefix, variants, full_name, where):
    for v in variants or []:
        if not isinstance(v, dict) or not v.get("name"):
            raise CliError(f"{where}: a variant without a name")
        target = f"{prefix}/{v['name']}"
        yield target, f"{full_name}, variant {target.split('/', 1)[1]}"
        yield from _variants(target, v.get("variants"), full_name, where)


def board_targets(data, where):
    """Yields (target, full name) for the board(s) of one parsed board.yml."""
    if not isinstance(data, dict):
        raise CliError(f"{where}: not a board.yml (expected a mapping with `board:`)")
    boards = [data["board"]] if "board" in data else data.get("boards")
    if not isinstance(boards, list) or not boards:
        raise CliError(f"{where}: no `board:` entry")
    for board in boards:
        if not isinstance(board, dict) or not board.get("name"):
            raise CliError(f"{where}: a board without a name")
        name = str(board["name"])
        full = str(board.get("full_name") or name)
        yield name, full
        socs = board.get("socs") or []
        if not isinstance(socs, list) or \
                any(not isinstance(s, dict) or not s.get("name") for s in socs):
            raise CliError(f"{where}: board {name}: `socs:` must be a list of named SoCs")
        if len(socs) == 1:
            yield from _variants(name, socs[0].get("variants"), full, where)
        else:
            for soc in socs:
                target = f"{name}/{soc['name']}"
                yield target, f"{full}, SoC {soc['name']}"
                yield from _variants(target, soc.get("variants"), full, where)


def discover(roots):
    """Returns [(target, full name, board.yml path)] sorted by target."""
    import yaml     # imported late: main() first re-executes under a Python that has it

    found = {}
    for root in roots:
        if not os.path.isdir(root):
            raise CliError(f"board root is not a folder: {root}")
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            if "board.yml" not in filenames:
                continue
            path = os.path.join(dirpath, "board.yml")
            try:
                with open(path, encoding="utf-8") as f:
                    data = yaml.safe_load(f)
            except OSError as e:
                raise CliError(f"{path}: {e.strerror}") from None
            except yaml.YAMLError as e:
                raise CliError(f"{path}: invalid YAML: {' '.join(str(e).split())}") from None
            for target, full in board_targets(data, path):
                if target in found:
                    raise CliError(f"{path}: board {target} already defined in "
                                   f"{found[target][1]}")
                found[target] = (full, path)
    return [(t, full, path) for t, (full, path) in sorted(found.items())]


def cmd_boards(args, cmake_args):
    roots = [os.path.abspath(r) for r in args.board_root] or [os.path.join(INOX_BASE, "boards")]
    targets = discover(roots)
    if args.name:
        try:
            pattern = re.compile(args.name)
        except re.error as e:
            raise CliError(f"-n {args.name}: not a regular expression: {e}") from None
        targets = [t for t in targets if pattern.search(t[0])]
    width = max((len(t[0]) for t in targets), default=0)
    for target, full, _ in targets:
        print(f"{target:<{width}}  {full}")
    return 0
