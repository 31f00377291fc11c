# SPDX-License-Identifier: Apache-2.0
"""Write devicetree_generated.h (DT_* token macros) and Kconfig.dts from an EDT.

The macro shapes follow Zephyr's gen_defines.py so include/inox/devicetree.h
can paste node identifiers and property names into them; doc/devicetree.md
lists every one.
"""

from edt import str2ident, Spec

HEADER_GUARD = "INOX_DEVICETREE_GENERATED_H_"


def c_string(s):
    out = []
    for ch in s:
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7f:
            out.append(ch)
        else:
            out.extend(f"\\{b:03o}" for b in ch.encode("utf-8"))
    return '"' + "".join(out) + '"'


def _hex(v):
    return f"{v:#x}"


class _Out:
    def __init__(self):
        self.lines = []

    def define(self, name, value=""):
        self.lines.append(f"#define {name} {value}".rstrip())

    def comment(self, text):
        self.lines.append(f"/* {text} */")

    def blank(self):
        self.lines.append("")


def _fn_list(items, fmt):
    return " ".join(fmt.format(i) for i in items)


def _string_macros(o, name, s):
    o.define(name, c_string(s))
    o.define(name + "_STRING_UNQUOTED", s if s.strip() and "\n" not in s else "")
    tok = str2ident(s)
    if tok and not tok[0].isdigit():
        o.define(name + "_STRING_TOKEN", tok)
        o.define(name + "_STRING_UPPER_TOKEN", tok.upper())


def _foreach_macros(o, name, fn, args):
    """NAME(fn), NAME_VARGS(fn, ...), NAME_SEP(fn, sep) and NAME_SEP_VARGS(fn, sep, ...):
    fn(arg) for each of args; sep is parenthesised, as Zephyr's (,) or (;)."""
    o.define(f"{name}({fn})", _fn_list(args, fn + "({})"))
    o.define(f"{name}_VARGS({fn}, ...)", _fn_list(args, fn + "({}, __VA_ARGS__)"))
    o.define(f"{name}_SEP({fn}, sep)",
             " Z_DT_DEBRACKET sep ".join(f"{fn}({a})" for a in args))
    o.define(f"{name}_SEP_VARGS({fn}, sep, ...)",
             " Z_DT_DEBRACKET sep ".join(f"{fn}({a}, __VA_ARGS__)" for a in args))


def _spec_macros(o, base, specs):
    """Entries of a phandle-array (or interrupts): _IDX_n_PH and _IDX_n_VAL_<cell>."""
    o.define(base + "_LEN", len(specs))
    for i, spec in enumerate(specs):
        o.define(f"{base}_IDX_{i}_EXISTS", 1)
        o.define(f"{base}_IDX_{i}_PH", spec.controller.ident)
        for cname, val in spec.cells.items():
            o.define(f"{base}_IDX_{i}_VAL_{str2ident(cname)}", val)
            o.define(f"{base}_IDX_{i}_VAL_{str2ident(cname)}_EXISTS", 1)
        if spec.name:
            nm = str2ident(spec.name)
            o.define(f"{base}_NAME_{nm}_PH", spec.controller.ident)
            for cname, val in spec.cells.items():
                o.define(f"{base}_NAME_{nm}_VAL_{str2ident(cname)}", val)


def _prop_macros(o, node, name, typ, value, enum):
    pid = str2ident(name)
    base = f"{node.ident}_P_{pid}"
    if typ == "boolean":
        o.define(base, 1 if value else 0)
        if value:
            o.define(base + "_EXISTS", 1)
        return
    o.define(base + "_EXISTS", 1)
    if typ == "int":
        o.define(base, value)
        if enum and value in enum:
            o.define(base + "_ENUM_IDX", enum.index(value))
    elif typ == "string":
        _string_macros(o, base, value)
        if enum and value in enum:
            o.define(base + "_ENUM_IDX", enum.index(value))
    elif typ in ("array", "uint8-array", "string-array"):
        if typ == "string-array":
            items = [c_string(v) for v in value]
        elif typ == "uint8-array":
            items = [f"{v:#04x}" for v in value]
        else:
            items = [str(v) for v in value]
        o.define(base, "{" + ", ".join(items) + "}")
        o.define(base + "_LEN", len(value))
        for i, v in enumerate(value):
            if typ == "string-array":
                _string_macros(o, f"{base}_IDX_{i}", v)
            else:
                o.define(f"{base}_IDX_{i}", items[i])
            o.define(f"{base}_IDX_{i}_EXISTS", 1)
        if value:
            o.define(base + "_LAST_IDX", len(value) - 1)
        _foreach_macros(o, base + "_FOREACH_PROP_ELEM", "fn",
                        [f"{node.ident}, {pid}, {i}" for i in range(len(value))])
    elif typ == "phandle":
        o.define(base, value.ident)
        _spec_macros(o, base, [Spec(value, {})])
    elif typ == "phandles":
        _spec_macros(o, base, [Spec(v, {}) for v in value])
    elif typ == "phandle-array":
        _spec_macros(o, base, value)
    # compound: existence only


def _node_macros(o, edt, node):
    nid = node.ident
    labels = ", ".join(node.labels) or "none"
    bname = node.binding.name if node.binding else "none"
    o.comment(f"Node {node.path} (labels: {labels}; binding: {bname})")
    o.define(nid + "_EXISTS", 1)
    o.define(nid + "_PATH", c_string(node.path))
    o.define(nid + "_FULL_NAME", c_string(node.name or "/"))
    o.define(nid + "_NODE_NAME", c_string((node.name or "/").split("@")[0]))
    if node.parent is not None:
        o.define(nid + "_PARENT", node.parent.ident)
        o.define(nid + "_CHILD_IDX", node.parent.children.index(node))
    o.define(nid + "_ORD", node.ord)
    o.define(nid + "_ORD_STR_SORTABLE", f"{node.ord:05}")
    o.define(nid + "_REQUIRES_ORDS", "".join(f"{d.ord}, " for d in node.requires).rstrip())
    o.define(nid + "_SUPPORTS_ORDS", "".join(f"{d.ord}, " for d in node.supports).rstrip())
    o.define(nid + "_NODELABEL_NUM", len(node.labels))
    _foreach_macros(o, nid + "_FOREACH_NODELABEL", "fn", node.labels)
    okay_children = [c for c in node.children if c.okay]
    for suffix, kids in (("", node.children), ("_STATUS_OKAY", okay_children)):
        o.define(f"{nid}_CHILD_NUM{suffix}", len(kids))
        _foreach_macros(o, f"{nid}_FOREACH_CHILD{suffix}", "fn", [k.ident for k in kids])
    o.define(f"{nid}_STATUS_{str2ident(node.status)}", 1)
    for compat in node.compats:
        o.define(f"{nid}_COMPAT_MATCHES_{str2ident(compat)}", 1)
    if node.regs:
        o.define(nid + "_REG_NUM", len(node.regs))
        for i, reg in enumerate(node.regs):
            o.define(f"{nid}_REG_IDX_{i}_EXISTS", 1)
            o.define(f"{nid}_REG_IDX_{i}_VAL_ADDRESS", _hex(reg.addr))
            if reg.size is not None:
                o.define(f"{nid}_REG_IDX_{i}_VAL_SIZE", _hex(reg.size))
            if reg.name:
                nm = str2ident(reg.name)
                o.define(f"{nid}_REG_NAME_{nm}_EXISTS", 1)
                o.define(f"{nid}_REG_NAME_{nm}_VAL_ADDRESS", _hex(reg.addr))
                if reg.size is not None:
                    o.define(f"{nid}_REG_NAME_{nm}_VAL_SIZE", _hex(reg.size))
    else:
        o.define(nid + "_REG_NUM", 0)
    o.define(nid + "_IRQ_NUM", len(node.irqs))
    for i, irq in enumerate(node.irqs):
        o.define(f"{nid}_IRQ_IDX_{i}_EXISTS", 1)
        o.define(f"{nid}_IRQ_IDX_{i}_CONTROLLER", irq.controller.ident)
        for cname, val in irq.cells.items():
            o.define(f"{nid}_IRQ_IDX_{i}_VAL_{str2ident(cname)}", val)
            o.define(f"{nid}_IRQ_IDX_{i}_VAL_{str2ident(cname)}_EXISTS", 1)
        if irq.name:
            nm = str2ident(irq.name)
            o.define(f"{nid}_IRQ_NAME_{nm}_EXISTS", 1)
            o.define(f"{nid}_IRQ_NAME_{nm}_CONTROLLER", irq.controller.ident)
            for cname, val in irq.cells.items():
                o.define(f"{nid}_IRQ_NAME_{nm}_VAL_{str2ident(cname)}", val)
    props = node.binding.props if node.binding else {}
    for name, (typ, value, _dflt) in node.values.items():
        _prop_macros(o, node, name, typ, value, props.get(name, {}).get("enum"))
    o.blank()


def header(edt, source):
    o = _Out()
    o.lines += [
        f"/* Generated by scripts/dts/gen_dts.py from {source}: do not edit. */",
        "/* Use it through <inox/devicetree.h>, never directly. */",
        f"#ifndef {HEADER_GUARD}",
        f"#define {HEADER_GUARD}",
        "",
    ]
    for node in edt.nodes:
        _node_macros(o, edt, node)

    o.comment("Node labels, aliases and /chosen")
    for label, node in sorted(edt.labels.items()):
        o.define(f"DT_N_NODELABEL_{str2ident(label)}", node.ident)
        o.define(f"DT_N_NODELABEL_{str2ident(label)}_EXISTS", 1)
    for alias, node in sorted(edt.aliases.items()):
        o.define(f"DT_N_ALIAS_{str2ident(alias)}", node.ident)
        o.define(f"DT_N_ALIAS_{str2ident(alias)}_EXISTS", 1)
    for name, node in sorted(edt.chosen.items()):
        o.define(f"DT_CHOSEN_{str2ident(name)}", node.ident)
        o.define(f"DT_CHOSEN_{str2ident(name)}_EXISTS", 1)
    o.blank()

    o.comment("Instances per compatible: okay nodes first, each group in tree order")
    for compat in sorted(edt.compat2nodes):
        cid = str2ident(compat)
        nodes, okay = edt.compat2nodes[compat], edt.compat2okay[compat]
        for i, node in enumerate(nodes):
            o.define(f"DT_N_INST_{i}_{cid}", node.ident)
            o.define(f"DT_N_INST_{i}_{cid}_EXISTS", 1)
        o.define(f"DT_N_INST_{cid}_NUM_OKAY", len(okay))
        if okay:
            o.define(f"DT_COMPAT_HAS_OKAY_{cid}", 1)
            o.define(f"DT_FOREACH_OKAY_{cid}(fn)", _fn_list(okay, "fn({0.ident})"))
            o.define(f"DT_FOREACH_OKAY_VARGS_{cid}(fn, ...)",
                     _fn_list(okay, "fn({0.ident}, __VA_ARGS__)"))
            o.define(f"DT_FOREACH_OKAY_INST_{cid}(fn)", _fn_list(range(len(okay)), "fn({})"))
            o.define(f"DT_FOREACH_OKAY_INST_VARGS_{cid}(fn, ...)",
                     _fn_list(range(len(okay)), "fn({}, __VA_ARGS__)"))
    o.blank()

    o.comment("Every node, and every okay node, in dependency order (DT_FOREACH_NODE)")
    by_ord = sorted(edt.nodes, key=lambda n: n.ord)
    _foreach_macros(o, "DT_FOREACH_HELPER", "fn", [n.ident for n in by_ord])
    _foreach_macros(o, "DT_FOREACH_OKAY_HELPER", "fn", [n.ident for n in by_ord if n.okay])
    o.blank()

    memory = [n for n in edt.nodes if n.okay and n.device_type == "memory"]
    o.comment("Okay nodes with device_type = \"memory\" (RAM banks), in tree order")
    o.define("DT_FOREACH_MEMORY(fn)", _fn_list(memory, "fn({0.ident})"))
    o.define("DT_MEMORY_NUM", len(memory))
    o.blank()
    o.lines.append(f"#endif /* {HEADER_GUARD} */")
    return "\n".join(o.lines) + "\n"


def kconfig_ident(compat):
    return "".join(c if c.isalnum() else "_" for c in compat.upper())


def num_cpus(edt):
    """Okay cpu nodes that have an MMU (harts that can run S-mode Inox)."""
    return sum(1 for n in edt.nodes
               if n.okay and n.device_type == "cpu" and "mmu-type" in n.props)


def kconfig(edt, source):
    lines = [f"# Generated by scripts/dts/gen_dts.py from {source}: do not edit.", ""]
    for compat in sorted(edt.bindings.by_compat):
        enabled = bool(edt.compat2okay.get(compat))
        lines += [f"config DT_HAS_{kconfig_ident(compat)}_ENABLED",
                  f"\tdef_bool {'y' if enabled else 'n'}",
                  "\thelp",
                  f"\t  An okay devicetree node is compatible with \"{compat}\".",
                  ""]
    lines += ["config DT_NUM_CPUS",
              "\tint",
              f"\tdefault {num_cpus(edt)}",
              "\thelp",
              "\t  Okay cpu nodes with an mmu-type: the harts that can run Inox.",
              ""]
    return "\n".join(lines)
