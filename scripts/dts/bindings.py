# SPDX-License-Identifier: Apache-2.0
"""Devicetree bindings: the YAML files that say what a compatible's node holds.

A subset of Zephyr's binding schema (doc/devicetree.md lists it). Every *.yaml
under every bindings directory is loaded, so a malformed file is reported even
when no node uses it; files without a `compatible` are only there to be
included (base.yaml).
"""

import os

import yaml

PROP_TYPES = ("int", "array", "uint8-array", "string", "string-array", "boolean",
              "phandle", "phandles", "phandle-array", "compound")
PROP_KEYS = ("type", "required", "description", "default", "enum", "const",
             "deprecated", "specifier-space")
TOP_KEYS = ("description", "compatible", "include", "properties", "child-binding",
            "bus", "on-bus", "title", "node-path")


class DTError(Exception):
    """One user-facing devicetree error; main() prints it as a single line."""


class Binding:
    """A loaded binding with its includes merged in.

    path: the file; compatible: str or None; props: name -> spec dict
    (type, required, default, enum, const, ...); cells: "interrupt" ->
    ["irq"] from `interrupt-cells:` and friends; child: Binding or None;
    files: every YAML file this binding was built from.
    """

    def __init__(self, path, compatible, description, props, cells, child, files):
        self.path = path
        self.compatible = compatible
        self.description = description
        self.props = props
        self.cells = cells
        self.child = child
        self.files = files

    @property
    def name(self):
        return self.compatible or os.path.basename(self.path)


def _load_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise DTError(f"{where}: malformed binding YAML: {problem}") from None
    except OSError as e:
        raise DTError(f"{path}: cannot read binding: {e.strerror}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DTError(f"{path}: malformed binding: top level must be a mapping")
    return data


def _check_props(path, props, where="properties"):
    if props is None:
        return {}
    if not isinstance(props, dict):
        raise DTError(f"{path}: malformed binding: '{where}' must be a mapping")
    for name, spec in props.items():
        if not isinstance(spec, dict):
            raise DTError(f"{path}: malformed binding: property \"{name}\" must be a mapping")
        for key in spec:
            if key not in PROP_KEYS:
                raise DTError(f"{path}: malformed binding: property \"{name}\" has unknown "
                              f"key '{key}' (known: {', '.join(PROP_KEYS)})")
        if "type" in spec and spec["type"] not in PROP_TYPES:
            raise DTError(f"{path}: malformed binding: property \"{name}\" has unknown type "
                          f"'{spec['type']}' (known: {', '.join(PROP_TYPES)})")
        if not isinstance(spec.get("required", False), bool):
            raise DTError(f"{path}: malformed binding: property \"{name}\": "
                          f"'required' must be true or false")
        if "enum" in spec and not isinstance(spec["enum"], list):
            raise DTError(f"{path}: malformed binding: property \"{name}\": 'enum' must be a list")
    return props


def _check_top(path, data):
    for key, val in data.items():
        if key.endswith("-cells"):
            if not (isinstance(val, list) and all(isinstance(v, str) for v in val)):
                raise DTError(f"{path}: malformed binding: '{key}' must be a list of names")
        elif key not in TOP_KEYS:
            raise DTError(f"{path}: malformed binding: unknown key '{key}'")
    if "compatible" in data and not isinstance(data["compatible"], str):
        raise DTError(f"{path}: malformed binding: 'compatible' must be one string")
    if "child-binding" in data and not isinstance(data["child-binding"], dict):
        raise DTError(f"{path}: malformed binding: 'child-binding' must be a mapping")


def _display(path):
    """A path relative to the working directory when it is below it, for messages."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


class BindingSet:
    """Every binding in the bindings directories, by compatible."""

    def __init__(self, dirs):
        self.dirs = [os.path.abspath(d) for d in dirs]
        self.display_dirs = [_display(d) for d in self.dirs]
        self.by_file = {}       # basename -> absolute path (first dir wins)
        self.raw = {}           # absolute path -> parsed YAML
        self.by_compat = {}     # compatible -> Binding
        self.by_path = {}       # node path -> Binding, for nodes without a compatible (/cpus)
        for d in self.dirs:
            if not os.path.isdir(d):
                raise DTError(f"{d}: bindings directory does not exist")
            for root, subdirs, files in os.walk(d):
                subdirs.sort()
                for fn in sorted(files):
                    if fn.endswith((".yaml", ".yml")):
                        path = os.path.join(root, fn)
                        self.by_file.setdefault(fn, path)
                        self.raw[path] = _load_yaml(path)
        for path, data in self.raw.items():
            _check_top(path, data)
        for path, data in self.raw.items():
            node_path = data.get("node-path")
            if node_path is not None:
                if "compatible" in data or not isinstance(node_path, str):
                    raise DTError(f"{path}: malformed binding: 'node-path' must be one string, "
                                  f"and excludes 'compatible'")
                self.by_path[node_path] = self._build(path, data, [path])
                continue
            compat = data.get("compatible")
            if compat is None:
                continue
            if compat in self.by_compat:
                raise DTError(f"{path}: duplicate binding for compatible \"{compat}\" "
                              f"(also in {self.by_compat[compat].path})")
            self.by_compat[compat] = self._build(path, data, [path])

    def files(self):
        """Every YAML file read: all of them decide Kconfig.dts."""
        return list(self.raw)

    def _include_path(self, path, name):
        if os.path.isabs(name) and os.path.exists(name):
            return name
        found = self.by_file.get(os.path.basename(name))
        if not found:
            raise DTError(f"{path}: included binding '{name}' not found in "
                          f"{', '.join(self.dirs)}")
        return found

    def _includes(self, path, data):
        inc = data.get("include", [])
        if isinstance(inc, (str, dict)):
            inc = [inc]
        if not isinstance(inc, list):
            raise DTError(f"{path}: malformed binding: 'include' must be a file name or a list")
        out = []
        for item in inc:
            allow = block = None
            if isinstance(item, dict):
                name = item.get("name")
                allow = item.get("property-allowlist")
                block = item.get("property-blocklist")
            else:
                name = item
            if not isinstance(name, str):
                raise DTError(f"{path}: malformed binding: bad 'include' entry {item!r}")
            out.append((self._include_path(path, name), allow, block))
        return out

    def _build(self, path, data, stack):
        """Merge includes (depth first, in order) under this file's own keys."""
        props, cells, child_raw, files = {}, {}, {}, [path]
        for inc_path, allow, block in self._includes(path, data):
            if inc_path in stack:
                raise DTError(f"{path}: binding include cycle through {inc_path}")
            inc = self._build(inc_path, self.raw[inc_path], stack + [inc_path])
            for name, spec in inc.props.items():
                if allow is not None and name not in allow:
                    continue
                if block is not None and name in block:
                    continue
                props[name] = dict(spec)
            cells.update(inc.cells)
            child_raw.update(self.raw[inc_path].get("child-binding") or {})
            files += [f for f in inc.files if f not in files]
        for name, spec in _check_props(path, data.get("properties")).items():
            merged = props.get(name, {})
            merged.update(spec)
            props[name] = merged
        for name, spec in props.items():
            if "type" not in spec:
                raise DTError(f"{path}: malformed binding: property \"{name}\" has no 'type'")
        cells.update({k[:-len("-cells")]: v for k, v in data.items() if k.endswith("-cells")})
        child_raw.update(data.get("child-binding") or {})
        child = None
        if child_raw:
            _check_top(path, child_raw)
            child = self._build(path, child_raw, stack)
        return Binding(path, data.get("compatible"), data.get("description"), props, cells,
                       child, files)
