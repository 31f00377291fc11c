#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turn a board's devicetree into DT_* macros and DT_HAS_* Kconfig symbols.

    gen_dts.py --dts BOARD.dts [--overlay FILE ...] --include-dir DIR ...
               --bindings-dir DIR ... --out-dir BUILD/inox

Writes, under --out-dir: inox.dts.in (board + overlays), inox.dts.pre (after
cpp), inox.dtb, inox.dts (merged, for humans), dts.deps (every input file),
include/generated/devicetree_generated.h and Kconfig.dts. Every error is one
line on stderr starting with "error: devicetree: " and exit status 1.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import inox_python; inox_python.ensure(("libfdt", "yaml"))  # noqa: E402,E702

import argparse  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bindings import BindingSet, DTError  # noqa: E402
from edt import EDT  # noqa: E402
import gen_defines  # noqa: E402

# dtc checks that only flag style in our dts files, not mistakes (Linux turns the
# same ones off by default: interrupt_provider wants #address-cells on every
# interrupt controller, which only matters to interrupt-map, unused here).
DTC_FLAGS = ("-Wno-unit_address_vs_reg", "-Wno-simple_bus_reg",
             "-Wno-avoid_unnecessary_addr_size", "-Wno-interrupt_provider")
# dtc checks that find real mistakes (a reg of the wrong length, a phandle to a
# node without #clock-cells): errors, so the message names the dts file:line.
DTC_ERRORS = tuple("-E" + c for c in (
    "reg_format", "ranges_format", "interrupts_property", "interrupts_extended_property",
    "clocks_property", "gpios_property", "dmas_property", "pwms_property", "resets_property",
    "phys_property", "mboxes_property"))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dts", required=True, help="the board's .dts file")
    p.add_argument("--overlay", action="append", default=[],
                   help="an overlay applied after the board dts (repeatable, in order)")
    p.add_argument("--include-dir", action="append", default=[],
                   help="a directory searched by #include <...> (repeatable)")
    p.add_argument("--bindings-dir", action="append", default=[], required=True,
                   help="a directory of binding YAML files (repeatable)")
    p.add_argument("--out-dir", required=True, help="where the outputs go (BUILD/inox)")
    p.add_argument("--dtc", default="dtc", help=argparse.SUPPRESS)
    p.add_argument("--cpp", default="cpp", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def write_if_changed(path, text):
    """Leave an unchanged output's timestamp alone, so nothing rebuilds for nothing."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def run(cmd, what):
    try:
        return subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise DTError(f"cannot run {what} ({cmd[0]}): {e.strerror}") from None


def first_error(text, marker):
    """The tool's own error lines (those that name file:line), else its first line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    hits = [ln for ln in lines if marker in ln]
    return hits or lines[:1] or ["failed with no message"]


def preprocess(args, out):
    for path in [args.dts] + args.overlay:
        if not os.path.isfile(path):
            raise DTError(f"{path}: no such devicetree file")
    sources = [os.path.abspath(p) for p in [args.dts] + args.overlay]
    dts_in = os.path.join(out, "inox.dts.in")
    write_if_changed(dts_in, "".join(f'#include "{p}"\n' for p in sources))
    pre = os.path.join(out, "inox.dts.pre")
    depfile = os.path.join(out, "inox.dts.d")
    cmd = [args.cpp, "-nostdinc", "-undef", "-D__DTS__", "-x", "assembler-with-cpp",
           *[f"-I{os.path.abspath(d)}" for d in args.include_dir],
           "-MD", "-MF", depfile, "-o", pre, dts_in]
    res = run(cmd, "the C preprocessor")
    if res.returncode:
        raise DTError(re.sub(r" (fatal )?error:", "", first_error(res.stderr, "error")[0], 1))
    return pre, sources + read_depfile(depfile)


def read_depfile(path):
    with open(path, encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    _, _, deps = text.partition(": ")
    files = [d.replace("\\ ", " ") for d in re.split(r"(?<!\\)\s+", deps) if d]
    return [os.path.abspath(d) for d in files if not d.endswith("inox.dts.in")]


def at_end_of_source(line, sources):
    """dtc blames inox.dts.in when a source ends inside a block: the error then sits on the
    #include line of that source (line N includes sources[N-1]). Names the source instead."""
    m = re.match(r"(?P<file>\S*inox\.dts\.in):(?P<line>\d+)[\d.-]*:?\s*(?P<what>.*)", line)
    if not m:
        return line
    source = sources[min(int(m["line"]), len(sources)) - 1]
    return (f"{source}: {m['what'] or 'syntax error'} at the end of the file "
            "(an unclosed '{' or a missing ';'?)")


def compile_dts(args, pre, out, sources):
    dtb = os.path.join(out, "inox.dtb")
    res = run([args.dtc, "-@", "-I", "dts", "-O", "dtb", *DTC_FLAGS, *DTC_ERRORS, "-o", dtb, pre],
              "dtc")
    if res.returncode:
        # "Error: file:line.col-col syntax error" or "file:line.col: ERROR (check): ...",
        # then a summary line that says nothing new.
        lines = [ln[len("Error: "):] if ln.startswith("Error: ") else ln
                 for ln in res.stderr.splitlines()
                 if ln.startswith("Error: ") or ": ERROR (" in ln]
        lines = [at_end_of_source(ln, sources) for ln in lines or first_error(res.stderr, "ERROR")]
        raise DTError(lines[0] + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""))
    warnings = []
    for ln in res.stderr.splitlines():
        if ln.startswith((" ", "\t")) and warnings:      # "  also defined at ..."
            warnings[-1] += "; " + ln.strip()
        elif ln.strip():
            warnings.append(ln.replace("Warning ", "", 1))
    for w in warnings:
        print(f"warning: devicetree: {w}", file=sys.stderr)
    res = run([args.dtc, "-I", "dts", "-O", "dts", *DTC_FLAGS, "-q", "-o",
               os.path.join(out, "inox.dts"), pre], "dtc")
    if res.returncode:
        raise DTError(first_error(res.stderr, "Error")[0])
    with open(dtb, "rb") as f:
        return f.read()


def property_locations(args, pre):
    """{(node path, property): "file:line"}: where each property was last set, from dtc's
    annotated output (-T), so that an error about a property can name its line."""
    res = run([args.dtc, "-I", "dts", "-O", "dts", *DTC_FLAGS, "-q", "-T", pre], "dtc")
    if res.returncode:
        return {}
    # dtc names the files relative to the folder of the file it read.
    return {key: os.path.normpath(os.path.join(os.path.dirname(pre), where))
            for key, where in parse_annotations(res.stdout).items()}


LABELS = r"(?:[\w.+,-]+:\s+)*"
NODE_RE = re.compile(rf"{LABELS}([^\s{{}};=]+)\s*\{{")
PROP_RE = re.compile(rf"{LABELS}([^\s=;{{}}]+)\s*(?:=.*)?;\s*/\*\s*(.*?)\s*\*/$")


def parse_annotations(text):
    locations, stack = {}, []
    for line in text.splitlines():
        line = line.strip()
        node = NODE_RE.match(line)
        if node:
            stack.append(node.group(1))
        elif line.startswith("};"):
            stack.pop()
        else:
            prop = PROP_RE.match(line)
            if prop and stack:
                path = "/" + "/".join(stack[1:])
                locations[(path, prop.group(1))] = prop.group(2).split(", ")[-1]
    return locations


def main(argv=None):
    args = parse_args(argv)
    out = os.path.abspath(args.out_dir)
    os.makedirs(os.path.join(out, "include", "generated"), exist_ok=True)
    bindings = BindingSet(args.bindings_dir)
    pre, deps = preprocess(args, out)
    dtb = compile_dts(args, pre, out, deps[:len(args.overlay) + 1])
    edt = EDT(dtb, bindings, property_locations(args, pre))
    source = os.path.basename(args.dts)
    write_if_changed(os.path.join(out, "include", "generated", "devicetree_generated.h"),
                     gen_defines.header(edt, source))
    write_if_changed(os.path.join(out, "Kconfig.dts"), gen_defines.kconfig(edt, source))
    seen = []
    for d in deps + bindings.files():
        if d not in seen:
            seen.append(d)
    write_if_changed(os.path.join(out, "dts.deps"), "".join(d + "\n" for d in seen))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DTError as e:
        print(f"error: devicetree: {e}", file=sys.stderr)
        sys.exit(1)
    except (OSError, ValueError, UnicodeError) as e:
        print(f"error: devicetree: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    except Exception as e:  # a bug here must still not bury the build log in a traceback
        print(f"error: devicetree: internal error in gen_dts.py: {type(e).__name__}: {e}",
              file=sys.stderr)
        sys.exit(1)
