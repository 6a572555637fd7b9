"""Predict, then reveal (issue 14, item 3): each team enters its forecast before play or at a
chosen quarter; the save keeps them in ``meta["forecasts"]`` and the debrief and the report
score them (:mod:`game.debrief.forecasts`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from game.engine import GameState

from .i18n import ui_texts


class ForecastDialog(QDialog):
    """One row per team; :meth:`forecasts` gives what to keep in the save's meta."""

    def __init__(self, state: GameState, lang: str = "zh", teams: dict[str, str] | None = None,
                 existing: dict[str, Any] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("forecastDialog")
        self.state, self.lang = state, lang
        self.round_made = 0 if not state.history else state.round
        self.scale = state.rules.money_scale.get(lang, 1.0)
        t = self.t
        self.setWindowTitle(t("title"))
        root = QVBoxLayout(self)
        intro = QLabel(t("intro"))
        intro.setWordWrap(True)
        root.addWidget(intro)
        grid = QGridLayout()
        unit = state.rules.units["money"].get(lang)
        for col, text in enumerate((t("team"), t("loop_first"), t("gmv_end", unit=unit), t("ban_pays"))):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.rows: dict[str, tuple[QComboBox, QDoubleSpinBox, QComboBox]] = {}
        existing = existing or {}
        for r, cid in enumerate(state.players, start=1):
            name = state.rules.name_of("company", cid, lang)
            team = (teams or {}).get(cid)
            grid.addWidget(QLabel(f"{team}（{name}）" if team and lang == "zh" else
                                  f"{team} ({name})" if team else name), r, 0)
            loop = QComboBox()
            loop.setObjectName(f"forecastLoop_{cid}")
            loop.addItem(t("not_sure"), None)
            for other in state.players:
                loop.addItem(state.rules.name_of("company", other, lang), other)
            gmv = QDoubleSpinBox()
            gmv.setObjectName(f"forecastGmv_{cid}")
            gmv.setRange(0.0, 10_000_000.0)
            gmv.setDecimals(0)
            gmv.setSpecialValueText(t("not_sure"))      # 0 reads "not sure"
            ban = QComboBox()
            ban.setObjectName(f"forecastBan_{cid}")
            ban.addItem(t("not_sure"), None)
            ban.addItem(t("yes"), True)
            ban.addItem(t("no"), False)
            entry = existing.get(cid)
            old: dict[str, Any] = entry if isinstance(entry, dict) else {}
            if old.get("loop_first") in state.players:
                loop.setCurrentIndex(loop.findData(old["loop_first"]))
            if isinstance(old.get("gmv_end"), (int, float)):
                gmv.setValue(float(old["gmv_end"]) * self.scale)
            if isinstance(old.get("ban_pays"), bool):
                ban.setCurrentIndex(1 if old["ban_pays"] else 2)
            for c, w in enumerate((loop, gmv, ban), start=1):
                grid.addWidget(w, r, c)
            self.rows[cid] = (loop, gmv, ban)
        root.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("save"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("forecastSave")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

    def t(self, key: str, **params: object) -> str:
        return ui_texts().t(f"forecast.{key}", self.lang, **params)

    def forecasts(self) -> dict[str, dict[str, Any]]:
        """``{company: {"round", "loop_first"?, "gmv_end"? (bn yuan), "ban_pays"?}}``, as
        :func:`game.debrief.forecasts.read_forecasts` reads them; teams that left all three
        "not sure" are left out."""
        out: dict[str, dict[str, Any]] = {}
        for cid, (loop, gmv, ban) in self.rows.items():
            f: dict[str, Any] = {"round": self.round_made}
            if loop.currentData() is not None:
                f["loop_first"] = loop.currentData()
            if gmv.value() > 0:
                f["gmv_end"] = gmv.value() / self.scale
            if ban.currentData() is not None:
                f["ban_pays"] = bool(ban.currentData())
            if len(f) > 1:
                out[cid] = f
        return out
