#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Configure step of cmake/modules/snippets.cmake: resolves -DSNIPPET=name;... (west -S).

A snippet, as in Zephyr, is a folder under <root>/snippets/ holding snippet.yml:

    name: debug
    append:                          # for every board
      EXTRA_CONF_FILE: debug.conf
      EXTRA_DTC_OVERLAY_FILE: debug.overlay
    boards:
      qemu_riscv64:                  # a board name or target, or /regex/ on the target
        append:
          EXTRA_CONF_FILE: qemu.conf

Paths are relative to the snippet's folder. Writes OUT, a CMake file setting
SNIPPET_CONF_FILES and SNIPPET_OVERLAYS (in the order the snippets were given) and
SNIPPET_FILES (every snippet.yml, for configure dependencies). An unknown snippet or a
malformed snippet.yml is one `error:` line and exit 1.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import inox_python  # noqa: E402

inox_python.ensure(("yaml",))

import yaml  # noqa: E402

APPEND_KEYS = ("EXTRA_CONF_FILE", "EXTRA_DTC_OVERLAY_FILE")


class SnippetError(Exception):
    pass


def discover(roots: list[Path]) -> dict[str, tuple[Path, dict]]:
    """{name: (snippet.yml, its data)}: the first root that defines a name wins."""
    found: dict[str, tuple[Path, dict]] = {}
    for root in roots:
        for path in sorted((root / "snippets").rglob("snippet.yml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as e:
                raise SnippetError(f"{path}: cannot read: {' '.join(str(e).split())}") from None
            if not isinstance(data, dict) or not isinstance(data.get("name"), str):
                raise SnippetError(f"{path}: a snippet.yml needs `name:`")
            found.setdefault(data["name"], (path, data))
    return found


def _appends(path: Path, block: object) -> dict[str, list[Path]]:
    if not isinstance(block, dict):
        raise SnippetError(f"{path}: `append:` must be a mapping")
    unknown = sorted(set(block) - set(APPEND_KEYS))
    if unknown:
        raise SnippetError(f"{path}: cannot append to {', '.join(unknown)} (only "
                           f"{', '.join(APPEND_KEYS)})")
    out = {}
    for key, value in block.items():
        items = value.split() if isinstance(value, str) else list(value or [])
        out[key] = [Path(os.path.normpath(path.parent / str(v))) for v in items]
    return out


def _board_matches(pattern: str, board: str) -> bool:
    if pattern.startswith("/") and pattern.endswith("/") and len(pattern) > 1:
        return re.fullmatch(pattern[1:-1], board) is not None
    return pattern in (board, board.partition("/")[0])


def resolve(names: list[str], roots: list[Path],
            board: str) -> tuple[dict[str, list[Path]], list[Path]]:
    """{EXTRA_CONF_FILE: [...], EXTRA_DTC_OVERLAY_FILE: [...]} and the snippet.yml files of
    the snippets `names`, for target `board`. Raises SnippetError."""
    known = discover(roots)
    out: dict[str, list[Path]] = {key: [] for key in APPEND_KEYS}
    files: list[Path] = []
    for name in names:
        if name not in known:
            raise SnippetError(f"snippet '{name}' not found; known snippets: "
                               f"{', '.join(sorted(known)) or 'none'} (searched "
                               f"{', '.join(str(r / 'snippets') for r in roots)})")
        path, data = known[name]
        files.append(path)
        blocks = [data.get("append") or {}]
        boards = data.get("boards") or {}
        if not isinstance(boards, dict):
            raise SnippetError(f"{path}: `boards:` must be a mapping")
        blocks += [(spec or {}).get("append") or {} for pattern, spec in boards.items()
                   if _board_matches(str(pattern), board)]
        for block in blocks:
            for key, values in _appends(path, block).items():
                out[key] += values
    return out, files


def cmake_list(items: list[Path]) -> str:
    return '"' + ";".join(str(i).replace("\\", "/").replace('"', '\\"') for i in items) + '"'


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--snippet", action="append", default=[])
    p.add_argument("--root", action="append", default=[],
                   help="a snippet root: the folder holding snippets/ (repeatable, in order)")
    p.add_argument("--board", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    try:
        appends, files = resolve(args.snippet, [Path(r) for r in args.root], args.board)
    except SnippetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    Path(args.out).write_text(
        f"set(SNIPPET_CONF_FILES {cmake_list(appends['EXTRA_CONF_FILE'])})\n"
        f"set(SNIPPET_OVERLAYS {cmake_list(appends['EXTRA_DTC_OVERLAY_FILE'])})\n"
        f"set(SNIPPET_FILES {cmake_list(files)})\n", encoding="utf-8")
    for name in args.snippet:
        print(f"Snippet: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
