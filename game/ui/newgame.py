"""The new-game dialog: scenario (with its description), who plays each company, seed, language."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from .i18n import UiTexts
from .style import mark_icon

ROLES = ("human", "computer", "out")
LEVELS = ("heuristic", "random")
MAX_SEED = 2_000_000_000


@dataclass
class GameConfig:
    """What the dialog chose. ``controllers`` maps each company in play to human/random/heuristic."""

    scenario: str
    controllers: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    lang: str = "zh"

    @property
    def companies(self) -> list[str]:
        return list(self.controllers)


class NewGameDialog(QDialog):
    def __init__(self, rules, ui: UiTexts, lang: str = "zh", parent=None,
                 previous: GameConfig | None = None):
        super().__init__(parent)
        self.rules, self.ui, self.lang = rules, ui, lang
        self.setObjectName("newGameDialog")
        self.setModal(True)
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.scenario_label = QLabel()
        self.scenario = QComboBox()
        self.scenario.setObjectName("scenarioCombo")
        scenarios = sorted(rules.scenarios.values(), key=lambda s: (s.order, s.id))
        for s in scenarios:
            self.scenario.addItem(s.name.get(lang), s.id)
        form.addRow(self.scenario_label, self.scenario)
        self.scenario_text = QLabel()
        self.scenario_text.setObjectName("scenarioText")
        self.scenario_text.setWordWrap(True)
        self.scenario_text.setMinimumHeight(60)
        self.scenario_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        form.addRow(self.scenario_text)
        lay.addLayout(form)
        self.players_box = QGroupBox()
        self.grid = QGridLayout(self.players_box)
        lay.addWidget(self.players_box)
        self.rows: dict[str, tuple[QLabel, QComboBox, QComboBox]] = {}
        for row, (cid, c) in enumerate(rules.companies.items()):
            name = QLabel()
            name.setPixmap(mark_icon(c.mark, c.color, 18).pixmap(QSize(18, 18)))
            title = QLabel()
            title.setObjectName(f"companyName_{cid}")
            role = QComboBox()
            role.setObjectName(f"role_{cid}")
            for r in ROLES:
                role.addItem(r, r)
            level = QComboBox()
            level.setObjectName(f"level_{cid}")
            for lv in LEVELS:
                level.addItem(lv, lv)
            role.currentIndexChanged.connect(self._update)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(title, row, 1)
            self.grid.addWidget(role, row, 2)
            self.grid.addWidget(level, row, 3)
            self.rows[cid] = (title, role, level)
        self.grid.setColumnStretch(1, 1)
        opts = QFormLayout()
        self.seed_random = QCheckBox()
        self.seed_random.setObjectName("seedRandom")
        self.seed_random.setChecked(True)
        self.seed = QSpinBox()
        self.seed.setObjectName("seedSpin")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setValue(random.randrange(MAX_SEED))
        self.seed_random.toggled.connect(self._update)
        self.seed_label = QLabel()
        opts.addRow(self.seed_label, self.seed_random)
        opts.addRow("", self.seed)
        self.lang_label = QLabel()
        self.lang_combo = QComboBox()
        self.lang_combo.setObjectName("langCombo")
        self.lang_combo.addItem("中文", "zh")
        self.lang_combo.addItem("English", "en")
        self.lang_combo.setCurrentIndex(0 if lang == "zh" else 1)
        self.lang_combo.currentIndexChanged.connect(
            lambda: self.set_language(self.lang_combo.currentData()))
        opts.addRow(self.lang_label, self.lang_combo)
        lay.addLayout(opts)
        self.warning = QLabel()
        self.warning.setObjectName("newGameWarning")
        self.warning.setStyleSheet("color: #A02020;")
        lay.addWidget(self.warning)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("newGameButtons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("startButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.scenario.currentIndexChanged.connect(self._update)
        default = self.scenario.findData("default")
        if previous is not None and self.scenario.findData(previous.scenario) >= 0:
            default = self.scenario.findData(previous.scenario)
        self.scenario.setCurrentIndex(max(0, default))
        self._defaults(previous)
        self.set_language(lang)

    def _defaults(self, previous: GameConfig | None) -> None:
        first = True
        for cid, (_, role, level) in self.rows.items():
            if previous is not None and previous.controllers:
                ctl = previous.controllers.get(cid)
                if ctl is None:
                    role.setCurrentIndex(ROLES.index("out"))
                elif ctl == "human":
                    role.setCurrentIndex(ROLES.index("human"))
                else:
                    role.setCurrentIndex(ROLES.index("computer"))
                    level.setCurrentIndex(LEVELS.index(ctl) if ctl in LEVELS else 0)
            else:  # one person against the computer by default
                role.setCurrentIndex(ROLES.index("human" if first else "computer"))
            first = False
        self._update()

    def set_language(self, lang: str) -> None:
        ui, rules = self.ui, self.rules
        self.lang = lang
        self.setWindowTitle(ui.t("newgame.title", lang))
        self.scenario_label.setText(ui.t("newgame.scenario", lang))
        for i in range(self.scenario.count()):
            self.scenario.setItemText(i, rules.scenarios[self.scenario.itemData(i)].name.get(lang))
        self.players_box.setTitle(ui.t("newgame.players", lang))
        for cid, (title, role, level) in self.rows.items():
            c = rules.companies[cid]
            title.setText(f"{c.name.get(lang)} · {c.app.get(lang)}")
            for i, r in enumerate(ROLES):
                role.setItemText(i, ui.t(f"role.{r}", lang))
            for i, lv in enumerate(LEVELS):
                level.setItemText(i, ui.t(f"level.{lv}", lang))
        self.seed_label.setText(ui.t("newgame.seed", lang))
        self.seed_random.setText(ui.t("newgame.seed_random", lang))
        self.lang_label.setText(ui.t("newgame.language", lang))
        self.ok_button.setText(ui.t("newgame.start", lang))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(ui.t("common.cancel", lang))
        self._update()

    def _update(self) -> None:
        ui, lang = self.ui, self.lang
        sid = self.scenario.currentData()
        scen = self.rules.scenarios.get(sid) if sid else None
        if scen is not None:
            self.scenario_text.setText(scen.text.get(lang) + "\n" + ui.t(
                "newgame.scenario_facts", lang, rounds=scen.rounds,
                actions=scen.actions_per_round))
        playing = 0
        for cid, (title, role, level) in self.rows.items():
            in_scen = scen is not None and cid in scen.companies
            for w in (title, role):
                w.setEnabled(in_scen)
            r = role.currentData()
            level.setEnabled(in_scen and r == "computer")
            if in_scen and r != "out":
                playing += 1
        self.seed.setEnabled(not self.seed_random.isChecked())
        ok = playing > 0
        self.ok_button.setEnabled(ok)
        self.warning.setText("" if ok else ui.t("newgame.need_one", lang))

    def config(self) -> GameConfig:
        sid = self.scenario.currentData()
        scen = self.rules.scenarios[sid]
        controllers = {}
        for cid in scen.companies:
            if cid not in self.rows:
                continue
            _, role, level = self.rows[cid]
            r = role.currentData()
            if r == "human":
                controllers[cid] = "human"
            elif r == "computer":
                controllers[cid] = level.currentData()
        seed = self.seed.value()   # the seed shown (drawn at random when "random" is ticked)
        return GameConfig(sid, controllers, seed, self.lang_combo.currentData())
