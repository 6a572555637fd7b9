"""Per-company play of the computer players (rules/ai_styles.toml).

Two tables:

- ``[heuristic.COMPANY]``: the heuristic's habits for one company, set on top of its thresholds
  (seed-jittered or fixed) in every scenario. A habit that helps one seat can hurt another: the
  quick conversion first (``quick_wins``) is what ByteDance needs before its ban and what
  delays Tencent's loop.
- ``[search.SCENARIO.COMPANY]``: a search player's own style (normal, hard): the heuristic it
  imagines playing its own company in its rollouts, and whose choice it tries first. Found by
  tools/tune_style.py against two heuristics; a complete style (the habits do not apply).

The file is validated on load: an unknown field or a value of the wrong type is an error
naming the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from .style import HeuristicStyle

AI_STYLES = "ai_styles.toml"

_TYPES = {f.name: f.type for f in fields(HeuristicStyle) if f.name != "habits"}


class StyleFileError(ValueError):
    """rules/ai_styles.toml is not valid (the message names the file and the key)."""


class Styles:
    """The parsed file: habits by company, own styles by (scenario, company)."""

    def __init__(self, habits: Mapping[str, Mapping[str, object]],
                 own: Mapping[tuple[str, str], HeuristicStyle]):
        self.habits = MappingProxyType({k: MappingProxyType(dict(v)) for k, v in habits.items()})
        self.own = MappingProxyType(dict(own))


def _table(values: object, where: str) -> dict[str, object]:
    """One table of style fields, checked: ``{field: value}`` with the field's type."""
    if not isinstance(values, dict):
        raise StyleFileError(f"[{where}] must be a table of style fields")
    changes: dict[str, object] = {}
    for key, value in values.items():
        at = f"{where}.{key}"
        kind = _TYPES.get(key)
        if kind is None:
            raise StyleFileError(f"{at}: unknown style field (known: {', '.join(_TYPES)})")
        if kind == "bool":
            if not isinstance(value, bool):
                raise StyleFileError(f"{at}: must be true or false, got {value!r}")
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise StyleFileError(f"{at}: must be a whole number, got {value!r}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StyleFileError(f"{at}: must be a number, got {value!r}")
        changes[key] = float(value) if kind == "float" else value
    return changes


def _tables(data: object, where: str) -> dict[str, object]:
    if not isinstance(data, dict):
        raise StyleFileError(f"[{where}] must be a table")
    return data


def parse_styles(data: Mapping[str, object], source: str) -> Styles:
    """The file's contents (``heuristic`` and ``search`` tables) into :class:`Styles`; an error
    names ``source`` and the key."""
    try:
        unknown = sorted(set(data) - {"heuristic", "search"})
        if unknown:
            raise StyleFileError(f"[{unknown[0]}]: unknown table (known: heuristic, search)")
        habits = {company: _table(values, f"heuristic.{company}")
                  for company, values in _tables(data.get("heuristic", {}), "heuristic").items()}
        own: dict[tuple[str, str], HeuristicStyle] = {}
        for scenario, companies in _tables(data.get("search", {}), "search").items():
            for company, values in _tables(companies, f"search.{scenario}").items():
                changes = _table(values, f"search.{scenario}.{company}")
                own[(scenario, company)] = replace(HeuristicStyle(habits=False), **changes)  # type: ignore[arg-type]
    except StyleFileError as err:
        raise StyleFileError(f"{source}: {err}") from None
    return Styles(habits, own)


@lru_cache(maxsize=8)
def styles(rules_dir: str | None = None) -> Styles:
    """The styles of ``rules_dir``'s ai_styles.toml (the game's own rules folder by default; none
    if the folder has no such file). A rules folder is read once (cached)."""
    from game.paths import RULES_DIR

    path = Path(rules_dir if rules_dir is not None else RULES_DIR) / AI_STYLES
    if not path.exists():
        return Styles({}, {})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise StyleFileError(f"{path}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise StyleFileError(f"{path}: cannot be read: {err}") from None
    return parse_styles(data, str(path))


def heuristic_habits(rules_dir: str | None = None) -> Mapping[str, Mapping[str, object]]:
    """The heuristic's habits by company (fields set on top of its thresholds)."""
    return styles(rules_dir).habits


def own_style(scenario: str, company: str, rules_dir: str | None = None) -> HeuristicStyle:
    """A search player's own style in ``scenario`` as ``company``: the tuned one, or else the
    heuristic's default (with the company's habits)."""
    return styles(rules_dir).own.get((scenario, company), HeuristicStyle())
