"""Desktop conventions (issue 12): About box, log file and crash dialog, a readable light
scheme under a dark system palette, accessible names, app icon and .desktop file, Qt's own
dialogs in Chinese."""

from __future__ import annotations

import configparser
import sys
from collections import Counter

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from game.paths import ASSETS_DIR
from game.ui.i18n import ui_texts
from game.ui.style import contrast_ratio


# ------------------------------------------------------------------------------------ About box
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_box_shows_versions_licences_and_data_folder(make_window, qtbot, lang,
                                                          _isolated_data):
    import platform

    import PySide6
    from PySide6.QtCore import qVersion

    from game import __version__

    window = make_window(lang)
    about = window.findChild(QAction, "actAbout")
    assert about is not None and about in window.m_help.actions()
    about.trigger()
    box = window.about_box
    assert box is not None and box.objectName() == "aboutBox" and box.isVisible()
    text = box.findChild(QLabel, "aboutText").text()
    for needle in (__version__, window.rules.version, platform.python_version(), qVersion(),
                   PySide6.__version__, "MIT", "SIL", str(_isolated_data)):
        assert needle in text, needle
    qtbot.mouseClick(box.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert __version__ in copied and platform.python_version() in copied and "MIT" in copied
    assert str(_isolated_data) in copied and "<" not in copied     # plain text for a report
    box.close()


# ----------------------------------------------------------------------- log file and crash hook
def _raise():
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        return sys.exc_info()


def test_log_file_rotates_in_the_data_folder(_isolated_data):
    from logging.handlers import RotatingFileHandler

    from game.ui.crash import log, setup_logging, shutdown_logging

    try:
        path = setup_logging()
        assert path.parent.parent == _isolated_data
        handlers = [h for h in log.handlers if isinstance(h, RotatingFileHandler)]
        assert len(handlers) == 1 and handlers[0].maxBytes > 0 and handlers[0].backupCount >= 1
        assert setup_logging() == path and len(
            [h for h in log.handlers if isinstance(h, RotatingFileHandler)]) == 1
        log.info("hello log")
        handlers[0].flush()
        assert "hello log" in path.read_text(encoding="utf-8")
    finally:
        shutdown_logging()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_crash_hook_logs_the_traceback_and_shows_a_plain_dialog(qtbot, qapp, lang,
                                                                _isolated_data):
    from game.ui.crash import CrashHandler, setup_logging, shutdown_logging

    ui = ui_texts()
    before = sys.excepthook
    try:
        path = setup_logging()
        with CrashHandler(ui, lambda: lang, path) as hook:
            assert sys.excepthook is hook
            sys.excepthook(*_raise())
            assert len(hook.dialogs) == 1
            box = hook.dialogs[0]
            qtbot.addWidget(box)
            assert box.objectName() == "crashDialog" and box.isVisible()
            shown = box.text() + box.informativeText() + box.detailedText()
            assert str(path) in shown
            assert ui.t("crash.text", lang) in shown           # "your game is autosaved"
            assert "Traceback" not in shown and "_raise" not in shown
            logged = path.read_text(encoding="utf-8")
            assert "Traceback" in logged and "boom in a slot" in logged and "_raise" in logged
            sys.excepthook(*_raise())                         # the same error: one dialog
            assert len(hook.dialogs) == 1
            box.close()
        assert sys.excepthook is before                       # restored on leaving
    finally:
        sys.excepthook = before
        shutdown_logging()


def test_prepare_app_sets_log_hook_icon_and_scheme_and_undoes_them(qapp, dark_system,
                                                                   _isolated_data):
    """What run_app does before the window opens; after the app ends the previous hook is back."""
    from logging.handlers import RotatingFileHandler

    from game.ui.app import finish_app, prepare_app
    from game.ui.crash import CrashHandler, log

    before = sys.excepthook
    try:
        hook = prepare_app(qapp, ui_texts(), lambda: "zh")
        assert isinstance(sys.excepthook, CrashHandler) and sys.excepthook is hook
        assert any(isinstance(h, RotatingFileHandler) for h in log.handlers)
        assert not qapp.windowIcon().isNull()
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200
        assert qapp.style().name().lower() == "fusion"
    finally:
        finish_app(hook)
    assert sys.excepthook is before
    assert not any(isinstance(h, RotatingFileHandler) for h in log.handlers)
    assert (_isolated_data / "logs" / "closed-loop.log").is_file()


# ----------------------------------------------------------------------------- dark palette
def dark_palette() -> QPalette:
    pal = QPalette()
    for role, value in ((QPalette.ColorRole.Window, "#2B2B2B"), (QPalette.ColorRole.WindowText, "#EEEEEE"),
                        (QPalette.ColorRole.Base, "#1E1E1E"), (QPalette.ColorRole.Text, "#EEEEEE"),
                        (QPalette.ColorRole.Button, "#3A3A3A"), (QPalette.ColorRole.ButtonText, "#EEEEEE"),
                        (QPalette.ColorRole.ToolTipBase, "#333333"), (QPalette.ColorRole.ToolTipText, "#EEEEEE")):
        pal.setColor(role, QColor(value))
    return pal


_ORIGINAL: dict = {}


def restore_scheme() -> None:
    app = QApplication.instance()
    if _ORIGINAL:
        app.setPalette(_ORIGINAL["palette"])
        app.setStyle(_ORIGINAL["style"])


@pytest.fixture
def dark_system(qapp):
    """The QApplication under a dark system palette, as on a dark desktop; undone after."""
    _ORIGINAL.setdefault("palette", QPalette(qapp.palette()))
    _ORIGINAL.setdefault("style", qapp.style().name())
    qapp.setPalette(dark_palette())
    yield qapp
    restore_scheme()


def _label_contrast(label: QLabel) -> float:
    """Contrast of a label's rendered text against the background it is drawn on: the most
    common colour of its area and the pixel that stands out from it the most."""
    top = label.window()
    image = top.grab().toImage()
    origin = label.mapTo(top, label.rect().topLeft())
    dpr = image.devicePixelRatio()
    colors: Counter = Counter()
    for y in range(int(origin.y() * dpr), int((origin.y() + label.height()) * dpr)):
        for x in range(int(origin.x() * dpr), int((origin.x() + label.width()) * dpr)):
            colors[image.pixel(x, y)] += 1
    bg = QColor.fromRgb(colors.most_common(1)[0][0])
    return max(contrast_ratio(bg, QColor.fromRgb(c)) for c in colors)


def _text_labels(widget) -> list[QLabel]:
    return [lab for lab in widget.findChildren(QLabel)
            if lab.isVisible() and lab.text().strip() and not lab.text().startswith("<")
            and lab.width() > 4 and lab.height() > 4]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_panels_and_event_card_are_readable_under_a_dark_system_palette(
        dark_system, board_on, new_state, rules, qapp, lang):
    from game.ui.style import use_light_scheme

    window = board_on(new_state(seed=3), lang=lang)
    window.event_card.show_events(tuple(rules.events)[:2], window.state.year_quarter, lang)
    window.resize(1366, 768)
    for _ in range(3):
        qapp.processEvents()
    checked = 0
    for widget in [*window.panels.values(), window.event_card]:
        labels = _text_labels(widget)
        assert labels, widget.objectName()
        for lab in labels:
            ratio = _label_contrast(lab)
            assert ratio >= 4.5, (widget.objectName(), lab.objectName(), lab.text(), ratio)
            checked += 1
    assert checked >= 10
    # The event card's body is rich text: its colours are the palette's text on the card.
    body = window.event_card.body
    assert contrast_ratio(body.palette().color(QPalette.ColorRole.WindowText), "#FFF8E1") >= 4.5
    # And the app pins its light scheme: the window and its controls read as on a light desktop.
    use_light_scheme(qapp)
    pal = qapp.palette()
    assert contrast_ratio(pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)) >= 4.5
    assert contrast_ratio(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base)) >= 4.5
    assert contrast_ratio(pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText),
                          pal.color(QPalette.ColorRole.Button)) >= 4.5
    assert pal.color(QPalette.ColorRole.Window).lightness() > 200


# ------------------------------------------------------------------------- icon, .desktop file
def test_app_icon_and_desktop_file(make_window):
    from game.ui.style import app_icon

    assert not app_icon().isNull()
    assert (ASSETS_DIR / "icons" / "closed-loop.svg").is_file()
    assert (ASSETS_DIR / "icons" / "closed-loop-256.png").is_file()
    window = make_window("zh")
    assert not window.windowIcon().isNull()
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str      # keys are case-sensitive
    desktop.read(ASSETS_DIR / "closed-loop.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "closed-loop-gui"
    assert entry["Icon"] == "closed-loop"
    assert entry["Name"] == "Closed Loop" and entry["Name[zh_CN]"] == "闭环"
    assert {"Game", "Education"} <= set(entry["Categories"].strip(";").split(";"))


# ------------------------------------------------------------------- Qt's own dialogs in Chinese
def test_qt_standard_buttons_follow_the_language(make_window, qtbot):
    def cancel_text() -> str:
        box = QMessageBox()
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        text = box.button(QMessageBox.StandardButton.Cancel).text()
        box.deleteLater()
        return text.replace("&", "")

    window = make_window("zh")
    try:
        assert cancel_text() == "取消"
        assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
        window.set_language("en")
        assert cancel_text() == "Cancel"
        window.set_language("zh")
        assert cancel_text() == "取消"
    finally:
        window.set_language("en")


# --------------------------------------------------------------------------- accessible names
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_action_button_and_panel_has_an_accessible_name(board_on, new_state, lang, qapp):
    state = new_state(seed=3)
    window = board_on(state, lang=lang)
    qapp.processEvents()            # widgets added to a shown window show on the next loop
    bar = window.action_bar
    buttons = [b for b in [bar.build_button, *bar.buttons.values()] if b.isVisibleTo(window)]
    assert len(buttons) >= 8
    assert any(window.rules.action(a.id).kind == "end_turn" for a, b in bar.buttons.items()
               if b.isVisibleTo(window))
    disabled = 0
    for b in buttons:
        name = b.accessibleName()
        assert name.strip(), b.objectName()
        assert b.name_label.text().split("  [")[0] in name
        if b.price_label.isVisibleTo(b) and b.price_label.text():
            assert b.price_label.text() in name
        assert b.accessibleDescription().strip(), b.objectName()
        if not b.isEnabled():
            disabled += 1
            assert b.accessibleDescription().splitlines()[0] in b.toolTip(), b.objectName()
    assert disabled >= 1           # Build, with nothing selected, at least
    # Build says why it is disabled: nothing is selected.
    assert window.ui.t("build.none_tip", lang) in bar.build_button.accessibleDescription()
    # An illegal action says the engine's reason.
    for action, b in bar.buttons.items():
        reason = state.why_illegal(action)
        if b.isVisibleTo(window) and reason is not None:
            assert state.explain(reason, lang) in b.accessibleDescription()
    # a computer's turn: every button says so
    window.set_game(state, {cid: "random" for cid in state.players})
    window.ai_timer.stop()
    window.refresh()
    qapp.processEvents()
    bar = window.action_bar
    for b in [bar.build_button, *bar.buttons.values()]:
        if b.isVisibleTo(window):
            assert window.ui.t("tip.computer_turn", lang) in b.accessibleDescription()
    for cid, panel in window.panels.items():
        company = window.rules.companies[cid].name.get(lang)
        assert company in panel.accessibleName()
        assert window.ui.t("metric.capital", lang) in panel.accessibleDescription()


def test_an_unwritable_data_folder_moves_the_log_to_the_temporary_folder(tmp_path, monkeypatch):
    import tempfile

    from game.ui.crash import setup_logging, shutdown_logging

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    try:
        path = setup_logging(blocked)
        assert path is not None and path.parent.parent == tmp_path / "tmp"
    finally:
        shutdown_logging()
