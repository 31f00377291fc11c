# SPDX-License-Identifier: Apache-2.0
"""`inox build` and `inox run`: configure an application with CMake, then build a target.

As `west build`: the build folder remembers its board and application, so `-b` and APP may be
left out once it is configured; CMake is re-run only when the folder is new or CMake arguments
are given (otherwise `cmake --build` re-runs it when an input changed); a folder configured for
another board or application is made pristine first (`-p auto`).
"""

import os

from .common import DEFAULT_BUILD_DIR, INOX_BASE, BuildDir, CliError, build_env, run

DEFAULT_RUN_BOARD = "qemu_riscv64"
# The first of these that exists is what `inox run` boots.
DEFAULT_DEMOS = ("samples/cow_demo", "samples/hello_world")


def _add_common(p, board_help):
    p.add_argument("-b", "--board", help=board_help)
    p.add_argument("-d", "--build-dir", default=DEFAULT_BUILD_DIR, metavar="DIR",
                   help="build folder (default: ./build)")
    p.add_argument("-p", "--pristine", choices=("auto", "always", "never"), nargs="?",
                   const="always", default="auto",
                   help="empty the build folder first: auto (default) when it was configured "
                        "for another board or application, always (-p alone), or never (then "
                        "such a mismatch is an error)")


def add_parsers(sub):
    p = sub.add_parser(
        "build", help="configure and build an application",
        description="Configure an application with CMake (Ninja) for a board, then build it. "
                    "Arguments after -- go to CMake, e.g. -- -DEXTRA_CONF_FILE=debug.conf.",
        usage="inox build [-h] [-b BOARD] [-d DIR] [-p [{auto,always,never}]] [-t TARGET] "
              "[-c] [-o OPT] [-S SNIPPET] [APP] [-- CMAKE_ARG ...]")
    _add_common(p, "board[/qualifiers] to build for, e.g. qemu_riscv64/smp (default: the "
                   "board the build folder was configured for, else $BOARD); see: inox boards")
    p.add_argument("-t", "--target",
                   help="CMake target to build instead of all: run, menuconfig, guiconfig, "
                        "flash, debug, debugserver, ...; `pristine` empties the build folder")
    p.add_argument("-c", "--cmake", action="store_true",
                   help="re-run CMake even if the build folder is configured")
    p.add_argument("-o", "--build-opt", action="append", default=[], metavar="OPT",
                   help="option for Ninja (repeatable), e.g. -o=-v")
    p.add_argument("-S", "--snippet", action="append", default=[], metavar="SNIPPET",
                   help="apply this snippet (repeatable), e.g. -S debug: -DSNIPPET=... for CMake")
    p.add_argument("app", nargs="?", metavar="APP",
                   help="application folder, with a CMakeLists.txt (default: the one the build "
                        "folder was configured for, else the current folder)")
    p.set_defaults(func=cmd_build, parser=p, cmake_args_allowed=True)

    p = sub.add_parser(
        "run", help="build an application and boot it in QEMU",
        description="Build an application (default: the demo in samples/) and boot it in QEMU "
                    "in this terminal. Ctrl-A x quits QEMU; a guest power-off returns here.")
    _add_common(p, f"board[/qualifiers] (default: {DEFAULT_RUN_BOARD})")
    p.add_argument("app", nargs="?", metavar="APP",
                   help=f"application folder (default: {' if present, else '.join(DEFAULT_DEMOS)})")
    p.set_defaults(func=cmd_run, parser=p, cmake_args_allowed=False)


def default_demo():
    for rel in DEFAULT_DEMOS:
        path = os.path.join(INOX_BASE, rel)
        if os.path.isdir(path):
            return path
    return os.path.join(INOX_BASE, DEFAULT_DEMOS[-1])


def _check_app(app):
    if not os.path.isfile(os.path.join(app, "CMakeLists.txt")):
        raise CliError(f"APP has no CMakeLists.txt: {app}")
    if os.path.realpath(app) == os.path.realpath(INOX_BASE):
        raise CliError(f"APP is the Inox tree itself, not an application: {app} "
                       f"(e.g. inox build -b {DEFAULT_RUN_BOARD} samples/hello_world)")


def _check_layout(bdir, app):
    """The build folder must not be the application or hold it: making it pristine would
    delete sources."""
    b, a = os.path.realpath(bdir.path), os.path.realpath(app)
    if a == b or a.startswith(b + os.sep):
        raise CliError(f"build folder {bdir.shown} is or contains the application folder {app}; "
                       f"pick another one with -d")
    if os.path.exists(bdir.path) and not os.path.isdir(bdir.path):
        raise CliError(f"build folder {bdir.shown} exists and is not a folder")


def _mismatch(bdir, board, app):
    """Why the configured build folder does not fit board/app, or None."""
    old_board, old_app = bdir.board(), bdir.app()
    if old_board and old_board != board:
        return f"it was configured for board {old_board}, not {board}"
    if old_app and old_app != os.path.realpath(app):
        return f"it was configured for application {old_app}, not {os.path.realpath(app)}"
    return None


def build(bdir, board, app, pristine, target=None, cmake_args=(), force_cmake=False,
          build_opts=()):
    """Makes bdir pristine if asked or needed, configures it if needed, builds target.

    Returns CMake's exit status. board and app are already resolved; app must exist.
    """
    _check_app(app)
    _check_layout(bdir, app)
    if bdir.configured:
        reason = "-p always" if pristine == "always" else _mismatch(bdir, board, app)
        if reason and pristine == "never":
            raise CliError(f"build folder {bdir.shown} cannot be reused: {reason}; "
                           f"use -p auto or -p always, or another -d")
        if reason:
            print(f"-- inox build: making build folder {bdir.shown} pristine ({reason})",
                  flush=True)
            bdir.make_pristine()

    env = build_env()
    if not bdir.generated or cmake_args or force_cmake:
        rc = run(["cmake", "-G", "Ninja", "-S", os.path.abspath(app), "-B", bdir.path,
                  f"-DBOARD={board}", *cmake_args], env=env)
        if rc != 0:
            return rc
    cmd = ["cmake", "--build", bdir.path]
    if target:
        cmd += ["-t", target]
    if build_opts:
        cmd += ["--", *build_opts]
    return run(cmd, env=env)


def _pristine_only(bdir):
    if not os.path.exists(bdir.path):
        print(f"-- inox build: {bdir.shown} does not exist, nothing to remove", flush=True)
        return 0
    bdir.make_pristine()
    try:
        os.rmdir(bdir.path)
    except OSError:
        pass        # the shell's cwd, or a symlink: leave it empty
    print(f"-- inox build: removed build folder {bdir.shown}", flush=True)
    return 0


def cmd_build(args, cmake_args):
    bdir = BuildDir(args.build_dir)
    if args.target == "pristine":
        return _pristine_only(bdir)
    if args.app:
        app = args.app
    elif bdir.configured and bdir.app():
        app = bdir.app()
    else:
        app = os.getcwd()
    board = args.board or bdir.board() or os.environ.get("BOARD")
    if not board:
        _check_app(app)
        raise CliError("no board: give one with -b BOARD (list them with: inox boards)")
    if args.snippet:
        cmake_args = [f"-DSNIPPET={';'.join(args.snippet)}", *cmake_args]
    return build(bdir, board, app, args.pristine, target=args.target, cmake_args=cmake_args,
                 force_cmake=args.cmake, build_opts=args.build_opt)


def cmd_run(args, cmake_args):
    bdir = BuildDir(args.build_dir)
    return build(bdir, args.board or DEFAULT_RUN_BOARD, args.app or default_demo(),
                 args.pristine, target="run")
