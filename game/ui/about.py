"""Help → About: versions, licences and the data folder, with a Copy button for bug reports."""

from __future__ import annotations

import html
import platform

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import UiTexts


def about_facts(rules, ui: UiTexts, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows of the About box, in ``lang``; the same rows the Copy button copies."""
    import PySide6
    from PySide6.QtCore import qVersion

    from game import __version__

    from .autosave import data_dir

    t = lambda k: ui.t(k, lang)  # noqa: E731
    return [
        (t("about.version"), __version__),
        (t("about.rules_version"), str(rules.version)),
        (t("about.python"), f"{platform.python_version()} ({platform.python_implementation()})"),
        (t("about.qt"), f"Qt {qVersion()} / PySide6 {PySide6.__version__}"),
        (t("about.platform"), platform.platform()),
        (t("about.data_folder"), str(data_dir())),
    ]


def about_report(rules, ui: UiTexts, lang: str) -> str:
    """Plain text for a bug report: the title line, every fact, the licences."""
    lines = [f"{rules.title.get(lang)} (Closed Loop)"]
    lines += [f"{label}: {value}" for label, value in about_facts(rules, ui, lang)]
    lines += [ui.t("about.licence_code", lang), ui.t("about.licence_font", lang)]
    return "\n".join(lines)


class AboutBox(QDialog):
    """The About dialog (objectName ``aboutBox``)."""

    def __init__(self, rules, ui: UiTexts, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.rules, self.ui, self.lang = rules, ui, lang
        self.setObjectName("aboutBox")
        self.setWindowTitle(ui.t("about.title", lang))
        lay = QVBoxLayout(self)
        self.body = QLabel()
        self.body.setObjectName("aboutText")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setWordWrap(True)
        lay.addWidget(self.body)
        self.status = QLabel()
        self.status.setObjectName("aboutStatus")
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(ui.t("about.copy", lang))
        self.copy_button.setObjectName("aboutCopy")
        self.copy_button.setToolTip(ui.t("about.copy_tip", lang))
        self.copy_button.setAccessibleName(ui.t("about.copy", lang))
        self.copy_button.setAccessibleDescription(ui.t("about.copy_tip", lang))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(ui.t("about.close", lang), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("aboutClose")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.body.setText(self._html())
        self.setMinimumWidth(460)

    def _html(self) -> str:
        esc = html.escape
        ui, lang = self.ui, self.lang
        rows = "".join(f"<tr><td><b>{esc(k)}</b>&nbsp;&nbsp;</td><td>{esc(v)}</td></tr>"
                       for k, v in about_facts(self.rules, ui, lang))
        return (f"<h2>{esc(self.rules.title.get(lang))}</h2>"
                f"<p>{esc(self.rules.subtitle.get(lang))}</p>"
                f"<table>{rows}</table>"
                f"<p>{esc(ui.t('about.licence_code', lang))}<br>"
                f"{esc(ui.t('about.licence_font', lang))}</p>")

    def report(self) -> str:
        return about_report(self.rules, self.ui, self.lang)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.report())
        self.status.setText(self.ui.t("about.copied", self.lang))
