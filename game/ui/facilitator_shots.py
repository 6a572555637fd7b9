"""The screenshots of docs/facilitator.md, made by the app offscreen at 1366×768:

    python -m game.ui.facilitator_shots docs/screenshots/facilitator [--lang zh|en]

A three-team class session from setup to debrief: the new-game dialog filled in, the board
with the teams' names, status lines and the turn countdown, a note on a decision, the replay
viewer at a turning point and the debrief of a branch beside its original.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SIZE = (1366, 768)
TEAMS = {
    "zh": {"bytedance": "红队：小王、小李、小张", "alibaba": "蓝队：小陈、小刘", "tencent": "绿队：小赵、小周"},
    "en": {"bytedance": "Red: Ann, Bo, Cy", "alibaba": "Blue: Dee, Ed", "tencent": "Green: Flo, Gus"},
}
REASON = {"zh": "先把流量变成现金，再补支付。", "en": "Cash from our traffic first, then payment."}
BOOKMARK = {"zh": "红队关闭外链之前", "en": "before the link ban"}


def render(folder: str | Path, lang: str = "zh") -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTemporaryDir
    from PySide6.QtWidgets import QApplication

    from game.engine import load_rules
    from game.paths import RULES_DIR
    from game.players import make_player
    from game.saves import save_game

    from .fonts import install_app_font
    from .mainwindow import MainWindow

    app = QApplication.instance() or QApplication(["closed-loop-facilitator-shots"])
    install_app_font()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    tmp = QTemporaryDir()
    os.environ["CLOSED_LOOP_DATA_DIR"] = tmp.path()     # never the user's autosave
    settings = QSettings(str(Path(tmp.path()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("quarter_summary", False)
    settings.setValue("pace_ms", 0)
    rules = load_rules(RULES_DIR)
    teams = TEAMS[lang]

    def settle() -> None:
        for _ in range(6):
            app.processEvents()

    def shot(widget, name: str) -> None:
        settle()
        path = folder / f"{name}-{lang}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        out.append(path)

    window = MainWindow(rules, lang=lang, settings=settings)
    window.resize(*SIZE)
    window.show()
    settle()
    # 1. setup
    dlg = window.show_new_game_dialog()
    scen = dlg.scenario
    scen.setCurrentIndex(scen.findData("class_period"))
    for cid in rules.companies:
        role = dlg.rows[cid][1]
        role.setCurrentIndex(role.findData("human"))
        dlg.teams[cid].setText(teams[cid])
    dlg.timer.setValue(5)
    dlg.seed_random.setChecked(False)
    dlg.seed.setValue(2024)
    # a rules folder with a mistake: the dialog lists it as `rules check` does
    import shutil

    broken = Path(tmp.path()) / "my-rules"
    shutil.copytree(RULES_DIR, broken)
    caps = broken / "capabilities.toml"
    caps.write_text(caps.read_text(encoding="utf-8").replace("cost = 6.0", "cost = -2.0", 1),
                    encoding="utf-8")
    dlg.set_rules_dir(broken)
    dlg.adjustSize()
    shot(dlg, "facilitator-rules-error")
    dlg.set_rules_dir(RULES_DIR)
    dlg.adjustSize()
    shot(dlg, "facilitator-setup")
    dlg.accept()
    settle()
    state = window.state
    # a few turns: the teams play as the heuristic would
    players = {c: make_player("heuristic", 2024 + i) for i, c in enumerate(state.players)}
    for _ in range(7):
        window.apply(players[state.current_company].choose(state))
    window.facilitator.add_note(REASON[lang])
    window.facilitator.tick()
    window.facilitator.tick()
    shot(window, "facilitator-board")
    note = window.facilitator.ask_note()
    if note is not None:
        note.setTextValue(REASON[lang])
        note.resize(560, note.sizeHint().height())
        shot(note, "facilitator-note")
        note.close()
    # the countdown at 0
    for _ in range(5 * 60):
        window.facilitator.tick()
    shot(window.status_header, "facilitator-time-up")
    # 2. a whole game, saved: the computers take the seats for the rest (a handover)
    for cid in state.players:
        window.facilitator.set_seat(cid, "heuristic")
    window.facilitator.add_bookmark(BOOKMARK[lang])
    session = window.session
    assert session is not None
    session.play(max_actions=10_000)
    window.after_change()
    settle()
    save = Path(tmp.path()) / "class-game.json"
    window.save_to(save)
    if window.debrief is not None:
        window.debrief.close()
    # 3. the replay at its third turning point
    replay = window.facilitator.open_replay(save)
    assert replay is not None
    replay.resize(*SIZE)
    # the turning point nearest the middle of the game
    i = min(range(len(replay.turning)), key=lambda j: abs(replay.turning[j][0] - replay.n // 2)) \
        if replay.turning else None
    k = replay.turning[i][0] if i is not None else replay.n // 2
    replay.go(k)
    if i is not None:
        replay.turning_combo.setCurrentIndex(i + 1)
    shot(replay, "facilitator-replay")
    # 4. a branch from there, played out, and its debrief beside the original
    replay.go(max(1, k))
    replay.branch_button.click()
    settle()
    branch_session = window.session
    assert branch_session is not None
    state = window.state
    for i, cid in enumerate(state.players):   # the branch: other players from here
        branch_session.seats[cid] = make_player("random" if i == 0 else "heuristic", 99 + i)
        window.controllers[cid] = "random" if i == 0 else "heuristic"
    branch_session.play(max_actions=10_000)
    window.after_change()
    settle()
    window.open_debrief(force=True)
    debrief = window.debrief
    assert debrief is not None
    debrief.resize(*SIZE)
    shot(debrief, "facilitator-branch-debrief")
    debrief.tabs.setCurrentIndex(4)
    shot(debrief, "facilitator-lessons")
    for w in (debrief, replay, window):
        w.close()
    save_game(state, Path(tmp.path()) / "branch.json")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m game.ui.facilitator_shots")
    p.add_argument("folder")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = p.parse_args(argv)
    for path in render(args.folder, args.lang):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
