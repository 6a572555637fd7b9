"""The Chinese app itself keeps the glossary (docs/glossary.md): every text a widget shows on the
board mid-game (labels, buttons, tooltips, the explanation panel for each kind of subject, the
event card) and in the debrief, with the checks of tests/test_vocabulary.py. This catches text
the code puts together (separators, units, users) that no rules file holds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import (QAbstractButton, QLabel, QTabBar, QTableWidget, QTextBrowser,
                               QTreeWidget, QWidget)

from game.engine import Action
from game.sim import golden
from game.ui.debrief import DebriefWindow, play_heuristic_game

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_vocabulary import USERS_NUMBER, ascii_punctuation, banned_terms  # noqa: E402

pytestmark = pytest.mark.gui


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a reader sees in ``root``: texts, tooltips, tabs, cells."""
    out = []
    for w in [root] + root.findChildren(QWidget):
        where = f"{type(w).__name__} {w.objectName() or ''}".strip()
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            out.append((where, w.text()))
        if isinstance(w, QTextBrowser):
            out.append((where, w.toPlainText()))
        if isinstance(w, QTabBar):
            out += [(f"{where} tab {i}", w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            out += [(f"{where} header {c}", w.horizontalHeaderItem(c).text())
                    for c in range(w.columnCount()) if w.horizontalHeaderItem(c)]
            out += [(f"{where} cell {r},{c}", w.item(r, c).text())
                    for r in range(w.rowCount()) for c in range(w.columnCount()) if w.item(r, c)]
        if isinstance(w, QTreeWidget):
            for i in range(w.topLevelItemCount()):
                item = w.topLevelItem(i)
                out += [(f"{where} row {i}", item.text(c)) for c in range(item.columnCount())]
        if w.toolTip():
            out.append((f"{where} tooltip", w.toolTip()))
    return [(where, text) for where, text in out if text.strip()]


def check(texts: list[tuple[str, str]]) -> list[str]:
    problems = banned_terms(texts) + ascii_punctuation(texts)
    problems += [f"{where}: users without 亿/万 in “{text}”" for where, text in texts
                 if USERS_NUMBER.search(text) or "百万" in text]
    return problems


@pytest.fixture(scope="module")
def mid_game(rules):
    """A default game replayed to the middle of 2021, with events and a log behind it."""
    data = golden.load(golden.GOLDEN_DIR / "default-seed1-heuristic-heuristic-heuristic.json")
    state = golden.replay_stored(rules, {**data, "actions": data["actions"][:70]})[0]
    assert not state.is_terminal()
    return state


def test_the_chinese_board_keeps_the_glossary(board_on, mid_game, qtbot):
    window = board_on(mid_game, lang="zh")
    rules = mid_game.rules
    texts = widget_texts(window)
    company = mid_game.current_company
    subjects = [("intro", None, None), ("company", company, None)]
    subjects += [("capability", c.id, company) for c in rules.capabilities]
    subjects += [("action", a.id, None) for a in rules.actions]
    subjects += [("event", e, None) for e in rules.events]
    for kind, item, who in subjects:
        window.info.show_subject(kind, item, company=who, state=mid_game, lang="zh")
        texts.append((f"info panel on {kind} {item}", window.info.toPlainText()))
    window.event_card.show_events(list(rules.events), mid_game.year_quarter, "zh")
    texts += [(f"event card: {w}", t) for w, t in widget_texts(window.event_card)]
    problems = check(texts)
    assert not problems, f"{len(problems)} problem(s) on the Chinese board:\n" + "\n".join(
        f"  {p}" for p in problems[:40])
    users = window.findChild(QLabel, f"value_users_{company}")
    assert users is not None and ("亿" in users.text() or "万" in users.text()), users.text()


def test_the_chinese_debrief_keeps_the_glossary(rules, qtbot, app_font):
    state = play_heuristic_game(rules, "default", seed=3)
    window = DebriefWindow(state, rules, "zh")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    problems = check(widget_texts(window))
    assert not problems, f"{len(problems)} problem(s) in the Chinese debrief:\n" + "\n".join(
        f"  {p}" for p in problems[:40])


def test_a_reason_in_chinese_reads_as_chinese(rules, mid_game):
    texts = []
    for spec in rules.actions:
        for target in [None] + [c.id for c in rules.capabilities] + list(rules.companies):
            reason = mid_game.why_illegal(Action(spec.id, target))
            if reason is not None:
                texts.append((f"reason {reason.code}", mid_game.explain(reason, "zh")))
    assert texts
    assert not check(texts), check(texts)
