#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Merge Kconfig fragments into .config and autoconf.h (Inox's kconfig.py).

CMake runs this once per configure:

    kconfig.py --kconfig ROOT_KCONFIG --config-out BUILD/inox/.config
               --header-out BUILD/inox/include/generated/autoconf.h
               [--fragment FILE ...] [--set CONFIG_X=VALUE ...]

Fragments are merged in the order given (board defconfig, prj.conf, each
EXTRA_CONF_FILE), then the --set values. Every assignment is checked against
the tree: unknown symbols, promptless symbols, malformed values and values
that did not stick are errors, one line each, all of them reported. If the
inputs are the same as last time, the existing .config is kept as it is, so
values saved from menuconfig survive. See doc/kconfig.md.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import inox_python  # noqa: E402

inox_python.ensure(("kconfiglib",))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import difflib  # noqa: E402
import hashlib  # noqa: E402
import re  # noqa: E402

import kconfiglib  # noqa: E402
from kconfiglib import (AND, BOOL, HEX, INT, OR, STRING, TRISTATE, Symbol,  # noqa: E402
                        escape, expr_str, expr_value, split_expr, unescape)

import inox_kconfig  # noqa: E402

PREFIX = "CONFIG_"
SET_RE = re.compile(r"CONFIG_([A-Za-z0-9_]+)=(.*)")
UNSET_RE = re.compile(r"# CONFIG_([A-Za-z0-9_]+) is not set")
STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
INT_RE = re.compile(r"-?[0-9]+")
HEX_RE = re.compile(r"(0[xX])?[0-9a-fA-F]+")

# Bumped when the meaning of a stored checksum changes, so old build folders merge afresh.
CHECKSUM_VERSION = b"inox-kconfig-inputs 1\n"


class Assignment:
    """One CONFIG_X=... line of a fragment or one --set value.

    'raw' is the text after '=' (None for '# CONFIG_X is not set'); 'value'
    is what gets passed to Symbol.set_value() once the line is validated.
    """

    def __init__(self, where, order, name, raw, from_command_line=False):
        self.where = where
        self.order = order
        self.name = name
        self.raw = raw
        self.from_command_line = from_command_line
        self.sym = None
        self.value = None

    def shown(self):
        """The assignment as the user would write it, for messages."""
        if self.sym is not None and self.sym.orig_type is STRING:
            return f'{PREFIX}{self.name}="{escape(self.value)}"'
        return f"{PREFIX}{self.name}={self.value}"


class Errors:
    """Collects one-line errors so that all of them are reported, in input order."""

    def __init__(self):
        self._items = []

    def add(self, order, where, msg):
        self._items.append((order, f"error: Kconfig: {where}: {msg}" if where else
                            f"error: Kconfig: {msg}"))

    def __bool__(self):
        return bool(self._items)

    def lines(self):
        return [line for _, line in sorted(self._items, key=lambda item: item[0])]


def parse_fragment(path, text, first_order, errors):
    """Return the Assignments in fragment 'text', reporting unparsable lines to 'errors'."""
    out = []
    for linenr, line in enumerate(text.splitlines(), 1):
        line = line.rstrip()
        order = (first_order, linenr)
        where = f"{path}:{linenr}"
        match = SET_RE.fullmatch(line)
        if match:
            out.append(Assignment(where, order, match.group(1), match.group(2)))
            continue
        match = UNSET_RE.fullmatch(line)
        if match:
            out.append(Assignment(where, order, match.group(1), None))
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        errors.add(order, where, f'cannot parse "{line.strip()}": expected CONFIG_NAME=VALUE '
                   f'or "# CONFIG_NAME is not set"')
    return out


def parse_sets(sets, first_order, errors):
    """Return the Assignments for the --set values (all located at 'command line')."""
    out = []
    for i, item in enumerate(sets):
        order = (first_order, i)
        match = SET_RE.fullmatch(item)
        if not match:
            errors.add(order, "command line", f'"{item}" is not of the form CONFIG_NAME=VALUE')
            continue
        out.append(Assignment("command line", order, match.group(1), match.group(2),
                              from_command_line=True))
    return out


def read_inputs(fragments, sets, errors):
    """Read every fragment; return (assignments in merge order, checksum of the inputs)."""
    digest = hashlib.sha256(CHECKSUM_VERSION)
    assignments = []
    for index, path in enumerate(fragments):
        try:
            with open(path, "rb") as f:
                data = f.read()
            text = data.decode("utf-8")
        except FileNotFoundError:
            errors.add((index, 0), None, f"no such file: {path}")
            continue
        except UnicodeDecodeError as e:
            errors.add((index, 0), path, f"not valid UTF-8 ({e.reason} at byte {e.start})")
            continue
        except OSError as e:
            errors.add((index, 0), None, f"cannot read {path}: {e.strerror or e}")
            continue
        digest.update(b"fragment %d\n" % len(data) + data)
        assignments += parse_fragment(path, text, index, errors)
    for item in sets:
        encoded = item.encode("utf-8", "surrogateescape")
        digest.update(b"set %d\n" % len(encoded) + encoded)
    assignments += parse_sets(sets, len(fragments), errors)
    return assignments, digest.hexdigest()


def has_prompt(sym):
    return any(node.prompt for node in sym.nodes)


def close_match(kconf, name):
    """' (did you mean CONFIG_X?)' for the defined symbol closest to 'name', or ''."""
    names = [s.name for s in kconf.unique_defined_syms]
    match = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return f" (did you mean {PREFIX}{match[0]}?)" if match else ""


def validate(kconf, a):
    """Check that 'a' names a known, typed symbol and has a well-formed value.

    Sets a.sym and a.value and returns None, or returns the error message.
    """
    sym = kconf.syms.get(a.name)
    if sym is None or not sym.nodes:
        return f"{PREFIX}{a.name} is not a known symbol{close_match(kconf, a.name)}"
    a.sym = sym
    kind = sym.orig_type
    type_name = kconfiglib.TYPE_TO_STR[kind]
    if kind in (BOOL, TRISTATE):
        allowed = ("y", "m", "n") if kind is TRISTATE else ("y", "n")
        value = "n" if a.raw is None else a.raw
        if value not in allowed:
            return f'{PREFIX}{a.name}: "{a.raw}" is not a valid {type_name} value ' \
                   f'(use {" or ".join(allowed)})'
        a.value = value
        return None
    if a.raw is None:
        return f'{PREFIX}{a.name} is {type_name}, and "# {PREFIX}{a.name} is not set" only ' \
               f"applies to bool options"
    if kind is STRING:
        match = STRING_RE.fullmatch(a.raw)
        if match:
            a.value = unescape(match.group(1))
        elif a.from_command_line:
            # Shell quoting through cmake -D rarely survives: take the text literally.
            a.value = a.raw
        else:
            return f"{PREFIX}{a.name}: {a.raw} is not a valid string value (strings need " \
                   f'double quotes: {PREFIX}{a.name}="{escape(a.raw)}")'
        return None
    if kind is INT and INT_RE.fullmatch(a.raw) or kind is HEX and HEX_RE.fullmatch(a.raw):
        a.value = a.raw
        return None
    if kind in (INT, HEX):
        return f'{PREFIX}{a.name}: "{a.raw}" is not a valid {type_name} value'
    return f"{PREFIX}{a.name} has no type in the Kconfig tree, so it cannot be set"


def shown_value(sym):
    """The current value of 'sym' as it would appear after '=' in .config."""
    if sym.orig_type is STRING:
        return f'"{escape(sym.str_value)}"'
    return sym.str_value if sym.str_value != "" else "unset"


def same_value(sym, value):
    """True if 'sym' currently has the (validated) assigned 'value'."""
    current = sym.str_value
    if sym.orig_type in (INT, HEX):
        base = 10 if sym.orig_type is INT else 16
        try:
            return int(current, base) == int(value, base)
        except ValueError:
            return False
    return current == value


def describe_term(term, value):
    """'A (=n)' for a plain symbol, 'A > 1 (=n, A=1)' for an expression.

    Only defined symbols get their value shown: numbers and quoted strings in
    an expression are undefined or constant symbols whose value is their name.
    """
    if not isinstance(term, tuple):
        return f"{expr_str(term)} (={kconfiglib.TRI_TO_STR[value]})"
    items = sorted((s for s in kconfiglib.expr_items(term)
                    if isinstance(s, Symbol) and s.nodes), key=lambda s: s.name)
    shown = "".join(f", {s.name}={shown_value(s)}" for s in items)
    return f"{expr_str(term)} (={kconfiglib.TRI_TO_STR[value]}{shown})"


def unmet_terms(expr):
    """The top-level '&&' terms of 'expr' that are n, described."""
    return [describe_term(t, 0) for t in split_expr(expr, AND) if expr_value(t) == 0]


def active_range(sym):
    """(low, high) of the first active range of an int/hex symbol, or None."""
    base = 10 if sym.orig_type is INT else 16
    for low, high, cond in sym.ranges:
        if expr_value(cond):
            def num(s):
                try:
                    return int(s.str_value, base)
                except ValueError:
                    return 0
            return num(low), num(high)
    return None


def why_not(sym, a):
    """Explain why 'sym' did not take the value of its last assignment 'a'."""
    if sym.orig_type in (INT, HEX) and sym.visibility:
        rng = active_range(sym)
        if rng:
            base = 10 if sym.orig_type is INT else 16
            fmt = str if base == 10 else hex
            return f"{a.value} is outside the range [{fmt(rng[0])}, {fmt(rng[1])}]"
    if a.value == "n" and sym.orig_type in (BOOL, TRISTATE):
        if expr_value(sym.rev_dep):
            terms = [describe_term(t, 2) for t in split_expr(sym.rev_dep, OR) if expr_value(t)]
            return "selected by: " + ", ".join(terms)
        if sym.choice:
            return "it is the selected member of its choice; set another member to y instead"
        return ""
    terms = unmet_terms(sym.direct_dep)
    if not terms:
        seen = set()
        for node in sym.nodes:
            if node.prompt:
                for term in unmet_terms(node.prompt[1]):
                    if term not in seen:
                        seen.add(term)
                        terms.append(term)
    if terms:
        return "unsatisfied dependencies: " + ", ".join(terms)
    if sym.choice and sym.choice.selection is not None and sym.choice.selection is not sym:
        return f"{PREFIX}{sym.choice.selection.name} is selected in the same choice"
    if not sym.visibility:
        return "its prompt is not visible"
    return ""


def merge(kconf, assignments, errors):
    """Apply every valid assignment in order, then report those that did not stick."""
    last = {}
    # Choosing another member of a choice (prj.conf overriding the board's
    # pick) replaces an earlier member's "=y" instead of contradicting it.
    last_choice_pick = {}
    for a in assignments:
        msg = validate(kconf, a)
        if msg:
            errors.add(a.order, a.where, msg)
            continue
        if has_prompt(a.sym):
            a.sym.set_value(a.value)
        last[a.sym] = a
        if a.sym.choice and a.value == "y":
            last_choice_pick[a.sym.choice] = a
    for sym, a in last.items():
        if same_value(sym, a.value):
            continue
        if sym.choice and a.value == "y" and last_choice_pick[sym.choice] is not a:
            continue
        if not has_prompt(sym):
            errors.add(a.order, a.where, f"{PREFIX}{sym.name} has no prompt, so it cannot be set "
                       f"(it is derived from other options)")
            continue
        reason = why_not(sym, a)
        errors.add(a.order, a.where, f"{a.shown()} was assigned but the value is "
                   f"{shown_value(sym)}" + (f"; {reason}" if reason else ""))


def warning_text(warning):
    """A kconfiglib warning as one line, without its own "warning: " (Errors says error)."""
    return re.sub(r"^(.*?)warning: ", r"\1", inox_kconfig.one_line(warning), count=1)


def write_if_changed(path, text):
    """Write 'text' to 'path' unless it already holds exactly that; True if written."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return False
    except (OSError, UnicodeDecodeError):
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def checksum_path(config_out):
    return config_out + ".sha256"


def stored_checksum(config_out):
    """The checksum of the inputs the existing .config was merged from, or None."""
    if not os.path.isfile(config_out):
        return None
    try:
        with open(checksum_path(config_out), encoding="ascii") as f:
            return f.read().strip()
    except (OSError, UnicodeDecodeError):
        return None


def kconfig_sources(kconf):
    """Absolute paths of every Kconfig file the tree read, sorted, one per line."""
    paths = set()
    for name in kconf.kconfig_filenames:
        paths.add(os.path.abspath(name if os.path.isabs(name) else
                                  os.path.join(kconf.srctree, name)))
    return "".join(p + "\n" for p in sorted(paths))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="kconfig.py", allow_abbrev=False,
        description="Merge Kconfig fragments into .config and autoconf.h.")
    parser.add_argument("--kconfig", required=True, metavar="ROOT_KCONFIG",
                        help="top-level Kconfig file of the tree")
    parser.add_argument("--config-out", required=True, metavar="FILE",
                        help="the .config to write (and to keep, if the inputs are unchanged)")
    parser.add_argument("--header-out", required=True, metavar="FILE",
                        help="the autoconf.h to write")
    parser.add_argument("--fragment", action="extend", nargs="+", default=[], metavar="FILE",
                        help="configuration fragment, in merge order (board defconfig, "
                             "prj.conf, EXTRA_CONF_FILE...)")
    parser.add_argument("--set", action="extend", nargs="+", default=[],
                        metavar="CONFIG_X=VALUE", help="assignment applied after all fragments")
    parser.add_argument("--sources-out", metavar="FILE",
                        help="also write the list of Kconfig files read (for build dependencies)")
    return parser.parse_args(argv)


def run(args):
    """Do the work; returns the exit status. Prints errors, one line each, to stderr."""
    errors = Errors()
    assignments, checksum = read_inputs(args.fragment, args.set, errors)

    try:
        kconf = inox_kconfig.load_tree(args.kconfig)
    except inox_kconfig.TreeError as e:
        errors.add((-1,), None, str(e))
        print("\n".join(errors.lines()), file=sys.stderr)
        return 1
    # As Zephyr, every Kconfig warning is an error: one from parsing the tree (a choice
    # default outside the choice), a select of a symbol whose dependencies are unmet, a
    # default outside its range.
    warning_order = (len(args.fragment) + 1,)
    for warning in inox_kconfig.tree_warnings(kconf):
        errors.add(warning_order, None, warning_text(warning))
    parse_warnings = len(kconf.warnings)

    keep = stored_checksum(args.config_out) == checksum
    if keep:
        # Inputs unchanged: only static checks, so a symbol renamed in the tree is still caught.
        for a in assignments:
            msg = validate(kconf, a)
            if msg:
                errors.add(a.order, a.where, msg)
        if not errors:
            kconf.load_config(args.config_out)
    else:
        merge(kconf, assignments, errors)

    if not errors:
        # Evaluating every symbol is what makes kconfiglib find the unmet selects.
        kconf.write_config(os.devnull, save_old=False)
        for warning in dict.fromkeys(kconf.warnings[parse_warnings:]):
            errors.add(warning_order, None, warning_text(warning))
    if errors:
        print("\n".join(errors.lines()), file=sys.stderr)
        return 1

    for path in (args.config_out, args.header_out, args.sources_out):
        if path and os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
    kconf.write_config(args.config_out, header=inox_kconfig.CONFIG_HEADER, save_old=False)
    kconf.write_autoconf(args.header_out, header=inox_kconfig.AUTOCONF_HEADER)
    if args.sources_out:
        write_if_changed(args.sources_out, kconfig_sources(kconf))
    # Last, so an interrupted run never pairs a new checksum with an old .config.
    write_if_changed(checksum_path(args.config_out), checksum + "\n")

    for i, path in enumerate(args.fragment):
        print(f"{'Loaded' if i == 0 else 'Merged'} configuration '{path}'")
    if keep:
        print(f"Kconfig: inputs unchanged, kept {args.config_out} (saved edits preserved)")
    else:
        print(f"Kconfig: merged {len(args.fragment)} fragment(s) and {len(args.set)} "
              f"command-line value(s) into {args.config_out}")
    return 0


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: Kconfig: {where}{e.strerror or e}", file=sys.stderr)
    except Exception as e:  # noqa: BLE001 - one line, never a traceback
        print(f"error: Kconfig: internal error: {type(e).__name__}: "
              f"{inox_kconfig.one_line(e)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
