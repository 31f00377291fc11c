#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Build a board's U-Boot SPL and U-Boot FIT from Debian's u-boot source, once, into a cache.

    uboot.py --defconfig sifive_unleashed [--fragment F]          # build if needed; print
                                                                  # the output folder
    uboot.py --defconfig sifive_unleashed [--fragment F] --where  # print it, build nothing

A physical RISC-V board boots U-Boot SPL, which loads OpenSBI and U-Boot from the SD card.
Debian ships neither for the HiFive Unleashed, so this builds them the way U-Boot's
doc/board/sifive/unleashed.rst says: `make <board>_defconfig`, then `make` with OPENSBI set
to Debian's generic fw_dynamic.bin and Debian's riscv64-linux-gnu cross compiler, with the
board's Kconfig fragment (--fragment, `CONFIG_X=...` lines) merged over the defconfig. The source
is Debian's `u-boot` source package, fetched with `apt-get source` through a private apt state
in the cache (a deb-src entry for every Debian deb entry of the host's apt sources), so the
host's apt configuration is not touched and no root is needed once the packages are there.

The cache (INOX_UBOOT_CACHE, else $XDG_CACHE_HOME/inox/u-boot, else ~/.cache/inox/u-boot):

    apt/                              the private apt state (lists, downloaded source)
    src/u-boot-<version>/             the unpacked source, Debian's patches applied
    <defconfig>-<fragment hash>/      the build (O=): spl/u-boot-spl.bin, u-boot.itb,
                                      build.log, and `inox-built` once it is complete

A finished build is not redone while the stamp's OpenSBI version is the installed one; a
Debian update of opensbi rebuilds it from scratch, a changed fragment builds into a new
folder. The folder's name needs nothing installed, so CMake can ask for it (--where) at
configure time on a fresh machine. A lock file serialises builds,
so parallel twister jobs build it once. Errors are one line on stderr and exit status 1.
"""

import argparse
import fcntl
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pylib"))

import inox_setup  # noqa: E402

CROSS_COMPILE = "riscv64-linux-gnu-"
OPENSBI = pathlib.Path("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")

# What building U-Boot needs: program or file -> Debian package.
PROGRAMS = {
    f"{CROSS_COMPILE}gcc": "gcc-riscv64-linux-gnu",
    "make": "make",
    "bison": "bison",
    "flex": "flex",
    "bc": "bc",
    "swig": "swig",
    "dpkg-source": "dpkg-dev",
    "apt-get": "apt",
}
FILES = {
    str(OPENSBI): "opensbi",
    "/usr/include/openssl/ssl.h": "libssl-dev",
    "/usr/include/gnutls/gnutls.h": "libgnutls28-dev",
    "/usr/include/uuid/uuid.h": "uuid-dev",
    "/usr/include/python3.11/Python.h": "python3-dev",
    "/usr/lib/python3/dist-packages/setuptools": "python3-setuptools",
    "/usr/lib/python3/dist-packages/elftools": "python3-pyelftools",
}

# The outputs a build must have made.
OUTPUTS = ("spl/u-boot-spl.bin", "u-boot.itb")
STAMP = "inox-built"


class UbootError(Exception):
    """str() is one line, without 'error:'."""


def cache_dir() -> pathlib.Path:
    if os.environ.get("INOX_UBOOT_CACHE"):
        return pathlib.Path(os.environ["INOX_UBOOT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "inox" / "u-boot"


def package_version(pkg: str) -> str:
    """The installed version of a Debian package, made safe for a folder name."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise UbootError(f"cannot tell the version of Debian package {pkg} (dpkg-query -W {pkg})")
    return re.sub(r"[^A-Za-z0-9.+-]", "_", out.strip())


def build_dir(cache: pathlib.Path, defconfig: str, fragment: str) -> pathlib.Path:
    """The build folder of defconfig with the fragment's text merged over it."""
    digest = hashlib.sha256(fragment.encode()).hexdigest()[:8]
    return cache / f"{defconfig}-{digest}"


def deb_src_entries(apt_etc: pathlib.Path = pathlib.Path("/etc/apt")) -> list[str]:
    """One-line deb-src entries for every Debian `deb` entry of the host's apt sources (both
    the one-line .list and the deb822 .sources formats), keeping their options."""
    entries = []
    lists = [apt_etc / "sources.list", *sorted((apt_etc / "sources.list.d").glob("*.list"))]
    for path in lists:
        if not path.is_file():
            continue
        for line in path.read_text(errors="replace").splitlines():
            words = line.split("#", 1)[0].split()
            if words and words[0] == "deb" and "debian" in line:
                entries.append("deb-src " + " ".join(words[1:]))
    for path in sorted((apt_etc / "sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text(errors="replace")):
            fields = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line or line[0].isspace():
                    continue
                key, value = line.split(":", 1)
                fields[key.strip().lower()] = value.strip()
            if ("deb" not in fields.get("types", "").split()
                    or fields.get("enabled", "yes") == "no"
                    or "debian" not in fields.get("uris", "")):
                continue
            opts = f"[signed-by={fields['signed-by']}] " if "signed-by" in fields else ""
            for uri in fields["uris"].split():
                for suite in fields.get("suites", "").split():
                    entries.append(f"deb-src {opts}{uri} {suite} {fields.get('components', '')}")
    return entries


def run_logged(cmd: list[str], log: pathlib.Path, what: str, **kw) -> None:
    """Runs cmd with its output appended to log; raises UbootError naming what and log."""
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"$ {' '.join(map(str, cmd))}\n")
        f.flush()
        rc = subprocess.run(list(map(str, cmd)), stdout=f, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, **kw).returncode
    if rc != 0:
        raise UbootError(f"{what} failed (exit status {rc}); see {log}")


def fetch_source(cache: pathlib.Path, log: pathlib.Path) -> pathlib.Path:
    """Returns the unpacked u-boot source folder, fetching it with apt-get source first if
    the cache has none."""
    src = cache / "src"
    found = sorted(p for p in src.glob("u-boot-*") if p.is_dir() and (p / "Makefile").exists())
    if found:
        return found[-1]
    entries = deb_src_entries()
    if not entries:
        raise UbootError("no Debian 'deb' entry in /etc/apt/sources.list{,.d} to derive a "
                         "deb-src entry from")
    apt = cache / "apt"
    for d in ("lists/partial", "cache/archives/partial", "sources.list.d"):
        (apt / d).mkdir(parents=True, exist_ok=True)
    (apt / "sources.list").write_text("\n".join(entries) + "\n")
    opts = ["-o", f"Dir::Etc::SourceList={apt / 'sources.list'}",
            "-o", f"Dir::Etc::SourceParts={apt / 'sources.list.d'}",
            "-o", f"Dir::State::Lists={apt / 'lists'}",
            "-o", f"Dir::Cache={apt / 'cache'}"]
    if os.geteuid() == 0:
        # _apt, apt's download user, cannot write into a cache under /root.
        opts += ["-o", "APT::Sandbox::User=root"]
    run_logged(["apt-get", *opts, "update"], log, "apt-get update (deb-src)")
    tmp = cache / "src.tmp"
    if tmp.exists():
        subprocess.run(["rm", "-rf", str(tmp)], check=True)
    tmp.mkdir(parents=True)
    run_logged(["apt-get", *opts, "source", "u-boot"], log, "apt-get source u-boot", cwd=tmp)
    unpacked = [p for p in tmp.glob("u-boot-*") if p.is_dir()]
    if len(unpacked) != 1:
        raise UbootError(f"apt-get source u-boot left {len(unpacked)} source folders in {tmp}")
    src.mkdir(exist_ok=True)
    final = src / unpacked[0].name
    unpacked[0].rename(final)
    subprocess.run(["rm", "-rf", str(tmp)], check=True)
    return final


def build(defconfig: str, fragment: str, jobs: int) -> pathlib.Path:
    """Returns the build folder of defconfig + fragment with OUTPUTS in it, building it if
    needed."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        out = build_dir(cache, defconfig, fragment)
        inox_setup.ensure_extra(PROGRAMS, FILES)
        opensbi = f"opensbi {package_version('opensbi')}"
        stamp = out / STAMP
        if stamp.exists() and stamp.read_text().splitlines()[:1] == [opensbi]:
            return out
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        log = out / "build.log"
        log.write_text("")
        start = time.monotonic()
        src = fetch_source(cache, log)
        make = ["make", "-C", src, f"O={out}", f"CROSS_COMPILE={CROSS_COMPILE}"]
        run_logged([*make, f"{defconfig}_defconfig"], log, f"make {defconfig}_defconfig")
        if fragment:
            with open(out / ".config", "a", encoding="utf-8") as f:
                f.write(fragment)
            run_logged([*make, "olddefconfig"], log, "make olddefconfig (the fragment)")
        run_logged(["nice", "-n", "10", *make, f"OPENSBI={OPENSBI}", f"-j{jobs}"], log,
                   f"building U-Boot for {defconfig}")
        for name in OUTPUTS:
            if not (out / name).is_file():
                raise UbootError(f"the U-Boot build made no {name}; see {log}")
        stamp.write_text(f"{opensbi}\nsource {src.name}\nfirmware {OPENSBI}\n"
                         f"seconds {time.monotonic() - start:.0f}\n")
        return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--defconfig", required=True, help="U-Boot board, e.g. sifive_unleashed")
    p.add_argument("--fragment", type=pathlib.Path,
                   help="Kconfig fragment merged over the defconfig")
    p.add_argument("--where", action="store_true", help="print the output folder only")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args(argv)
    try:
        fragment = args.fragment.read_text() if args.fragment else ""
        if args.where:
            print(build_dir(cache_dir(), args.defconfig, fragment))
        else:
            print(build(args.defconfig, fragment, args.jobs))
    except (UbootError, inox_setup.SetupError) as e:
        print(f"error: u-boot: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: u-boot: {e.filename or 'I/O'}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
