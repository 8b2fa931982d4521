"""Read the register (data/register/*.yaml) into validated records, collecting every problem."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from geo.errors import Problem
from geo.paths import REGISTER_DIR
from geo.evidence.schema import Incident, Site
from geo.writing import unreadable_reason


class _TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's C parser where PyYAML has it: ten times faster) that leaves dates as text,
    so pydantic reports 2019-02-30 against its field."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Register:
    incidents: list[Incident] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)   # record id -> file it came from
    problems: list[Problem] = field(default_factory=list)


def _location(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(record)"


def read_register_file(path: Path, label: str | None = None) -> tuple[list, list[Problem]]:
    """The records of one register file as YAML data, or the problems that stop it being read: not
    a regular file (a FIFO would block), not UTF-8, not YAML, not a list, or a key given twice in a
    record (YAML would silently keep the last one)."""
    label = label or _display(path)
    why = unreadable_reason(path)
    if why:
        return [], [Problem(label, "-", "-", f"{why}; remove it or rename it so that it does not end in .yaml")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(label, "-", "-", f"cannot be read ({exc.strerror})")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [], [Problem(label, "-", "-", "is UTF-16 text: save it as UTF-8")]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return [], [Problem(label, "-", "-", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}): "
                                             "save it as UTF-8")]
    try:
        root = yaml.compose(text, Loader=_TextDatesLoader)
        problems = [Problem(label, record, key, message) for record, key, message in _duplicate_keys(root)]
        items = yaml.load(text, Loader=_TextDatesLoader) or []
    except yaml.YAMLError as exc:
        return [], [Problem(label, "-", "-", f"not valid YAML: {' '.join(str(exc).split())}")]
    if problems:
        return [], problems
    if not isinstance(items, list):
        return [], [Problem(label, "-", "-", "the file must be a YAML list of records")]
    return items, []


def _duplicate_keys(root) -> list[tuple[str, str, str]]:
    """(record, key path, message) for every mapping in the document that repeats a key."""
    found = []

    def walk(node, record: str, where: str) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                path = f"{where}.{name}" if where else name
                if name in seen:
                    found.append((record, path, f"the key {name!r} is given twice (lines {seen[name]} and "
                                                f"{key.start_mark.line + 1}): keep one"))
                else:
                    seen[name] = key.start_mark.line + 1
                walk(value, record, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, record, f"{where}[{index}]")

    if isinstance(root, yaml.SequenceNode):
        for index, item in enumerate(root.value):
            record = f"record #{index + 1}"
            if isinstance(item, yaml.MappingNode):
                record = next((v.value for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == "id"
                               and isinstance(v, yaml.ScalarNode)), record)
            walk(item, record, "")
    elif root is not None:
        walk(root, "-", "")
    return found


def load_register(register_dir: Path = REGISTER_DIR) -> Register:
    """Incidents come from incidents-*.yaml, sites from sites*.yaml; each file is a YAML list."""
    register = Register()
    files = sorted(register_dir.glob("*.yaml"))
    if not files:
        register.problems.append(Problem(str(register_dir), "-", "-", "no register files (*.yaml) found"))
    for path in files:
        model = Site if path.name.startswith("sites") else Incident
        label = _display(path)
        items, problems = read_register_file(path, label)
        register.problems += problems
        for index, item in enumerate(items):
            record_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(record_id, str):   # a list or mapping as id: pydantic names the field
                record_id = None
            name = record_id or f"record #{index + 1}"
            if record_id in register.origin:
                register.problems.append(Problem(label, name, "id",
                                                 f"duplicate id (also in {register.origin[record_id]})"))
                continue
            try:
                record = model.model_validate(item)
            except ValidationError as exc:
                for error in exc.errors():
                    register.problems.append(Problem(label, name, _location(error), error["msg"]))
                continue
            register.origin[record.id] = label
            (register.sites if model is Site else register.incidents).append(record)
    return register


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
