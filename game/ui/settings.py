"""Typed reads of the app's settings: a hand-edited or damaged settings file never stops the app.

Every value is checked for its type and range; a bad one gives the default and a line in
:attr:`SettingsReader.problems`, which the window shows once at start.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSettings


class SettingsReader:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self.problems: list[str] = []
        if settings.status() == QSettings.Status.FormatError:
            self.problems.append(f"{settings.fileName()}: not a settings file")

    def _raw(self, key: str) -> Any:
        try:
            return self.settings.value(key)
        except Exception:  # noqa: BLE001 - a value Qt cannot convert must not stop the app
            return object()

    def _bad(self, key: str, raw: Any, default: Any, why: str) -> Any:
        shown = repr(raw) if isinstance(raw, (str, int, float, bool)) else type(raw).__name__
        if len(shown) > 40:
            shown = shown[:37] + "..."
        line = f"{key} = {shown} ({why}; using {default})"
        if line not in self.problems:     # read again later: said once
            self.problems.append(line)
        return default

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        raw = self._raw(key)
        if raw is None:
            return default
        try:
            value = float(raw)
        except (TypeError, ValueError):
            return self._bad(key, raw, default, "not a number")
        if not math.isfinite(value) or not lo <= value <= hi:
            return self._bad(key, raw, default, f"not between {lo:g} and {hi:g}")
        return value

    def integer(self, key: str, default: int, lo: int, hi: int) -> int:
        raw = self._raw(key)
        if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
            raw = int(raw)
        if raw is not None and not isinstance(raw, int):
            try:
                raw = float(raw)
            except (TypeError, ValueError):
                return self._bad(key, raw, default, "not a whole number")
            if not math.isfinite(raw) or raw != int(raw):
                return self._bad(key, raw, default, "not a whole number")
        if raw is None:
            return default
        if not lo <= int(raw) <= hi:
            return self._bad(key, raw, default, f"not between {lo} and {hi}")
        return int(raw)

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self._raw(key)
        if raw is None:
            return default
        if raw not in choices:
            return self._bad(key, raw, default, f"not one of {', '.join(choices)}")
        return str(raw)

    def flag(self, key: str, default: bool) -> bool:
        raw = self._raw(key)
        if raw is None:
            return default
        if raw in (True, "true", "True", "1", 1):
            return True
        if raw in (False, "false", "False", "0", 0):
            return False
        return self._bad(key, raw, default, "not true or false")
