"""The search players' own style per scenario and company (rules/ai_styles.toml).

A search player imagines its own company's future played by the heuristic; with these styles,
found by tools/tune_style.py, it imagines a better player than the baseline heuristic and tries
that player's choice first. The file is validated on load: an unknown field or a value of the
wrong type is an error naming the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from .heuristic import HeuristicStyle

AI_STYLES = "ai_styles.toml"

_TYPES = {f.name: f.type for f in fields(HeuristicStyle)}


class StyleFileError(ValueError):
    """rules/ai_styles.toml is not valid (the message names the file and the key)."""


def parse_styles(data: Mapping[str, object], source: str) -> Mapping[tuple[str, str], HeuristicStyle]:
    """``{scenario: {company: {field: value}}}`` into styles keyed by (scenario, company)."""
    out: dict[tuple[str, str], HeuristicStyle] = {}
    for scenario, companies in data.items():
        if not isinstance(companies, dict):
            raise StyleFileError(f"{source}: [{scenario}] must be a table of companies")
        for company, values in companies.items():
            if not isinstance(values, dict):
                raise StyleFileError(f"{source}: [{scenario}.{company}] must be a table of style fields")
            changes: dict[str, object] = {}
            for key, value in values.items():
                where = f"{source}: {scenario}.{company}.{key}"
                kind = _TYPES.get(key)
                if kind is None:
                    raise StyleFileError(f"{where}: unknown style field (known: {', '.join(_TYPES)})")
                if kind == "bool":
                    if not isinstance(value, bool):
                        raise StyleFileError(f"{where}: must be true or false, got {value!r}")
                elif kind == "int":
                    if isinstance(value, bool) or not isinstance(value, int):
                        raise StyleFileError(f"{where}: must be a whole number, got {value!r}")
                elif isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise StyleFileError(f"{where}: must be a number, got {value!r}")
                changes[key] = float(value) if kind == "float" else value
            out[(scenario, company)] = replace(HeuristicStyle(), **changes)   # type: ignore[arg-type]
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def own_styles() -> Mapping[tuple[str, str], HeuristicStyle]:
    """The styles of rules/ai_styles.toml (none if the file is absent)."""
    from game.paths import RULES_DIR

    path = Path(RULES_DIR) / AI_STYLES
    if not path.exists():
        return MappingProxyType({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise StyleFileError(f"{path}: not valid TOML: {err}") from None
    return parse_styles(data, str(path))


def own_style(scenario: str, company: str) -> HeuristicStyle:
    """A search player's own style in ``scenario`` as ``company``: the tuned one, or else the
    heuristic's default."""
    return own_styles().get((scenario, company), HeuristicStyle())
