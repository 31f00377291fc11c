# SPDX-License-Identifier: Apache-2.0
"""`inox flash`, `inox debug`, `inox debugserver`: build that target of a configured build.

The board's board.cmake decides what each one does (runner, probe, GDB port); the target
depends on the image, so it is rebuilt first if a source changed.
"""

from .common import DEFAULT_BUILD_DIR, BuildDir, build_env, run

TARGETS = {
    "flash": "build the application and flash it with the board's runner (QEMU boards: run it; hifive_unleashed: make a U-Boot FIT image and print how to boot it)",
    "debug": "build, start the board's debug server and attach GDB in this terminal",
    "debugserver": "build and start the board's debug server for a GDB to attach to",
}


def add_parsers(sub):
    for name, text in TARGETS.items():
        p = sub.add_parser(name, help=text,
                           description=f"{text[0].upper()}{text[1:]} "
                                       f"(cmake --build DIR -t {name}).")
        p.add_argument("-d", "--build-dir", default=DEFAULT_BUILD_DIR, metavar="DIR",
                       help="a build folder configured by inox build (default: ./build)")
        p.set_defaults(func=cmd_target, target=name, parser=p, cmake_args_allowed=False)


def cmd_target(args, cmake_args):
    bdir = BuildDir(args.build_dir)
    bdir.require_configured()
    return run(["cmake", "--build", bdir.path, "-t", args.target], env=build_env())
