# SPDX-License-Identifier: Apache-2.0
"""Test scenarios from testcase.yaml / sample.yaml, and the plan of (scenario, platform) instances.

Filtering is a list of small functions, each returning a reason or None, so that
later filters (device testing) are one more entry. A `filter:` expression that reads only
ARCH, PLATFORM and BOARD is one of them; one that reads Kconfig or the devicetree is decided by
the builder once cmake has configured the instance (filter_verdict()).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import expr
from .platforms import ConfigError
from .statuses import FAILED, TwisterStatus

YAML_NAMES = ("testcase.yaml", "sample.yaml")
DEFAULT_TIMEOUT = 60
# A folder holding this file is not searched (test fixtures of twister itself).
SKIP_MARKER = ".twister-skip"

# Keys whose values are concatenated when `common` and a scenario both set them (as Zephyr does);
# every other key set by a scenario replaces the common one.
LIST_KEYS = ("tags", "extra_configs", "extra_args", "platform_allow", "platform_exclude",
             "integration_platforms", "arch_allow", "arch_exclude", "depends_on", "levels")
KNOWN_KEYS = set(LIST_KEYS) | {"harness", "harness_config", "timeout", "build_only", "min_ram",
                               "record", "skip", "filter", "platform_type", "slow",
                               "sysbuild", "extra_sections", "required_snippets", "modules",
                               "min_flash", "toolchain_allow", "toolchain_exclude", "level",
                               "type", "timeout_multiplier", "ignore_faults", "ignore_qemu_crash",
                               "extra_conf_files", "extra_overlay_confs", "seed", "testcases",
                               "simulation_exclude", "vendor_allow", "vendor_exclude"}

# What a filter can read besides the CONFIG_ symbols of the configured build.
PLATFORM_SYMBOLS = ("ARCH", "PLATFORM", "BOARD")

ZTEST_RE = re.compile(r"\bZTEST(?:_USER)?(?:_F)?\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)")


def as_list(value):
    """A yaml list or a space-separated string, as a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


@dataclass
class Case:
    identifier: str
    status: str = None      # passed / failed / blocked / skipped / not run
    reason: str = None
    time: float = 0.0


@dataclass
class Scenario:
    id: str                 # dotted id from the yaml, e.g. sample.basic.helloworld
    name: str               # as in reports: the id, or with --detailed-test-id path_name
    app_dir: str
    yaml_path: str
    rel_dir: str            # the folder as reports name it (see placement())
    build_rel: str = ""     # where its builds go below OUTDIR/<platform>/ (see placement())
    path_name: str = ""     # <folder>/<id>, which -s also takes
    sample: bool = False
    tags: list = field(default_factory=list)
    platform_allow: list = field(default_factory=list)
    platform_exclude: list = field(default_factory=list)
    integration_platforms: list = field(default_factory=list)
    arch_allow: list = field(default_factory=list)
    arch_exclude: list = field(default_factory=list)
    harness: str = "ztest"
    harness_config: dict = field(default_factory=dict)
    extra_configs: list = field(default_factory=list)
    extra_args: list = field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT
    build_only: bool = False
    min_ram: int = 0
    record: list = field(default_factory=list)      # regexes
    record_as_json: list = field(default_factory=list)  # recorded fields parsed as JSON
    skip: bool = False
    depends_on: list = field(default_factory=list)  # what the platform must support
    slow: bool = False              # run only with --enable-slow
    levels: list = field(default_factory=list)      # test plan levels (--level)
    known_cases: list = field(default_factory=list)  # (suite, name) of the ZTEST()s in the sources
    filter: str = ""                # the `filter:` expression, on one line
    filter_expr: object = None      # it parsed (expr.Expr), or None
    filter_error: str = None        # why it did not parse: the instance's error reason

    @property
    def yaml_shown(self):
        return _yaml_shown(self.yaml_path, self.rel_dir, self.build_rel)

    def case_id(self, suite: str, name: str) -> str:
        """Zephyr's identifier of a ztest case: <scenario>.<suite>.<name without test_>."""
        return f"{self.id}.{suite}.{name.removeprefix('test_')}"

    def case_ids(self):
        if self.harness == "ztest" and self.known_cases:
            return [self.case_id(suite, name) for suite, name in self.known_cases]
        return [self.id]


class Instance:
    """One scenario on one platform, with its result once it has one."""

    def __init__(self, scenario, platform, outdir_root):
        self.scenario = scenario
        self.platform = platform
        self.outdir = os.path.join(outdir_root, platform.normalized, scenario.build_rel,
                                   scenario.id)
        self.built = False        # a retry of a run failure reuses the build
        self.retries = 0
        # Whether it can run here (Zephyr's instance.run): cli.py adjusts it for -b and
        # --device-testing.
        self.runnable = platform.simulated and not scenario.build_only
        self.reset()

    def reset(self):
        self.status = None        # passed / failed / error / skipped / filtered / not run
        self.reason = None
        self.build_time = 0.0
        self.run_time = 0.0
        self.cases = []
        self.recording = []
        self.log = None           # the log that explains a failure
        self.handler = None       # e.g. "qemu", or None if it was not run

    @property
    def name(self):
        return self.scenario.name

    @property
    def key(self):
        return (self.scenario.name, self.platform.identifier)

    def set_result(self, status, reason=None, case_status=None):
        """Set a status for the instance and for every case that has none yet.

        case_status defaults to `blocked` for failures, and to the instance status otherwise.
        """
        self.status = status
        self.reason = reason
        if case_status is None:
            case_status = TwisterStatus.BLOCK \
                if status in FAILED else status
        if not self.cases:
            self.cases = [Case(cid) for cid in self.scenario.case_ids()]
        for case in self.cases:
            if case.status is None:
                case.status = case_status
                case.reason = reason


def _scan_ztest_cases(app_dir):
    """(suite, name) of the ZTEST()s in the app's sources, in order, so that unrun cases can
    be reported."""
    names = []
    for dirpath, dirnames, filenames in os.walk(app_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "build", "twister-out")))
        for fn in sorted(filenames):
            if not fn.endswith((".c", ".cpp")):
                continue
            try:
                with open(os.path.join(dirpath, fn), encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            for m in ZTEST_RE.finditer(text):
                if m.groups() not in names:
                    names.append(m.groups())
    return names


def merge_common(common, scenario):
    """Zephyr's rule: list-like keys are concatenated, every other scenario key wins."""
    merged = dict(common)
    for key, value in scenario.items():
        if key in LIST_KEYS and key in merged:
            merged[key] = as_list(merged[key]) + as_list(value)
        elif key == "filter" and merged.get("filter") and value:
            merged[key] = f"({str(merged['filter']).strip()}) and ({str(value).strip()})"
        else:
            merged[key] = value
    return merged


def _filter_symbol_ok(name):
    return name.startswith("CONFIG_") or name in PLATFORM_SYMBOLS


def _filter_message(text, where, error):
    """`Filter error: <yaml>: <error> at column N in filter "<text>" (expected ...)`."""
    hint = getattr(error, "expected", None)
    return f'Filter error: {where}: {error} in filter "{text}"' + \
        (f" (expected {hint})" if hint else "")


def _parse_filter(value, where):
    """(text, Expr or None, error reason or None) of a scenario's `filter:`; a filter that does
    not parse is not fatal: every instance of the scenario gets the error."""
    if value is None or value == "":
        return "", None, None
    text = str(value).replace("\n", " ").strip()
    try:
        return text, expr.parse(text, _filter_symbol_ok), None
    except expr.ExprError as e:
        return text, None, _filter_message(text, where, e)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def placement(app_dir: str, repo_root: str,
              testsuite_root: str | None = None) -> tuple[str, str]:
    """(rel_dir, build_rel) of a scenario folder, as Zephyr places them.

    Inside the repository both are the folder relative to the repository root. Outside it,
    rel_dir (what reports name) is relative to the testsuite root it was found under, and
    build_rel is its absolute path without the leading '/': a relative path with `..` would
    climb out of OUTDIR/<platform>/, so that every platform shared one build folder."""
    app_dir, repo_root = os.path.realpath(app_dir), os.path.realpath(repo_root)
    if _inside(app_dir, repo_root):
        rel = os.path.relpath(app_dir, repo_root)
        return rel, rel
    root = os.path.realpath(testsuite_root) if testsuite_root else os.path.dirname(app_dir)
    rel = os.path.relpath(app_dir, root) if _inside(app_dir, root) else app_dir.lstrip(os.sep)
    return ("" if rel == "." else rel), app_dir.lstrip(os.sep)


def _yaml_shown(path: str, rel_dir: str, build_rel: str) -> str:
    """A yaml file for messages: relative to the repository, or absolute outside it."""
    return os.path.join(rel_dir, os.path.basename(path)) if rel_dir == build_rel else path


def load_yaml(path: str, repo_root: str, warn=None, testsuite_root: str | None = None,
              detailed: bool = False) -> list[Scenario]:
    """Returns the Scenarios of one testcase.yaml / sample.yaml found under testsuite_root;
    raises ConfigError if malformed. A scenario's name is its dotted id, or with `detailed`
    (--detailed-test-id) <folder>/<id>, as in Zephyr."""
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path}: cannot parse: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("tests"), dict):
        raise ConfigError(f"{path}: needs a `tests:` mapping of scenario ids")
    common = data.get("common") or {}
    if not isinstance(common, dict):
        raise ConfigError(f"{path}: `common:` must be a mapping")
    app_dir = os.path.dirname(os.path.abspath(path))
    rel_dir, build_rel = placement(app_dir, repo_root, testsuite_root)
    known_cases = None
    scenarios = []
    for sid, body in data["tests"].items():
        body = body or {}
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: scenario {sid} must be a mapping")
        merged = merge_common(common, body)
        unknown = sorted(set(merged) - KNOWN_KEYS)
        if unknown and warn:
            warn(f"{path}: {sid}: ignoring unknown key(s) {', '.join(unknown)}")
        harness = merged.get("harness") or "ztest"
        if harness == "test":
            harness = "ztest"
        hcfg = merged.get("harness_config") or {}
        if not isinstance(hcfg, dict):
            raise ConfigError(f"{path}: {sid}: harness_config must be a mapping")
        # Zephyr's place is harness_config: record:; a top-level record: is Inox's older one.
        record = hcfg.get("record") or merged.get("record") or {}
        if not isinstance(record, dict):
            raise ConfigError(f"{path}: {sid}: record must be a mapping with a regex")
        record_re = [record["regex"]] if isinstance(record.get("regex"), str) else \
            as_list(record.get("regex"))
        regexes = [hcfg["regex"]] if isinstance(hcfg.get("regex"), str) else hcfg.get("regex", [])
        for rx in list(regexes or []) + record_re:
            try:
                re.compile(rx)
            except re.error as e:
                raise ConfigError(f"{path}: {sid}: bad regex {rx!r}: {e}") from e
        try:
            timeout = float(merged.get("timeout", DEFAULT_TIMEOUT))
            min_ram = int(merged.get("min_ram", 0) or 0)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{path}: {sid}: {e}") from e
        if harness == "ztest" and known_cases is None:
            known_cases = _scan_ztest_cases(app_dir)
        where = _yaml_shown(path, rel_dir, build_rel)
        filter_text, filter_expr, filter_error = _parse_filter(merged.get("filter"), where)
        scenarios.append(Scenario(
            id=str(sid),
            name=(f"{rel_dir}/{sid}" if rel_dir else str(sid)) if detailed else str(sid),
            path_name=f"{rel_dir}/{sid}" if rel_dir else str(sid),
            app_dir=app_dir,
            yaml_path=path,
            rel_dir=rel_dir,
            build_rel=build_rel,
            sample=os.path.basename(path) == "sample.yaml",
            tags=as_list(merged.get("tags")),
            platform_allow=as_list(merged.get("platform_allow")),
            platform_exclude=as_list(merged.get("platform_exclude")),
            integration_platforms=as_list(merged.get("integration_platforms")),
            arch_allow=as_list(merged.get("arch_allow")),
            arch_exclude=as_list(merged.get("arch_exclude")),
            harness=str(harness),
            harness_config=hcfg,
            extra_configs=as_list(merged.get("extra_configs")),
            extra_args=as_list(merged.get("extra_args")),
            timeout=timeout,
            build_only=bool(merged.get("build_only", False)),
            min_ram=min_ram,
            record=record_re,
            record_as_json=as_list(record.get("as_json")),
            skip=bool(merged.get("skip", False)),
            depends_on=as_list(merged.get("depends_on")),
            slow=bool(merged.get("slow", False)),
            levels=as_list(merged.get("levels")),
            known_cases=list(known_cases or []) if harness == "ztest" else [],
            filter=filter_text,
            filter_expr=filter_expr,
            filter_error=filter_error,
        ))
    return scenarios


def discover(roots: list[str], repo_root: str, warn=None,
             detailed: bool = False) -> list[Scenario]:
    """Every scenario under the roots.

    Like Zephyr, a folder holding a test yaml is not searched deeper."""
    scenarios = []
    seen = {}
    for root in roots:
        if not os.path.isdir(root):
            raise ConfigError(f"testsuite root {root} is not a directory")
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames
                                 if not d.startswith((".", "twister-out")) and d != "__pycache__")
            if SKIP_MARKER in filenames:
                dirnames[:] = []
                continue
            found = [fn for fn in YAML_NAMES if fn in filenames]
            if not found:
                continue
            dirnames[:] = []
            for fn in found:
                for sc in load_yaml(os.path.join(dirpath, fn), repo_root, warn, root,
                                    detailed):
                    if sc.name in seen:
                        raise ConfigError(f"{sc.yaml_path}: scenario {sc.id} already defined in "
                                          f"{seen[sc.name]}")
                    seen[sc.name] = sc.yaml_path
                    scenarios.append(sc)
    return scenarios


# --- filters -----------------------------------------------------------------------------------
# Scenario filters look at the scenario and the command line only; instance filters also look at
# the platform. Each returns the reason the instance is filtered out, or None.

def _f_test(sc, opts):
    if opts.test and not {sc.name, sc.id, sc.path_name} & set(opts.test):
        return "Not selected with --test"
    return None


def _f_tag(sc, opts):
    if opts.tag and not set(opts.tag) & set(sc.tags):
        return "Command line testsuite tag filter"
    return None


def _f_exclude_tag(sc, opts):
    if opts.exclude_tag and set(opts.exclude_tag) & set(sc.tags):
        return "Command line testsuite exclude filter"
    return None


def _f_skip(sc, opts):
    return "Skip filter" if sc.skip else None


def _f_slow(sc: Scenario, opts) -> str | None:
    if sc.slow and not getattr(opts, "enable_slow", False):
        return "Not enabled for slow tests"
    return None


def _f_level(sc: Scenario, opts) -> str | None:
    level = getattr(opts, "level_plan", None)
    if level and not (any(rx.fullmatch(sc.id) for rx in level.adds) or
                      set(sc.levels) & set(level.names)):
        return "Not part of requested test plan"
    return None


SCENARIO_FILTERS = [_f_test, _f_tag, _f_exclude_tag, _f_skip, _f_slow, _f_level]


def _f_platform_allow(sc, plat, opts):
    if sc.platform_allow and plat.identifier not in sc.platform_allow:
        return "Not in testsuite platform allow list"
    return None


def _f_cmdline_platform(sc: Scenario, plat, opts) -> str | None:
    if plat.identifier in (getattr(opts, "exclude_platform", None) or []):
        return "Command line platform exclusion"
    if getattr(opts, "arch", None) and plat.arch not in opts.arch:
        return "Command line testsuite arch filter"
    return None


def _f_depends_on(sc: Scenario, plat, opts) -> str | None:
    if not set(sc.depends_on) <= set(plat.supported):
        return "No hardware support"
    return None


def _f_quarantine(sc: Scenario, plat, opts) -> str | None:
    for entry in getattr(opts, "quarantine", None) or []:
        comment = entry.match(sc, plat)
        if comment is not None:
            return f"Quarantine: {comment}"
    return None


def _f_platform_exclude(sc, plat, opts):
    if plat.identifier in sc.platform_exclude:
        return "In test case platform exclude"
    return None


def _f_integration(sc, plat, opts):
    if getattr(opts, "integration", False) and sc.integration_platforms \
            and plat.identifier not in sc.integration_platforms:
        return "Not part of integration platforms"
    return None


def _f_arch(sc, plat, opts):
    if sc.arch_allow and plat.arch not in sc.arch_allow:
        return "Not in test case arch allow list"
    if plat.arch in sc.arch_exclude:
        return "In test case arch exclude"
    return None


def _f_ram(sc, plat, opts):
    if sc.min_ram and plat.ram and sc.min_ram > plat.ram:
        return "Not enough RAM"
    return None


def _f_ignore_tags(sc, plat, opts):
    if set(plat.ignore_tags) & set(sc.tags):
        return "Excluded tags per platform (ignore_tags)"
    return None


def _f_filter(sc, plat, opts):
    verdict = filter_verdict(sc, plat)
    return verdict[1] if verdict and verdict[0] == TwisterStatus.FILTER else None


INSTANCE_FILTERS = [_f_cmdline_platform, _f_platform_allow, _f_platform_exclude, _f_integration,
                    _f_arch, _f_ram, _f_ignore_tags, _f_depends_on, _f_quarantine, _f_filter]


# --- test plan levels (--level) and quarantine lists (--quarantine-list) -----------------------

@dataclass
class Level:
    """A test plan level of the test config file: the scenario ids it adds (regexes, with
    those of the levels it inherits) and its own and inherited names."""
    names: list[str]
    adds: list[re.Pattern]


def load_level(path: str | Path, name: str) -> Level:
    """The Level `name` of a test config file (Zephyr's tests/test_config.yaml:
    `levels: [{name, adds: [regex...], inherits: [name...]}]`); raises ConfigError."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"--level: cannot read the test config {path}: {e}") from e
    levels = {str(lv.get("name")): lv for lv in data.get("levels") or [] if isinstance(lv, dict)}

    def collect(level: str, seen: set[str]) -> tuple[list[str], list[re.Pattern]]:
        if level not in levels:
            raise ConfigError(f"--level: no level {level!r} in {path} (levels: "
                              f"{', '.join(sorted(levels)) or 'none'})")
        if level in seen:
            return [], []
        seen.add(level)
        names, adds = [level], []
        for rx in as_list(levels[level].get("adds")):
            try:
                adds.append(re.compile(rx))
            except re.error as e:
                raise ConfigError(f"{path}: level {level}: bad regex {rx!r}: {e}") from e
        for parent in as_list(levels[level].get("inherits")):
            more_names, more_adds = collect(parent, seen)
            names += more_names
            adds += more_adds
        return names, adds

    return Level(*collect(name, set()))


@dataclass
class Quarantine:
    """One entry of a quarantine list: scenarios, platforms and architectures are regexes
    (fullmatch, each list empty = all), comment the reason."""
    scenarios: list[re.Pattern]
    platforms: list[re.Pattern]
    architectures: list[re.Pattern]
    comment: str

    def match(self, sc: Scenario, plat) -> str | None:
        def hit(patterns, *names):
            return not patterns or any(rx.fullmatch(n) for rx in patterns for n in names)
        if hit(self.scenarios, sc.id, sc.path_name) and hit(self.platforms, plat.identifier) \
                and hit(self.architectures, plat.arch):
            return self.comment
        return None


def load_quarantine(path: str | Path) -> list[Quarantine]:
    """The entries of a Zephyr quarantine yaml (a list of {scenarios, platforms,
    architectures, comment}); raises ConfigError."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"--quarantine-list: cannot read {path}: {e}") from e
    if not isinstance(data, list):
        raise ConfigError(f"{path}: a quarantine list is a list of entries")
    entries = []
    for item in data:
        if not isinstance(item, dict):
            raise ConfigError(f"{path}: quarantine entry {item!r} is not a mapping")
        try:
            lists = [[re.compile(rx) for rx in as_list(item.get(key))]
                     for key in ("scenarios", "platforms", "architectures")]
        except re.error as e:
            raise ConfigError(f"{path}: bad regex in a quarantine entry: {e}") from e
        entries.append(Quarantine(*lists, str(item.get("comment") or "NA")))
    return entries


# --- the `filter:` expression ------------------------------------------------------------------

def platform_env(plat):
    """The filter symbols known without configuring: ARCH, PLATFORM (the identifier) and BOARD
    (the identifier without its qualifiers)."""
    return {"ARCH": plat.arch, "PLATFORM": plat.identifier,
            "BOARD": plat.identifier.split("/")[0]}


def needs_build(filter_expr):
    """Whether a filter reads Kconfig or the devicetree, known only once cmake has run."""
    return bool(filter_expr.functions) or any(s.startswith("CONFIG_")
                                              for s in filter_expr.symbols)


def read_dotconfig(path):
    """{CONFIG_X: value} of a .config: `y`, numbers as written, strings without their quotes
    and escapes. `# CONFIG_X is not set` leaves CONFIG_X out, as in Zephyr. Raises OSError."""
    config = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            name, eq, value = line.rstrip("\n").partition("=")
            if not (eq and name.startswith("CONFIG_")):
                continue
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            config[name] = value
    return config


def _dt_ident(name):
    """gen_defines' identifier rule: lowercase, every non-alphanumeric becomes '_'."""
    return "".join(c if c.isalnum() else "_" for c in name.lower())


class BuildDevicetree:
    """Answers the dt_*() filter functions from a configured build's devicetree_generated.h,
    which has a macro for every fact they ask about. Raises OSError if it is missing."""

    def __init__(self, path):
        self.defines = {}
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"#define\s+(\w+)(?:\s+(.*))?$", line.strip())
                if m:
                    self.defines[m.group(1)] = (m.group(2) or "").strip()

    def _okay(self, node):
        return node is not None and f"{node}_STATUS_okay" in self.defines

    def compat_enabled(self, compat):
        return f"DT_COMPAT_HAS_OKAY_{_dt_ident(compat)}" in self.defines

    def nodelabel_enabled(self, label):
        return self._okay(self.defines.get(f"DT_N_NODELABEL_{_dt_ident(label)}"))

    def chosen_enabled(self, name):
        return self._okay(self.defines.get(f"DT_CHOSEN_{_dt_ident(name)}"))

    def alias_exists(self, alias):
        return self._okay(self.defines.get(f"DT_N_ALIAS_{_dt_ident(alias)}"))


def filter_verdict(sc, plat, build_dir=None):
    """The scenario's `filter:` on this platform: None to keep the instance, else
    ("filtered", "Filter: <expression>") or ("error", "Filter error: ...").

    Without build_dir only what is known before configuring is decided: a syntax error, and
    filters on ARCH/PLATFORM/BOARD alone; a filter on Kconfig or the devicetree gives None.
    With build_dir (configured by cmake) its inox/.config and devicetree are read."""
    if sc.filter_error:
        return TwisterStatus.ERROR, sc.filter_error
    if sc.filter_expr is None or (build_dir is None and needs_build(sc.filter_expr)):
        return None
    where = sc.yaml_shown
    env = platform_env(plat)
    dt = None
    try:
        if build_dir is not None:
            env.update(read_dotconfig(os.path.join(build_dir, "inox", ".config")))
            if sc.filter_expr.functions:
                dt = BuildDevicetree(os.path.join(build_dir, "inox", "include", "generated",
                                                  "devicetree_generated.h"))
        keep = sc.filter_expr.evaluate(env, dt)
    except OSError as e:
        return TwisterStatus.ERROR, _filter_message(sc.filter, where,
                                        f"cannot read {e.filename}: {e.strerror}")
    except expr.ExprError as e:
        return TwisterStatus.ERROR, _filter_message(sc.filter, where, e)
    return None if keep else (TwisterStatus.FILTER, f"Filter: {sc.filter}")


def select_scenarios(scenarios, opts):
    """The scenarios the scenario-level filters keep (used by --list-tests)."""
    return [sc for sc in scenarios if not any(f(sc, opts) for f in SCENARIO_FILTERS)]


def plan(scenarios, platforms, opts, outdir):
    """Returns (instances, filtered): the instances to run and the ones filtered out.

    Without -p the platforms are those with `testing: default: true`. With -G a scenario that
    names integration_platforms runs on those.
    """
    if opts.platform:
        unknown = [p for p in opts.platform if p not in platforms]
        if unknown:
            raise ConfigError(f"unknown platform(s) {', '.join(unknown)}; known: "
                              f"{', '.join(sorted(platforms)) or 'none'}")
        chosen = [platforms[p] for p in dict.fromkeys(opts.platform)]
    else:
        chosen = [p for p in platforms.values() if p.default]
    if opts.test:
        names = {n for sc in scenarios for n in (sc.name, sc.id, sc.path_name)}
        missing = [t for t in opts.test if t not in names]
        if missing:
            raise ConfigError(f"no such test scenario(s): {', '.join(missing)}")

    instances, filtered = [], []
    for sc in scenarios:
        plats = chosen
        if getattr(opts, "integration", False) and sc.integration_platforms and not opts.platform:
            plats = [platforms[p] for p in sc.integration_platforms if p in platforms]
        sreason = next((r for r in (f(sc, opts) for f in SCENARIO_FILTERS) if r), None)
        for plat in plats:
            inst = Instance(sc, plat, outdir)
            reason = sreason or next(
                (r for r in (f(sc, plat, opts) for f in INSTANCE_FILTERS) if r), None)
            if not reason and getattr(opts, "test_only", False):
                reason = _built_filter_reason(sc, plat, inst.outdir)
            if reason:
                inst.set_result(TwisterStatus.FILTER, reason, case_status=TwisterStatus.FILTER)
                filtered.append(inst)
            else:
                instances.append(inst)
    _check_outdirs(instances + filtered)
    instances.sort(key=lambda i: (i.platform.identifier, i.name))
    if opts.subset:
        instances = subset(instances, *opts.subset)
    return instances, filtered


def _check_outdirs(instances: list[Instance]) -> None:
    """Two configurations in one folder would overwrite each other's build and pass each
    other's test: refuse the plan instead."""
    seen = {}
    for inst in instances:
        other = seen.setdefault(os.path.normpath(inst.outdir), inst)
        if other is not inst:
            raise ConfigError(f"{inst.name} on {inst.platform.identifier} and {other.name} on "
                              f"{other.platform.identifier} would share the build folder "
                              f"{inst.outdir}")


def _built_filter_reason(sc, plat, build_dir):
    """--test-only: the filter of an instance configured by an earlier run, on its .config,
    so that what that run filtered out is not run now."""
    if sc.filter_expr is None or not needs_build(sc.filter_expr) or \
            not os.path.exists(os.path.join(build_dir, "inox", ".config")):
        return None
    verdict = filter_verdict(sc, plat, build_dir)
    return verdict[1] if verdict and verdict[0] == TwisterStatus.FILTER else None


def subset(instances, m, n):
    """The M-th of N contiguous, near-equal slices of the sorted instances (1-based, as -B M/N)."""
    total = len(instances)
    return instances[(m - 1) * total // n: m * total // n]
