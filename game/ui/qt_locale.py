"""Qt's own dialogs (file dialogs, standard buttons, context menus) in the game's language.

Qt ships its translations with PySide6 (``QLibraryInfo.path(TranslationsPath)``); in Chinese
mode :func:`use_qt_language` installs ``qtbase_zh_CN`` and in English removes it again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

QT_CATALOGS = {"zh": ("qtbase_zh_CN",)}

_installed: list[QTranslator] = []
_system_locale: list[QLocale] = []      # the default locale before the game changed it


def translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def use_qt_language(lang: str) -> bool:
    """Install Qt's catalogues for ``lang`` (removing the previous ones); True if loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
    loaded = False
    for name in QT_CATALOGS.get(lang, ()):
        tr = QTranslator(app)
        if tr.load(name, translations_dir()):
            QCoreApplication.installTranslator(tr)
            _installed.append(tr)
            loaded = True
    if not _system_locale:
        _system_locale.append(QLocale())
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh"
                       else _system_locale[0])
    return loaded


def reset_qt_language() -> None:
    """Remove the game's Qt catalogues and locale (tests; the end of the app)."""
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())
    if _system_locale:
        QLocale.setDefault(_system_locale[0])
