"""The new-game dialog: scenario (with its description), who plays each company, seed, language;
and the class session: a team name per company, an optional turn timer and the rules folder."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from game.engine import Rules, RulesError, load_rules

from .i18n import UiTexts
from .style import mark_icon

ROLES = ("human", "computer", "out")
LEVELS = ("heuristic", "random", "easy", "normal", "hard")   # the last three search (game/players/search.py)
MAX_SEED = 2_000_000_000
MAX_TIMER_MINUTES = 60
MAX_TEAM_CHARS = 200


@dataclass
class GameConfig:
    """What the dialog chose. ``controllers`` maps each company in play to human/random/heuristic."""

    scenario: str
    controllers: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    lang: str = "zh"
    #: company id -> the team's name (and members): free text, only the ones typed
    teams: dict[str, str] = field(default_factory=dict)
    #: minutes per turn, 0 for no timer
    timer_minutes: int = 0
    #: the rules folder chosen, None for the built-in rules
    rules_dir: str | None = None
    #: the rules of ``rules_dir`` (loaded and validated by the dialog), None for the built-in
    rules: Rules | None = field(default=None, compare=False, repr=False)

    @property
    def companies(self) -> list[str]:
        return list(self.controllers)


class NewGameDialog(QDialog):
    def __init__(self, rules, ui: UiTexts, lang: str = "zh", parent=None,
                 previous: GameConfig | None = None):
        super().__init__(parent)
        self.rules, self.ui, self.lang = rules, ui, lang
        self.builtin_rules = rules
        self.rules_dir: str | None = None
        self.rules_problems: str | None = None
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
        self.teams: dict[str, QLineEdit] = {}
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
            team = QLineEdit()
            team.setObjectName(f"team_{cid}")
            team.setMaxLength(MAX_TEAM_CHARS)
            team.setMinimumWidth(160)
            self.grid.addWidget(team, row, 4)
            self.rows[cid] = (title, role, level)
            self.teams[cid] = team
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
        self._build_session(lay)
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
        if previous is not None:
            for cid, team_text in previous.teams.items():
                if cid in self.teams:
                    self.teams[cid].setText(team_text)
            self.timer.setValue(previous.timer_minutes)
            if previous.rules_dir:
                self.set_rules_dir(previous.rules_dir)
        self.set_language(lang)

    def _build_session(self, lay: QVBoxLayout) -> None:
        """The class session: the turn timer and the rules folder (the team names are in the
        players' grid)."""
        self.session_box = QGroupBox()
        self.session_box.setObjectName("sessionBox")
        form = QFormLayout(self.session_box)
        self.timer_label = QLabel()
        self.timer = QSpinBox()
        self.timer.setObjectName("timerSpin")
        self.timer.setRange(0, MAX_TIMER_MINUTES)
        self.timer.setValue(0)
        form.addRow(self.timer_label, self.timer)
        self.rules_label = QLabel()
        row = QHBoxLayout()
        self.rules_path = QLineEdit()
        self.rules_path.setObjectName("rulesPath")
        self.rules_path.setReadOnly(True)
        self.rules_browse = QPushButton()
        self.rules_browse.setObjectName("rulesBrowse")
        self.rules_browse.clicked.connect(self._browse_rules)
        self.rules_reset = QPushButton()
        self.rules_reset.setObjectName("rulesReset")
        self.rules_reset.clicked.connect(lambda: self.set_rules_dir(None))
        row.addWidget(self.rules_path, 1)
        row.addWidget(self.rules_browse)
        row.addWidget(self.rules_reset)
        form.addRow(self.rules_label, row)
        self.rules_status = QLabel()
        self.rules_status.setObjectName("rulesStatus")
        self.rules_status.setWordWrap(True)
        self.rules_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.rules_status)
        lay.addWidget(self.session_box)

    def _browse_rules(self):
        """Choose the rules folder in a folder dialog that does not block (the dialog's answer
        comes back through its signal)."""
        from PySide6.QtWidgets import QFileDialog

        start = self.rules_dir or str(Path.home())
        chooser = QFileDialog(self, self.ui.t("newgame.rules_dir", self.lang), start)
        chooser.setObjectName("rulesFolderDialog")
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.fileSelected.connect(lambda folder: self.set_rules_dir(folder) if folder else None)
        chooser.open()
        return chooser

    def set_rules_dir(self, folder: str | Path | None) -> bool:
        """Use the rules of ``folder`` (None: the built-in ones). The folder is validated as
        ``rules check`` does; its problems are listed in the dialog and block Start. Returns
        whether the folder is usable."""
        self.rules_problems = None
        if folder is None:
            self.rules_dir = None
            self._set_rules(self.builtin_rules)
            self._update()
            return True
        self.rules_dir = str(folder)
        try:
            rules = load_rules(folder)
        except RulesError as exc:
            self.rules_problems = str(exc)          # the very text `rules check` prints
        except Exception as exc:  # noqa: BLE001 - whatever the folder holds, never a traceback
            self.rules_problems = f"{folder}: {type(exc).__name__}: {exc}"
        else:
            self._set_rules(rules)
        self._update()
        return self.rules_problems is None

    def _set_rules(self, rules) -> None:
        """Offer the scenarios of ``rules`` (keeping the one chosen when it is there too)."""
        self.rules = rules
        current = self.scenario.currentData()
        self.scenario.blockSignals(True)
        self.scenario.clear()
        for s in sorted(rules.scenarios.values(), key=lambda s: (s.order, s.id)):
            self.scenario.addItem(s.name.get(self.lang), s.id)
        i = self.scenario.findData(current)
        if i < 0:
            i = self.scenario.findData("default")
        self.scenario.setCurrentIndex(max(0, i))
        self.scenario.blockSignals(False)

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
        for edit in self.teams.values():
            edit.setPlaceholderText(ui.t("newgame.team_placeholder", lang))
        self.session_box.setTitle(ui.t("newgame.session", lang))
        self.timer_label.setText(ui.t("newgame.timer", lang))
        self.timer.setSpecialValueText(ui.t("newgame.timer_off", lang))
        self.timer.setSuffix(ui.t("newgame.timer_suffix", lang))
        self.timer.setToolTip(ui.t("newgame.timer_tip", lang))
        self.rules_label.setText(ui.t("newgame.rules_dir", lang))
        self.rules_browse.setText(ui.t("newgame.rules_browse", lang))
        self.rules_reset.setText(ui.t("newgame.rules_reset", lang))
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
            self.teams[cid].setEnabled(in_scen and role.currentData() != "out")
            r = role.currentData()
            level.setEnabled(in_scen and r == "computer")
            if in_scen and r != "out":
                playing += 1
        self.seed.setEnabled(not self.seed_random.isChecked())
        if not hasattr(self, "rules_status"):
            return                      # still being built
        self.rules_path.setText(self.rules_dir or ui.t("newgame.rules_builtin", lang))
        self.rules_reset.setEnabled(self.rules_dir is not None)
        if self.rules_problems is not None:
            self.rules_status.setStyleSheet("color: #A02020;")
            self.rules_status.setText(ui.t("newgame.rules_bad", lang) + "\n" + self.rules_problems)
        elif self.rules_dir is not None:
            self.rules_status.setStyleSheet("color: #206020;")
            self.rules_status.setText(ui.t("newgame.rules_ok", lang, version=self.rules.version,
                                           scenarios=len(self.rules.scenarios)))
        else:
            self.rules_status.setText("")
        ok = playing > 0 and self.rules_problems is None
        self.ok_button.setEnabled(ok)
        self.warning.setText("" if playing > 0 else ui.t("newgame.need_one", lang))

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
        teams = {cid: self.teams[cid].text().strip() for cid in controllers
                 if cid in self.teams and self.teams[cid].text().strip()}
        custom = self.rules_dir is not None and self.rules_problems is None
        return GameConfig(sid, controllers, seed, self.lang_combo.currentData(), teams,
                          self.timer.value(), self.rules_dir if custom else None,
                          self.rules if custom else None)
