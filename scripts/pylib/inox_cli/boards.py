# SPDX-License-Identifier: Apache-2.0
"""`inox boards`: every board target that -b accepts, from the board.yml files.

A board.yml (Zephyr's hardware model v2) names a board, its SoCs and their variants, and
maybe its revisions. The targets are the board itself and board/variant; a board with
several SoCs is spelled board/soc and board/soc/variant. Variants may nest
(board/variant/subvariant). A board with one SoC also takes the full spelling
board/soc[/variant] (qemu_riscv64/qemu_virt_riscv64/smp), and a revision goes after the
board name: board@rev[/...].
"""

import os
import re

from .common import INOX_BASE, CliError


# The fields of `inox boards -f`, as west's.
FORMAT_FIELDS = ("name", "full_name", "vendor", "dir", "qualifiers", "revisions",
                 "revision_default", "arch", "hwm")


def add_parsers(sub):
    p = sub.add_parser("boards", help="list the boards and their variants",
                       description="List every board target (board[/variant]) with its full "
                                   "name, from the board.yml files under the board roots.")
    p.add_argument("-n", "--name", metavar="REGEX",
                   help="list only targets matching this regular expression")
    p.add_argument("-f", "--format", metavar="FORMAT",
                   help="print one line per board in this Python format, as west boards -f: "
                        "fields " + ", ".join("{" + f + "}" for f in FORMAT_FIELDS))
    p.add_argument("--board-root", action="append", default=[], metavar="DIR",
                   help="a board root: the folder holding boards/, as CMake's BOARD_ROOT "
                        "(repeatable; the Inox tree is always searched last)")
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


def revisions(board, where):
    """(names, default) of a board.yml board's `revision:` ([] and None without one)."""
    rev = board.get("revision")
    if rev is None:
        return [], None
    if not isinstance(rev, dict):
        raise CliError(f"{where}: board {board.get('name')}: `revision:` must be a mapping")
    names = [str(r.get("name")) for r in rev.get("revisions") or [] if isinstance(r, dict)]
    default = rev.get("default")
    return names, (str(default) if default is not None else None)


def read_board_yml(path):
    """The parsed board.yml; raises CliError."""
    import yaml     # imported late: main() first re-executes under a Python that has it

    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as e:
        raise CliError(f"{path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise CliError(f"{path}: invalid YAML: {' '.join(str(e).split())}") from None


def yml_boards(data, where):
    if not isinstance(data, dict):
        raise CliError(f"{where}: not a board.yml (expected a mapping with `board:`)")
    return [data["board"]] if "board" in data else data.get("boards") or []


def board_root_dirs(roots):
    """The boards/ folders of board roots given as CMake's BOARD_ROOT: the folder holding
    boards/. A folder without boards/ is taken as the boards folder itself, as before."""
    dirs = []
    for root in roots:
        root = os.path.abspath(root)
        dirs.append(os.path.join(root, "boards") if os.path.isdir(os.path.join(root, "boards"))
                    else root)
    return dirs


def discover(roots):
    """Returns [(target, full name, board.yml path)] sorted by target."""
    found = {}
    for path in board_ymls(roots):
        for target, full in board_targets(read_board_yml(path), path):
            if target in found:
                raise CliError(f"{path}: board {target} already defined in "
                               f"{found[target][1]}")
            found[target] = (full, path)
    return [(t, full, path) for t, (full, path) in sorted(found.items())]


def board_ymls(roots):
    """Every board.yml under the boards folders, in order."""
    for root in roots:
        if not os.path.isdir(root):
            raise CliError(f"board root is not a folder: {root}")
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            if "board.yml" in filenames:
                yield os.path.join(dirpath, "board.yml")


def board_fields(roots):
    """One dict of FORMAT_FIELDS per board, sorted by name."""
    out = []
    for path in board_ymls(roots):
        data = read_board_yml(path)
        for board in yml_boards(data, path):
            targets = [t for t, _ in board_targets({"board": board}, path)]
            names, default = revisions(board, path)
            out.append({"name": board["name"], "full_name": board.get("full_name") or
                        board["name"], "vendor": board.get("vendor") or "",
                        "dir": os.path.dirname(path),
                        "qualifiers": ",".join(t.partition("/")[2] for t in targets
                                               if "/" in t),
                        "revisions": ",".join(names), "revision_default": default or "",
                        "arch": "riscv", "hwm": "v2"})
    return sorted(out, key=lambda d: d["name"])


def cmd_boards(args, cmake_args):
    roots = board_root_dirs(args.board_root) + [os.path.join(INOX_BASE, "boards")]
    if args.format:
        for fields in board_fields(roots):
            if args.name and not re.search(args.name, fields["name"]):
                continue
            try:
                print(args.format.format(**fields))
            except (KeyError, IndexError, ValueError) as e:
                raise CliError(f"-f {args.format}: {e} is not a field; fields: "
                               f"{', '.join(FORMAT_FIELDS)}") from None
        return 0
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
