# SPDX-License-Identifier: Apache-2.0
"""The extended devicetree: a DTB read back with libfdt, joined to its bindings.

Builds Node objects (path, labels, properties, binding, reg, interrupts,
phandle arrays), numbers instances per compatible and checks every node
against its binding. Every problem is raised as DTError, one line.
"""

import re
import struct

import libfdt

from bindings import DTError

# Properties that get macros on every node, binding or not, with their types.
BASE_PROPS = {"reg": "array", "interrupts": "array", "status": "string",
              "compatible": "string-array", "device_type": "string"}


def str2ident(s):
    """Zephyr's identifier rule: lowercase, every non-alphanumeric becomes '_'."""
    return "".join(c if c.isalnum() else "_" for c in s.lower())


def _cells(val):
    return list(struct.unpack(f">{len(val) // 4}I", val))


def _strings(val):
    return bytes(val[:-1]).decode("utf-8", "replace").split("\0")


def _is_string_list(val):
    return len(val) > 0 and val[-1] == 0 and b"\0\0" not in bytes(val) and val[0] != 0


def specifier_space(prop):
    """'clocks' -> 'clock', 'foo-gpios' -> 'gpio', 'interrupts-extended' -> 'interrupt'."""
    if prop == "interrupts-extended":
        return "interrupt"
    if prop.endswith("gpios"):
        return "gpio"
    if prop.endswith("es") and prop[:-2].endswith(("x", "ch", "sh")):
        return prop[:-2]
    return prop[:-1] if prop.endswith("s") else prop


class Reg:
    def __init__(self, addr, size, name=None):
        self.addr, self.size, self.name = addr, size, name


class Spec:
    """One entry of a phandle-array: the node it points at and named cells."""

    def __init__(self, controller, cells, name=None):
        self.controller, self.cells, self.name = controller, cells, name


class Node:
    def __init__(self, edt, path, name, parent):
        self.edt = edt
        self.path = path
        self.name = name                    # full name with unit address
        self.parent = parent
        self.children = []
        self.props = {}                     # name -> bytes, in DTB order
        self.labels = []
        self.binding = None
        self.matched_compat = None
        self.regs = []
        self.irqs = []
        self.values = {}                    # prop name -> (type, decoded value)
        self.ord = 0                        # dependency ordinal (EDT._order)
        self.requires = []
        self.supports = []

    def __repr__(self):
        return f"<Node {self.path}>"

    @property
    def ident(self):
        if self.path == "/":
            return "DT_N"
        return "DT_N" + "".join("_S_" + str2ident(c) for c in self.path.split("/")[1:])

    @property
    def compats(self):
        val = self.props.get("compatible")
        return _strings(val) if val and _is_string_list(val) else []

    @property
    def status(self):
        val = self.props.get("status")
        if val is None:
            return "okay"
        s = _strings(val)[0] if _is_string_list(val) else "?"
        return "okay" if s == "ok" else s

    @property
    def okay(self):
        return self.status == "okay"

    @property
    def device_type(self):
        val = self.props.get("device_type")
        return _strings(val)[0] if val and _is_string_list(val) else None

    def cell_count(self, name, default=None):
        val = self.props.get(name)
        if val is None:
            return default
        if len(val) != 4:
            raise self.err(f"property \"{name}\" should be int (4 bytes), got {len(val)} bytes")
        return _cells(val)[0]

    def err(self, msg):
        """A DTError about this node. A message about one of its properties (`property "x"
        ...`) starts with the file and line that set the property, as dtc's do."""
        m = re.match(r'property "([^"]+)"', msg)
        where = self.edt.locations.get((self.path, m.group(1))) if m else None
        return DTError(f"{where + ': ' if where else ''}{self.path}: {msg}")


class EDT:
    """The whole tree. nodes: every node in DTB (pre-)order; by_path; labels."""

    def __init__(self, dtb, bindings, locations=None):
        """locations: {(node path, property): "file:line"} where each property was set."""
        self.bindings = bindings
        self.locations = locations or {}
        try:
            self.fdt = libfdt.Fdt(dtb)
        except libfdt.FdtException as e:
            raise DTError(f"cannot read the DTB: {e}") from None
        self.nodes = []
        self.by_path = {}
        self.by_phandle = {}
        self.root = self._read(0, "/", "", None)
        self.labels = {}
        self.aliases = {}
        self.chosen = {}
        self.used_bindings = set()
        self._read_symbols()
        for node in self.nodes:
            ph = node.props.get("phandle")
            if ph is not None and len(ph) == 4:
                self.by_phandle[_cells(ph)[0]] = node
        self._read_aliases_chosen()
        for node in self.nodes:
            self._bind(node)
        for node in self.nodes:
            self._check(node)
        for node in self.nodes:
            node.regs = self._regs(node)
            node.irqs = self._irqs(node)
        self._number_instances()
        self._order()

    # -- reading -----------------------------------------------------------------

    def _read(self, off, path, name, parent):
        fdt = self.fdt
        node = Node(self, path, name, parent)
        self.nodes.append(node)
        self.by_path[path] = node
        poff = fdt.first_property_offset(off, [libfdt.FDT_ERR_NOTFOUND])
        while poff >= 0:
            prop = fdt.get_property_by_offset(poff)
            node.props[prop.name] = bytes(prop)
            poff = fdt.next_property_offset(poff, [libfdt.FDT_ERR_NOTFOUND])
        sub = fdt.first_subnode(off, [libfdt.FDT_ERR_NOTFOUND])
        while sub >= 0:
            cname = fdt.get_name(sub)
            if not (parent is None and cname == "__symbols__"):
                cpath = ("" if path == "/" else path) + "/" + cname
                node.children.append(self._read(sub, cpath, cname, node))
            sub = fdt.next_subnode(sub, [libfdt.FDT_ERR_NOTFOUND])
        return node

    def _read_symbols(self):
        off = self.fdt.path_offset("/__symbols__", [libfdt.FDT_ERR_NOTFOUND])
        if off < 0:
            return
        poff = self.fdt.first_property_offset(off, [libfdt.FDT_ERR_NOTFOUND])
        while poff >= 0:
            prop = self.fdt.get_property_by_offset(poff)
            target = self.by_path.get(prop.as_str())
            if target is not None:
                self.labels[prop.name] = target
                target.labels.append(prop.name)
            poff = self.fdt.next_property_offset(poff, [libfdt.FDT_ERR_NOTFOUND])

    def _resolve_ref(self, val):
        """A chosen/alias value: a path string, an alias, or a phandle. None if neither."""
        if _is_string_list(val) and len(_strings(val)) == 1:
            s = _strings(val)[0].split(":")[0]     # stdout-path = "serial0:115200n8"
            if s.startswith("/"):
                return self.by_path.get(s)
            if s in self.aliases:
                return self.aliases[s]
        if len(val) == 4:
            return self.by_phandle.get(_cells(val)[0])
        return None

    def _read_aliases_chosen(self):
        aliases = self.by_path.get("/aliases")
        if aliases:
            for name, val in aliases.props.items():
                if name == "phandle":
                    continue
                target = self._resolve_ref(val)
                if target is None:
                    raise DTError(f"/aliases: alias \"{name}\" does not point at a node")
                self.aliases[name] = target
        chosen = self.by_path.get("/chosen")
        if chosen:
            for name, val in chosen.props.items():
                target = self._resolve_ref(val)
                if target is not None:
                    self.chosen[name] = target
                elif name.startswith("inox,"):
                    raise DTError(f"/chosen: property \"{name}\" does not point at a node "
                                  f"(use &label or a path)")

    # -- bindings ----------------------------------------------------------------

    def _bind(self, node):
        compats = node.compats
        for compat in compats:
            b = self.bindings.by_compat.get(compat)
            if b is not None:
                node.binding, node.matched_compat = b, compat
                break
        else:
            if compats and node.okay and node.parent is not None:
                dirs = ", ".join(self.bindings.display_dirs)
                raise node.err(f"no binding for compatible \"{compats[0]}\" (searched {dirs})")
            if not compats and node.path in self.bindings.by_path:
                node.binding = self.bindings.by_path[node.path]
            elif not compats and node.parent is not None and node.parent.binding is not None:
                node.binding = node.parent.binding.child
        if node.binding is not None:
            self.used_bindings.update(node.binding.files)

    def _phandle_target(self, node, prop, ph):
        target = self.by_phandle.get(ph)
        if target is None:
            raise node.err(f"property \"{prop}\" has phandle {ph:#x}, which is no node")
        return target

    def _check(self, node):
        """Type, enum and const checks; required only on okay nodes."""
        self._check_binding(node)
        for name, typ in BASE_PROPS.items():
            if name in node.props and name not in node.values:
                node.values[name] = (typ, self._decode(node, name, typ, node.props[name]), False)

    def _check_binding(self, node):
        if not node.binding:
            return
        bname = node.binding.name
        for name, spec in node.binding.props.items():
            val = node.props.get(name)
            if val is None:
                if spec.get("required") and node.okay:
                    raise node.err(f"property \"{name}\" is required by binding \"{bname}\" "
                                   f"but missing")
                if "default" in spec:
                    node.values[name] = (spec["type"], spec["default"], True)
                elif spec["type"] == "boolean":
                    node.values[name] = ("boolean", False, False)    # DT_PROP() is 0
                continue
            value = self._decode(node, name, spec["type"], val)
            node.values[name] = (spec["type"], value, False)
            if "const" in spec and value != spec["const"]:
                raise node.err(f"property \"{name}\" must be {spec['const']!r} "
                               f"(binding \"{bname}\"), got {value!r}")
            if "enum" in spec:
                items = value if isinstance(value, list) else [value]
                for v in items:
                    if v not in spec["enum"]:
                        raise node.err(f"property \"{name}\" is {v!r}, not one of "
                                       f"{spec['enum']!r} (binding \"{bname}\")")

    def _decode(self, node, name, typ, val):
        def wrong(what):
            return node.err(f"property \"{name}\" should be {what}, got {len(val)} bytes")

        if typ == "int":
            if len(val) != 4:
                raise wrong("int (4 bytes)")
            return _cells(val)[0]
        if typ in ("array", "phandles", "phandle-array"):
            if len(val) % 4:
                raise wrong(f"{typ} (a multiple of 4 bytes)")
            cells = _cells(val)
            if typ == "array":
                return cells
            if typ == "phandles":
                return [self._phandle_target(node, name, c) for c in cells]
            return self._phandle_array(node, name, cells)
        if typ == "uint8-array":
            return list(val)
        if typ == "string":
            if not _is_string_list(val) or len(_strings(val)) != 1:
                raise wrong("one NUL-terminated string")
            return _strings(val)[0]
        if typ == "string-array":
            if not _is_string_list(val):
                raise wrong("NUL-separated strings")
            return _strings(val)
        if typ == "boolean":
            if len(val):
                raise wrong("boolean (empty)")
            return True
        if typ == "phandle":
            if len(val) != 4:
                raise wrong("phandle (4 bytes)")
            return self._phandle_target(node, name, _cells(val)[0])
        return val                                   # compound: anything goes

    def _phandle_array(self, node, name, cells):
        space = specifier_space(name)
        names_prop = name[:-1] + "-names" if name.endswith("s") else None
        names = []
        if names_prop and _is_string_list(node.props.get(names_prop, b"")):
            names = _strings(node.props[names_prop])
        out, i = [], 0
        while i < len(cells):
            target = self._phandle_target(node, name, cells[i])
            n = target.cell_count(f"#{space}-cells")
            if n is None:
                raise node.err(f"property \"{name}\" points at {target.path}, which has no "
                               f"\"#{space}-cells\"")
            if i + 1 + n > len(cells):
                raise node.err(f"property \"{name}\" ends inside the specifier for "
                               f"{target.path} (#{space}-cells = {n})")
            vals = cells[i + 1:i + 1 + n]
            out.append(Spec(target, dict(zip(self._cell_names(target, space, n), vals)),
                            names[len(out)] if len(out) < len(names) else None))
            i += 1 + n
        return out

    def _cell_names(self, ctrl, space, n):
        b = ctrl.binding
        names = b.cells.get(space) if b else None
        if names is None:
            names = (["irq"] if space == "interrupt" else []) + \
                    [f"cell{i}" for i in range(1 if space == "interrupt" else 0, n)]
        if len(names) != n:
            raise ctrl.err(f"binding \"{b.name}\" names {len(names)} {space}-cells but "
                           f"#{space}-cells is {n}")
        return names

    # -- reg and interrupts ------------------------------------------------------

    def _regs(self, node):
        val = node.props.get("reg")
        if val is None:
            return []
        parent = node.parent
        na = parent.cell_count("#address-cells", 2) if parent else 2
        ns = parent.cell_count("#size-cells", 1) if parent else 1
        if len(val) % 4 or na + ns == 0 or len(val) % (4 * (na + ns)):
            raise node.err(f"property \"reg\" should be entries of {na} address + {ns} size "
                           f"cells (#address-cells/#size-cells of {parent.path}), "
                           f"got {len(val)} bytes")
        cells = _cells(val)
        names = []
        if _is_string_list(node.props.get("reg-names", b"")):
            names = _strings(node.props["reg-names"])
        out = []
        for i in range(0, len(cells), na + ns):
            addr = size = 0
            for c in cells[i:i + na]:
                addr = addr << 32 | c
            for c in cells[i + na:i + na + ns]:
                size = size << 32 | c
            idx = len(out)
            out.append(Reg(addr, size if ns else None, names[idx] if idx < len(names) else None))
        return out

    def _interrupt_parent(self, node):
        n = node
        while n is not None:
            ph = n.props.get("interrupt-parent")
            if ph is not None:
                if len(ph) != 4:
                    raise n.err("property \"interrupt-parent\" should be phandle (4 bytes), "
                                f"got {len(ph)} bytes")
                return self._phandle_target(n, "interrupt-parent", _cells(ph)[0])
            n = n.parent
        return None

    def _irqs(self, node):
        """interrupts-extended wins over interrupts, as the spec says."""
        if "interrupts-extended" in node.props:
            val = node.props["interrupts-extended"]
            if len(val) % 4:
                raise node.err(f"property \"interrupts-extended\" should be phandle-array "
                               f"(a multiple of 4 bytes), got {len(val)} bytes")
            return self._phandle_array(node, "interrupts-extended", _cells(val))
        val = node.props.get("interrupts")
        if val is None:
            return []
        if len(val) % 4:
            raise node.err(f"property \"interrupts\" should be array (a multiple of 4 bytes), "
                           f"got {len(val)} bytes")
        ctrl = self._interrupt_parent(node)
        if ctrl is None:
            raise node.err("has \"interrupts\" but no interrupt-parent")
        n = ctrl.cell_count("#interrupt-cells")
        if not n:
            raise node.err(f"interrupt parent {ctrl.path} has no \"#interrupt-cells\"")
        cells = _cells(val)
        if len(cells) % n:
            raise node.err(f"property \"interrupts\" has {len(cells)} cells, not a multiple of "
                           f"#interrupt-cells = {n} of {ctrl.path}")
        names = []
        if _is_string_list(node.props.get("interrupt-names", b"")):
            names = _strings(node.props["interrupt-names"])
        cnames = self._cell_names(ctrl, "interrupt", n)
        out = []
        for i in range(0, len(cells), n):
            idx = len(out)
            out.append(Spec(ctrl, dict(zip(cnames, cells[i:i + n])),
                            names[idx] if idx < len(names) else None))
        return out

    # -- dependency ordinals ------------------------------------------------------

    @staticmethod
    def _requires(node):
        """The nodes `node` depends on, as in Zephyr: its parent, every node a phandle,
        phandles or phandle-array property points at, and its interrupt controllers."""
        deps = [node.parent] if node.parent is not None else []
        for typ, value, _ in node.values.values():
            if typ == "phandle":
                deps.append(value)
            elif typ == "phandles":
                deps += value
            elif typ == "phandle-array":
                deps += [spec.controller for spec in value]
        deps += [irq.controller for irq in node.irqs]
        return list(dict.fromkeys(d for d in deps if d is not node))

    def _order(self):
        """Gives each node `ord`, a dependency ordinal: every node it requires has a smaller
        one (parents before children, providers before users; otherwise tree order), and
        `requires`/`supports` (the nodes it depends on and those that depend on it)."""
        index = {node: i for i, node in enumerate(self.nodes)}
        for node in self.nodes:
            node.requires = sorted(self._requires(node), key=index.get)
            node.supports = []
        for node in self.nodes:
            for dep in node.requires:
                dep.supports.append(node)
        order, state = [], {}

        def visit(node, chain):
            if state.get(node) == "done":
                return
            if state.get(node) == "visiting":
                cycle = " -> ".join(n.path for n in chain[chain.index(node):] + [node])
                raise DTError(f"dependency cycle: {cycle}")
            state[node] = "visiting"
            for dep in node.requires:
                visit(dep, chain + [node])
            state[node] = "done"
            order.append(node)

        for node in self.nodes:
            visit(node, [])
        for i, node in enumerate(order):
            node.ord = i
        for node in self.nodes:
            node.requires.sort(key=lambda n: n.ord)
            node.supports.sort(key=lambda n: n.ord)

    # -- instances ---------------------------------------------------------------

    def _number_instances(self):
        """Per compatible: okay nodes first, then the rest, each in tree order."""
        self.compat2nodes = {}
        for node in self.nodes:
            for compat in node.compats:
                self.compat2nodes.setdefault(compat, []).append(node)
        for compat, nodes in self.compat2nodes.items():
            nodes.sort(key=lambda n: not n.okay)            # stable: keeps tree order
        self.compat2okay = {c: [n for n in ns if n.okay] for c, ns in self.compat2nodes.items()}

    def instance(self, node, compat):
        return self.compat2nodes[compat].index(node)
