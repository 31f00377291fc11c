#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check the flat kernel image a boot loader copies into RAM.

    check_image.py --nm NM --elf inox.elf --bin inox.bin [--load ADDR --below ADDR]

inox.bin (objcopy -O binary) must end before .bss begins: a loaded section placed after
.bss makes objcopy fill the gap, and every image and FIT would carry .bss as zeros. With --below, the kernel's whole footprint in RAM, load address to
__image_end (.bss and the page-table pool included, which the image does not carry), must
end at or below ADDR: U-Boot copies the FIT there first and leaves the devicetree inside it
(fdt_high = ~0), and bootm only knows the image's file size, so it cannot see an overlap.
Errors are one line on stderr and exit status 1.
"""

import argparse
import os
import subprocess
import sys


def symbols(nm, elf, names):
    """{name: address} for names in elf; raises SystemExit if one is missing."""
    try:
        out = subprocess.run([nm, elf], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"error: check_image: cannot run {nm} on {elf}: {e}")
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in names:
            found[parts[2]] = int(parts[0], 16)
    missing = [n for n in names if n not in found]
    if missing:
        raise SystemExit(f"error: check_image: {elf} has no {', '.join(missing)}")
    return found


def check(syms, bin_size, load=None, below=None):
    """Returns None if the image is right, else the one-line complaint."""
    bss_at = syms["__bss_start"] - syms["__image_start"]
    if bin_size > bss_at:
        return (f"inox.bin is {bin_size} bytes but .bss starts {bss_at} bytes into the image: "
                f"it carries .bss as zeros (a loaded section placed after .bss?)")
    if below is not None:
        end = load + syms["__image_end"] - syms["__image_start"]
        if end > below:
            return (f"the kernel occupies 0x{load:x}..0x{end:x} in RAM (with .bss), past "
                    f"0x{below:x} where U-Boot loads the FIT: raise the FIT address")
    return None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nm", required=True)
    p.add_argument("--elf", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--load", type=lambda s: int(s, 0), metavar="ADDR",
                   help="the physical load address (CONFIG_KERNEL_LOAD_ADDRESS)")
    p.add_argument("--below", type=lambda s: int(s, 0), metavar="ADDR",
                   help="where the kernel's footprint must end (needs --load)")
    args = p.parse_args(argv)
    if (args.load is None) != (args.below is None):
        p.error("--load and --below go together")
    syms = symbols(args.nm, args.elf, ("__image_start", "__image_end", "__bss_start"))
    err = check(syms, os.path.getsize(args.bin), args.load, args.below)
    if err:
        print(f"error: check_image: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
