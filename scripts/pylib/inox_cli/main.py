# SPDX-License-Identifier: Apache-2.0
"""The `inox` command line: parse, set the host up, dispatch, report errors as one line.

Every subcommand but `boards` first runs the self-setup (inox_setup: install missing Debian
packages) and then re-executes under the interpreter that has Debian's Python modules
(inox_python), so that is what the build's scripts and the tests find.

INOX_SKIP_SETUP=1 skips both; the tests of scripts/inox use it to run without a toolchain.
"""

import argparse
import os
import sys

import inox_python
import inox_setup

from . import __version__, bench, boards, build, targets, testrun
from .common import CliError

SKIP_SETUP_ENV = "INOX_SKIP_SETUP"


def parser():
    p = argparse.ArgumentParser(
        prog="inox",
        description="Inox's west-style command: build, run, flash, debug and test Inox "
                    "applications.",
        epilog="Run `inox COMMAND -h` for a command's options.")
    p.add_argument("--version", action="version", version=f"inox {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build.add_parsers(sub)
    targets.add_parsers(sub)
    boards.add_parsers(sub)
    testrun.add_parsers(sub)
    bench.add_parsers(sub)
    return p


def _split_dashdash(argv):
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


def _setup(command):
    if command == "boards":
        inox_python.ensure(("yaml",))       # the only module inox itself imports
        return
    if os.environ.get(SKIP_SETUP_ENV) == "1":
        return
    try:
        inox_setup.ensure()
    except inox_setup.SetupError as e:
        raise CliError(str(e)) from None
    inox_python.ensure(tuple(inox_setup.PY_MODULES))


def main(argv=None):
    """Runs one inox command; returns its exit status. Never shows a traceback."""
    argv = sys.argv[1:] if argv is None else list(argv)
    before, after = _split_dashdash(argv)
    p = parser()
    args, extra = p.parse_known_args(before)
    if extra and not getattr(args, "takes_extra", False):
        args.parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if after and not args.cmake_args_allowed:
        args.parser.error(f"unexpected arguments after --: {' '.join(after)}")
    try:
        _setup(args.command)
        return args.func(args, extra + after)
    except CliError as e:
        sys.stdout.flush()
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:      # a bug in inox itself: still one line
        print(f"error: inox {args.command} crashed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
