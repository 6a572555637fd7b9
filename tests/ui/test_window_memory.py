"""The window remembers its geometry and the last folder of the Open/Save dialogs (issue 12, item 6),
in the test's own settings file (the ``ui_settings`` fixture)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import QFileDialog

from game.ui.window_memory import (
    FOLDER_KEY,
    GEOMETRY_KEY,
    fits,
    last_folder,
    remember_folder,
    restore_window,
)


def available(window) -> QRect:
    return window.screen().availableGeometry()


def test_geometry_is_saved_on_close_and_restored(make_window, ui_settings):
    first = make_window()
    room = available(first)
    first.resize(min(700, room.width() - 60), min(560, room.height() - 80))
    first.move(room.x() + 30, room.y() + 40)
    size, pos = first.size(), first.pos()
    first.close()
    assert ui_settings.value(GEOMETRY_KEY) is not None
    second = make_window(settings=ui_settings)
    assert second.size() == size
    assert second.pos() == pos


def test_a_geometry_too_big_for_this_screen_is_fitted_instead(make_window, ui_settings):
    first = make_window()
    room = available(first)
    first.resize(room.width() + 900, room.height() + 600)     # e.g. last used on a projector
    first.close()
    second = make_window(settings=ui_settings)
    geo = second.geometry()
    assert geo.width() <= room.width() and geo.height() <= room.height()
    assert fits(geo, room)


def test_a_geometry_off_every_screen_is_fitted_instead(qtbot, make_window, ui_settings):
    first = make_window()
    room = available(first)
    first.close()
    # restored against a screen somewhere else: it does not fit there, so it is not used
    elsewhere = QRect(room.right() + 5000, 0, 640, 480)
    second = make_window(settings=ui_settings)
    before = second.geometry()
    assert restore_window(second, ui_settings, available=elsewhere) is False
    assert second.geometry() == before


def test_a_damaged_geometry_is_ignored(make_window, ui_settings):
    ui_settings.setValue(GEOMETRY_KEY, QByteArray(b"not a geometry"))
    window = make_window(settings=ui_settings)
    assert fits(window.geometry(), available(window))
    ui_settings.setValue(GEOMETRY_KEY, "some text")
    assert restore_window(window, ui_settings) is False


def test_fits():
    screen = QRect(0, 0, 1366, 768)
    assert fits(QRect(10, 10, 1300, 700), screen)
    assert not fits(QRect(10, 10, 1600, 700), screen)
    assert not fits(QRect(2000, 10, 800, 600), screen)
    assert not fits(QRect(), screen)


def test_open_and_save_dialogs_start_in_the_last_folder(make_window, ui_settings, new_state, monkeypatch,
                                                        tmp_path):
    from game.saves import save_game

    folder = tmp_path / "class saves"
    folder.mkdir()
    save = save_game(new_state(seed=1), folder / "lesson.json")
    starts: list[str] = []

    def fake_open(parent, caption, start, *a, **k):
        starts.append(start)
        return str(save), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    window = make_window()
    assert window.open_dialog()
    assert starts == [str(Path.home())]                     # nothing remembered yet
    assert Path(ui_settings.value(FOLDER_KEY)) == folder.resolve()
    window.close()

    # a later window (a later run) starts its dialogs there
    later = make_window(settings=ui_settings)
    assert later.open_dialog()
    assert starts[-1] == str(folder.resolve())

    other = tmp_path / "elsewhere"
    other.mkdir()
    save_starts: list[str] = []

    def fake_save(parent, caption, start, *a, **k):
        save_starts.append(start)
        return str(other / "mine.json"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    fresh = make_window(settings=ui_settings)
    state = new_state(seed=2)
    fresh.set_game(state, {cid: "human" for cid in state.players})
    assert fresh.save_as_dialog()
    assert save_starts == [str(folder.resolve() / "closed-loop-save.json")]
    assert (other / "mine.json").is_file()
    assert last_folder(ui_settings) == other.resolve()


def test_a_cancelled_dialog_remembers_nothing(make_window, ui_settings, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert make_window().open_dialog() is False
    assert ui_settings.value(FOLDER_KEY) is None


def test_a_remembered_folder_that_is_gone_falls_back_to_home(ui_settings, tmp_path):
    remember_folder(ui_settings, tmp_path / "gone" / "x.json")
    assert last_folder(ui_settings) == Path.home()
    ui_settings.setValue(FOLDER_KEY, "relative/folder")
    assert last_folder(ui_settings) == Path.home()
    remember_folder(ui_settings, tmp_path / "x.json")
    assert last_folder(ui_settings) == tmp_path.resolve()
