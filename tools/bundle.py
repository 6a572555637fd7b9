"""Build the classroom bundle: a one-folder app made by PyInstaller, no Python needed to run it.

    pip install -e ".[bundle]"          # PyInstaller (the ``bundle`` extra)
    python tools/bundle.py              # -> dist/closed-loop/ (the app: dist/closed-loop/closed-loop)
    python tools/bundle.py --check      # also run the built app from outside the checkout

The folder holds the executable, Python, Qt and the game's data where the game looks for it when
installed (``game/_data/rules``, ``game/_data/assets``, ``game/_data/docs/rules.md``: see
``setup.py`` and ``game/paths.py``). Left out: pytest and the game's test helpers
(``game.testing``), mypy, ruff, hypothesis, the build tools, and the Qt modules the game never
uses (WebEngine, QML, 3D, multimedia ...). Build on each system for that system: PyInstaller does
not cross-compile (a Windows bundle is built on Windows, a macOS one on a Mac).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "closed-loop"

# the game's data, as setup.py maps it into the wheel: (source, place inside the bundle)
DATA = [("rules", "game/_data/rules"), ("assets", "game/_data/assets"),
        ("docs/rules.md", "game/_data/docs")]

# never in a student's copy: tests, type and style checkers, build tools
EXCLUDE = [
    "pytest", "_pytest", "pluggy", "iniconfig", "pytestqt", "hypothesis", "game.testing",
    "mypy", "mypyc", "ruff", "build", "pyproject_hooks", "setuptools", "pip", "wheel",
    "tkinter", "_tkinter", "unittest.mock", "IPython", "matplotlib", "scipy", "pandas",
    "PyInstaller",
    # Qt modules the game does not use (it uses QtCore, QtGui, QtWidgets, QtCharts, QtSvg)
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtQml", "PySide6.QtQuick",
    "PySide6.QtQuickWidgets", "PySide6.QtQuick3D", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtBluetooth", "PySide6.QtNfc",
    "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors", "PySide6.QtSerialPort",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtRemoteObjects", "PySide6.QtScxml",
    "PySide6.QtStateMachine", "PySide6.QtTextToSpeech", "PySide6.QtSpatialAudio",
    "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
]

# imported inside functions (PyInstaller follows static imports; these are found at run time)
# (not the developer commands monkey and bench-ui: they drive the app with QtTest, left out)
HIDDEN = ["game.ui.debrief", "game.ui.howto", "game.ui.quarter", "game.ui.about",
          "game.docs.rulebook", "PySide6.QtCharts", "PySide6.QtSvg"]

# Collected by PyInstaller's Qt hooks but never used by the game: the on-screen keyboard input
# plugin and the PDF image plugin (they alone pull in QML, Quick and Pdf) and Qt's catalogues but
# Chinese and English. Patterns under the bundle's PySide6 folder (Linux names, checked here;
# on Windows and macOS whatever matches is removed, the rest stays).
PRUNE = [
    "Qt/plugins/platforminputcontexts/*virtualkeyboard*", "plugins/platforminputcontexts/*virtualkeyboard*",
    "Qt/plugins/imageformats/*qpdf*", "plugins/imageformats/*qpdf*",
    "Qt/lib/libQt6VirtualKeyboard*", "Qt/lib/libQt6Qml*", "Qt/lib/libQt6Quick*", "Qt/lib/libQt6Pdf*",
    "Qt6VirtualKeyboard*.dll", "Qt6Qml*.dll", "Qt6Quick*.dll", "Qt6Pdf*.dll",
]
KEEP_TRANSLATIONS = ("_zh_CN", "_en")

ENTRY = '''"""The classroom bundle's entry: the game's command line (the app without arguments)."""
import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="closed-loop"))
'''


def pyinstaller_args(work: Path, dist: Path, windowed: bool) -> list[str]:
    entry = work / "closed_loop_entry.py"
    entry.write_text(ENTRY, encoding="utf-8")
    sep = os.pathsep
    args = [str(entry), "--name", NAME, "--onedir", "--noconfirm", "--clean",
            "--distpath", str(dist), "--workpath", str(work / "build"), "--specpath", str(work),
            "--paths", str(ROOT)]
    for source, target in DATA:
        args += ["--add-data", f"{ROOT / source}{sep}{target}"]
    for name in EXCLUDE:
        args += ["--exclude-module", name]
    for name in HIDDEN:
        args += ["--hidden-import", name]
    icon = ROOT / "assets" / "icons" / ("closed-loop.ico" if sys.platform == "win32" else "closed-loop-256.png")
    if icon.is_file() and sys.platform != "linux":
        args += ["--icon", str(icon)]
    if windowed:
        args.append("--windowed")      # Windows/macOS: no console window (the headless commands
    return args                         # then print nowhere; the console build keeps them)


def build(dist: Path, windowed: bool = False) -> Path:
    """Run PyInstaller; returns the bundle's folder (``dist/closed-loop``)."""
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit("PyInstaller is not installed: pip install -e \".[bundle]\"") from None
    for source, _ in DATA:
        if not (ROOT / source).exists():
            raise SystemExit(f"{ROOT / source} is missing: the bundle would not run")
    with tempfile.TemporaryDirectory(prefix="closed-loop-bundle-") as tmp:
        pyinstaller.run(pyinstaller_args(Path(tmp), dist, windowed))
    folder = dist / NAME
    prune(folder)
    leaked = leaks(folder)
    if leaked:
        raise SystemExit(f"the bundle holds developer tools it must not: {', '.join(leaked)}")
    return folder


def prune(folder: Path) -> int:
    """Remove :data:`PRUNE` and the Qt catalogues of other languages; returns bytes freed."""
    freed = 0
    for pyside in folder.rglob("PySide6"):
        if not pyside.is_dir():
            continue
        doomed = [p for pattern in PRUNE for p in pyside.glob(pattern)]
        doomed += [p for p in pyside.rglob("translations/*.qm")
                   if not any(keep in p.stem for keep in KEEP_TRANSLATIONS)]
        for path in doomed:
            if path.is_file() or path.is_symlink():
                freed += path.stat().st_size if path.is_file() else 0
                path.unlink()
    return freed


def leaks(folder: Path) -> list[str]:
    """Developer-only packages found in a built bundle (none expected)."""
    names = ("pytest", "_pytest", "mypy", "ruff", "hypothesis", "pytestqt", "QtWebEngine")
    found = set()
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        for name in names:
            if any(p == name or p.startswith(name + "-") or p.startswith(name + ".")
                   or (name == "QtWebEngine" and "WebEngine" in p) for p in parts):
                found.add(name)
    if (folder / "_internal" / "game" / "testing.py").exists() or \
            any(folder.rglob("game/testing.pyc")):
        found.add("game.testing")
    return sorted(found)


def executable(folder: Path) -> Path:
    return folder / (NAME + (".exe" if sys.platform == "win32" else ""))


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def check(folder: Path) -> list[str]:
    """Run the bundle from a folder outside the checkout: --version, rules check, a screenshot
    (offscreen), and time its start (--version and the screenshot). Returns report lines;
    raises SystemExit on a failure."""
    exe = executable(folder)
    lines = []
    with tempfile.TemporaryDirectory(prefix="closed-loop-bundle-run-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLOSED_LOOP_DATA_DIR=str(Path(tmp) / "data"),
                   XDG_CONFIG_HOME=str(Path(tmp) / "config"), XDG_STATE_HOME=str(Path(tmp) / "state"))
        env.pop("PYTHONPATH", None)
        for args in (["--version"], ["rules", "check"], ["--screenshot", "x.png", "--size", "1366x768"]):
            started = time.perf_counter()
            run = subprocess.run([str(exe), *args], cwd=tmp, env=env, capture_output=True, text=True,
                                 timeout=300)
            elapsed = time.perf_counter() - started
            out = (run.stdout + run.stderr).strip().splitlines()
            if run.returncode != 0:
                raise SystemExit(f"{exe.name} {' '.join(args)} failed ({run.returncode}):\n"
                                 + "\n".join(out[-20:]))
            lines.append(f"{exe.name} {' '.join(args)}: {out[0] if out else ''} ({elapsed:.2f} s)")
        png = Path(tmp) / "x.png"
        if not png.is_file() or png.stat().st_size < 10_000:
            raise SystemExit("the screenshot was not written")
        lines.append(f"x.png: {png.stat().st_size:,} bytes")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", default=str(ROOT / "dist"), help="where the bundle folder goes (default dist/)")
    p.add_argument("--windowed", action="store_true",
                   help="no console window on Windows/macOS (the headless commands then print nowhere)")
    p.add_argument("--check", action="store_true", help="after building, run the bundle from outside the checkout")
    p.add_argument("--check-only", action="store_true", help="do not build: check the bundle already in --dist")
    args = p.parse_args(argv)
    dist = Path(args.dist).resolve()
    started = time.perf_counter()
    if args.check_only:
        folder = dist / NAME
    else:
        shutil.rmtree(dist / NAME, ignore_errors=True)
        folder = build(dist, args.windowed)
        print(f"built {folder} in {time.perf_counter() - started:.0f} s: "
              f"{size_of(folder) / 1e6:.0f} MB, run {executable(folder)}")
    if args.check or args.check_only:
        for line in check(folder):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
