"""The scenario editor (issue 14, item 7): a form over :mod:`game.scenario_edit`, checked as
you type with the rules check's own messages; saves a scenario file the next game can load."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from game.engine import ClosedLoopError, Problem, Rules
from game.scenario_edit import COMPANY_FIELDS, VICTORY_FIELDS, ScenarioDraft, check, draft_from, save

from .i18n import ui_texts

_ROUNDS = re.compile(r"^\s*(\d+\s*(,\s*\d+\s*)*)?$")


class ScenarioEditor(QDialog):
    """Edits one draft; :attr:`saved` carries the new scenario's id."""

    saved = Signal(str)

    def __init__(self, rules: Rules, rules_dir: str | Path, lang: str = "zh", base: str = "default",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scenarioEditor")
        self.rules, self.rules_dir, self.lang = rules, Path(rules_dir), lang
        self.scale = {"capital": rules.money_scale.get(lang, 1.0), "goal_gmv": rules.money_scale.get(lang, 1.0),
                      "users": 100.0 if lang == "zh" else 1.0}
        self.setWindowTitle(self.t("title"))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.recheck)
        self.problems: list[Problem] = []
        root = QVBoxLayout(self)
        top = QFormLayout()
        self.base = QComboBox()
        self.base.setObjectName("scenarioBase")
        for sid, scen in rules.scenarios.items():
            self.base.addItem(scen.name.get(lang), sid)
        self.base.setCurrentIndex(max(0, self.base.findData(base)))
        self.base.currentIndexChanged.connect(lambda _: self.load_base())
        top.addRow(self.t("base"), self.base)
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("scenarioId")
        top.addRow(self.t("id"), self.id_edit)
        self.name_zh, self.name_en = QLineEdit(), QLineEdit()
        self.name_zh.setObjectName("scenarioNameZh")
        self.name_en.setObjectName("scenarioNameEn")
        top.addRow(self.t("name_zh"), self.name_zh)
        top.addRow(self.t("name_en"), self.name_en)
        self.rounds, self.actions_spin = QSpinBox(), QSpinBox()
        self.rounds.setObjectName("scenarioRounds")
        self.actions_spin.setObjectName("scenarioActions")
        self.rounds.setRange(1, 40)
        self.actions_spin.setRange(1, 10)
        top.addRow(self.t("rounds"), self.rounds)
        top.addRow(self.t("actions"), self.actions_spin)
        root.addLayout(top)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        self.company_spins: dict[tuple[str, str], QDoubleSpinBox] = {}
        box = QGroupBox(self.t("companies"))
        grid = QGridLayout(box)
        scen = rules.scenario(base)
        for c, f in enumerate(COMPANY_FIELDS, start=1):
            grid.addWidget(QLabel(self.t(f"field_{f}")), 0, c)
        for r, cid in enumerate(scen.companies, start=1):
            grid.addWidget(QLabel(rules.name_of("company", cid, lang)), r, 0)
            for c, f in enumerate(COMPANY_FIELDS, start=1):
                spin = self._spin(f"scenario_{cid}_{f}", -1e6, 1e7)
                self.company_spins[(cid, f)] = spin
                grid.addWidget(spin, r, c)
        body_layout.addWidget(box)
        vbox = QGroupBox(self.t("victory"))
        vform = QFormLayout(vbox)
        self.victory_spins: dict[str, QDoubleSpinBox] = {}
        for f in VICTORY_FIELDS:
            spin = self._spin(f"scenario_{f}", -100.0, 1e6)
            self.victory_spins[f] = spin
            vform.addRow(self.t(f"field_{f}"), spin)
        body_layout.addWidget(vbox)
        ebox = QGroupBox(self.t("events"))
        egrid = QGridLayout(ebox)
        self.draw_chance = self._spin("scenarioDrawChance", -1.0, 2.0)
        self.draw_chance.setDecimals(2)
        self.draw_chance.setSingleStep(0.05)
        egrid.addWidget(QLabel(self.t("draw_chance")), 0, 0)
        egrid.addWidget(self.draw_chance, 0, 1)
        egrid.addWidget(QLabel(self.t("weight")), 1, 1)
        egrid.addWidget(QLabel(self.t("scheduled")), 1, 2)
        self.weights: dict[str, QDoubleSpinBox] = {}
        self.scheduled: dict[str, QLineEdit] = {}
        for r, eid in enumerate(rules.events, start=2):
            egrid.addWidget(QLabel(rules.name_of("event", eid, lang)), r, 0)
            w = self._spin(f"scenarioWeight_{eid}", -10.0, 1000.0)
            self.weights[eid] = w
            egrid.addWidget(w, r, 1)
            line = QLineEdit()
            line.setObjectName(f"scenarioScheduled_{eid}")
            line.textChanged.connect(self.changed)
            self.scheduled[eid] = line
            egrid.addWidget(line, r, 2)
        body_layout.addWidget(ebox)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        root.addWidget(scroll, 1)

        root.addWidget(QLabel(self.t("problems")))
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("scenarioProblems")
        self.problem_list.setMaximumHeight(120)
        root.addWidget(self.problem_list)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("scenarioStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.t("save"))
        self.save_button.setObjectName("scenarioSave")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        root.addLayout(row)
        for edit in (self.id_edit, self.name_zh, self.name_en):
            edit.textChanged.connect(self.changed)
        for s in (self.rounds, self.actions_spin):
            s.valueChanged.connect(self.changed)
        self.load_base()

    def t(self, key: str, **params: object) -> str:
        return ui_texts().t(f"scenario_editor.{key}", self.lang, **params)

    def _spin(self, name: str, lo: float, hi: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(lo, hi)
        spin.setDecimals(1)
        spin.valueChanged.connect(self.changed)
        return spin

    def load_base(self) -> None:
        """Fill the form from the chosen base scenario."""
        base = self.base.currentData()
        n = 2
        while f"{base}_{n}" in self.rules.scenarios:
            n += 1
        d = draft_from(self.rules, base, f"{base}_{n}")
        self._loading = True
        self.id_edit.setText(d.id)
        self.name_zh.setText(d.name_zh)
        self.name_en.setText(d.name_en)
        self.rounds.setValue(d.rounds)
        self.actions_spin.setValue(d.actions_per_round)
        for (cid, f), spin in self.company_spins.items():
            spin.setValue(d.companies.get(cid, {}).get(f, 0.0) * self.scale.get(f, 1.0))
        for f, spin in self.victory_spins.items():
            spin.setValue(d.victory.get(f, 0.0))
        self.draw_chance.setValue(d.draw_chance)
        for eid, spin in self.weights.items():
            spin.setValue(d.deck.get(eid, 0.0))
        for eid, line in self.scheduled.items():
            line.setText(", ".join(str(r) for r in d.scheduled.get(eid, [])))
        self._loading = False
        self.recheck()

    def draft(self) -> tuple[ScenarioDraft, list[Problem]]:
        """The form as a draft, and the problems the form itself finds (unreadable round lists)."""
        own: list[Problem] = []
        scheduled: dict[str, list[int]] = {}
        for eid, line in self.scheduled.items():
            text = line.text()
            if not _ROUNDS.match(text):
                own.append(Problem(f"scenarios/{self.id_edit.text()}.toml", f"scheduled.{eid}",
                                   self.t("bad_rounds", text=text)))
                continue
            rounds = [int(x) for x in re.findall(r"\d+", text)]
            if rounds:
                scheduled[eid] = rounds
        companies: dict[str, dict[str, float]] = {}
        for (cid, f), spin in self.company_spins.items():
            companies.setdefault(cid, {})[f] = spin.value() / self.scale.get(f, 1.0)
        d = ScenarioDraft(
            base=self.base.currentData(), id=self.id_edit.text().strip(), name_zh=self.name_zh.text(),
            name_en=self.name_en.text(), rounds=self.rounds.value(), actions_per_round=self.actions_spin.value(),
            companies=companies, victory={f: s.value() for f, s in self.victory_spins.items()},
            deck={e: s.value() for e, s in self.weights.items() if s.value() != 0.0},
            draw_chance=self.draw_chance.value(), scheduled=scheduled)
        return d, own

    def changed(self, *_: object) -> None:
        if not getattr(self, "_loading", False):
            self.timer.start()        # checked a moment after the typing stops

    def recheck(self) -> None:
        d, own = self.draft()
        self.problems = own + check(self.rules_dir, d)
        self.problem_list.clear()
        for p in self.problems:
            self.problem_list.addItem(str(p))
        self.save_button.setEnabled(not self.problems)
        self.status.setText(self.t("ok") if not self.problems else "")

    def save(self) -> None:
        self.timer.stop()
        self.recheck()
        if self.problems:
            return
        d, _ = self.draft()
        try:
            path = save(self.rules_dir, d)
        except (OSError, ValueError, ClosedLoopError) as exc:   # RulesError: the folder changed meanwhile
            self.status.setText(self.t("save_failed", error=exc))
            return
        self.status.setText(self.t("saved", path=path))
        self.saved.emit(d.id)
