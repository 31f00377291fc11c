# SPDX-License-Identifier: Apache-2.0
"""`inox flash`, `inox debug`, `inox debugserver`: build that target of a configured build.

The board's board.cmake decides what each one does (runner, probe, GDB port); the target
depends on the image, so it is rebuilt first if a source changed.
"""

import json
import os

from . import sdcard
from .common import DEFAULT_BUILD_DIR, BuildDir, CliError, build_env, run

TARGETS = {
    "flash": "build the application and flash it with the board's runner (QEMU boards: run it; hifive_unleashed: make its SD card image, and with --device write it to a card; mpfs_icicle: make the FIT its own U-Boot loads)",
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
        if name == "flash":
            p.add_argument("--device", metavar="DEV",
                           help="write the board's SD card image to this whole block device "
                                "(e.g. /dev/sdb) after you confirm; refuses a mounted card "
                                "and the disk of the running system")
            p.add_argument("--yes", action="store_true",
                           help="with --device: do not ask (scripts); the checks still run")
        p.set_defaults(func=cmd_target, target=name, parser=p, cmake_args_allowed=False)


def cmd_target(args, cmake_args):
    bdir = BuildDir(args.build_dir)
    bdir.require_configured()
    rc = run(["cmake", "--build", bdir.path, "-t", args.target], env=build_env())
    if rc != 0 or getattr(args, "device", None) is None:
        return rc
    return sdcard.flash(disk_image(bdir.path), args.device, assume_yes=args.yes)


def disk_image(build_dir):
    """The disk image the flash target made, from runners.json; CliError if the board has
    none."""
    try:
        with open(os.path.join(build_dir, "inox", "runners.json"), encoding="utf-8") as f:
            runners = json.load(f)
    except (OSError, ValueError) as e:
        raise CliError(f"cannot read {build_dir}/inox/runners.json: {e}") from None
    if not runners.get("disk") or runners.get("flash_runner") != "uboot-sdcard":
        raise CliError(f"board {runners.get('board')} has no SD card image "
                       f"(flash runner {runners.get('flash_runner')}): --device is for "
                       f"boards flashed by uboot-sdcard")
    return runners["disk"]
