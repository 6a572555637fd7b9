"""UI strings in Chinese and English, from rules/ui.toml, validated on load.

>>> ui = load_ui_texts()
>>> ui.t("menu.file", "en")
'&File'
>>> ui.t("status.actions_left", "en", left=2, total=3)
'Actions left: 2 / 3'

Every key must have a non-empty ``zh`` and ``en`` and both must use the same ``{placeholders}``;
problems are reported together with the key and reason, like the rules loader does.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.paths import RULES_DIR

LANGS = ("zh", "en")
DEFAULT_PATH = RULES_DIR / "ui.toml"


class UiTextError(ValueError):
    """rules/ui.toml is broken; ``problems`` lists every (key, reason)."""

    def __init__(self, path: Path, problems: list[tuple[str, str]]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {path.name}: {key}: {reason}" for key, reason in problems)
        super().__init__(f"{len(problems)} problem(s) in {path}:\n{lines}")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class UiTexts:
    """Every UI string by dotted key (``section.name``), in both languages."""

    path: Path
    table: Mapping[str, Mapping[str, str]]

    def t(self, key: str, lang: str, **params: Any) -> str:
        """The string of ``key`` in ``lang``, with ``params`` filled in.

        An unknown key raises KeyError: a typo should fail the tests, not show up on a projector.
        """
        entry = self.table[key]
        text = entry.get(lang) or entry["en"]
        return text.format(**params) if params else text

    def key_label(self, key: str, lang: str) -> str:
        """A keyboard key as shown on a button ("Return" reads as Enter / 回车)."""
        entry = self.table.get(f"key.{key}")
        return entry.get(lang, key) if entry else key

    def keys(self) -> list[str]:
        return sorted(self.table)


def _flatten(data: dict, prefix: str, out: dict, problems: list) -> None:
    for name, value in data.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and set(value) & set(LANGS):
            out[key] = value
        elif isinstance(value, dict):
            _flatten(value, key, out, problems)
        else:
            problems.append((key, f"must be a table {{ zh = ..., en = ... }}, not {value!r}"))


def load_ui_texts(path: str | Path | None = None) -> UiTexts:
    """Read and validate the UI strings; raises :class:`UiTextError` listing every problem."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UiTextError(path, [("(file)", str(exc))]) from None
    flat: dict[str, dict] = {}
    problems: list[tuple[str, str]] = []
    _flatten(data, "", flat, problems)
    for key, entry in flat.items():
        extra = set(entry) - set(LANGS)
        if extra:
            problems.append((key, f"unknown language(s) {', '.join(sorted(extra))}"))
        for lang in LANGS:
            value = entry.get(lang)
            if not isinstance(value, str) or not value.strip():
                problems.append((key, f"missing or empty '{lang}' text"))
        if all(isinstance(entry.get(lang), str) for lang in LANGS):
            try:
                zh, en = _fields(entry["zh"]), _fields(entry["en"])
            except ValueError as exc:
                problems.append((key, f"bad {{placeholder}}: {exc}"))
                continue
            if zh != en:
                problems.append((key, f"zh uses {sorted(zh)} but en uses {sorted(en)}"))
    if problems:
        raise UiTextError(path, problems)
    return UiTexts(path, {k: dict(v) for k, v in flat.items()})


_CACHE: dict[Path, UiTexts] = {}


def ui_texts(path: str | Path | None = None) -> UiTexts:
    """The validated UI strings, loaded once per path."""
    p = Path(path) if path is not None else DEFAULT_PATH
    if p not in _CACHE:
        _CACHE[p] = load_ui_texts(p)
    return _CACHE[p]
