"""Read the register (data/register/*.yaml) into validated records, collecting every problem."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from geo.errors import Problem
from geo.paths import REGISTER_DIR
from geo.evidence.schema import Incident, Site


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic reports 2019-02-30 against its field."""


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


def load_register(register_dir: Path = REGISTER_DIR) -> Register:
    """Incidents come from incidents-*.yaml, sites from sites*.yaml; each file is a YAML list."""
    register = Register()
    files = sorted(register_dir.glob("*.yaml"))
    if not files:
        register.problems.append(Problem(str(register_dir), "-", "-", "no register files (*.yaml) found"))
    for path in files:
        model = Site if path.name.startswith("sites") else Incident
        label = _display(path)
        try:
            items = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDatesLoader) or []
        except yaml.YAMLError as exc:
            register.problems.append(Problem(label, "-", "-", f"not valid YAML: {exc}"))
            continue
        if not isinstance(items, list):
            register.problems.append(Problem(label, "-", "-", "the file must be a YAML list of records"))
            continue
        for index, item in enumerate(items):
            record_id = item.get("id") if isinstance(item, dict) else None
            name = str(record_id or f"record #{index + 1}")
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
