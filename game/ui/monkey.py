"""Monkey test of the real app: seeded random user input over whole sessions.

``Monkey(window, seed=1).run(actions=2000)`` clicks visible enabled widgets, presses keys,
triggers menu actions, zooms, resizes the window and answers whatever dialog is open, each
input chosen by ``random.Random(seed)`` and recorded as a short line (the *trail*) so that a
failure can be replayed. A failure is

* an exception that reaches Qt's event loop (``sys.excepthook``), comes out of an input or of
  event processing (PySide6 raises errors of Python overrides such as ``resizeEvent`` in the
  caller), or that the app caught and printed (``traceback.print_exc``);
* a *stall*: one input plus its event processing taking longer than ``stall_s``;
* a *blocking modal*: a nested event loop (``exec()``) running inside an input;
* a Qt critical message, or an "illegal move" error box (the app checks moves first);
* a *hang*: a step still running after ``hang_s`` (e.g. an endless resize loop). A watchdog
  then prints the trail and every thread's stack and ends the process (exit code 3), so a hang
  fails loudly instead of running into a CI timeout; run the monkey in a subprocess for that.

File dialogs are replaced while the monkey runs (they would block): they answer with files in a
folder of the monkey's own (good saves, corrupt files, a folder, or cancel). Computer players
run on their QTimer; the driver keeps the pace at 0 and processes events a fixed number of
passes per input, so a seed replays the same inputs on the same machine.

Command: ``python -m game.ui.monkey --seconds 300 --seed 1 --out benchmarks/monkey-seed1.json``
(exit 1 on any failure, 3 on a hang; 1 with a bare stack dump if the hung step holds the GIL).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import platform
import random
import re
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar
from unittest import mock

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    Qt,
    QThread,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QAction, QEnterEvent, QKeySequence, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QMenu,
    QMenuBar,
    QMessageBox,
    QSpinBox,
    QTabBar,
    QTabWidget,
    QWidget,
)

Input = tuple[str, str, Callable[[], object]]     # kind, what the trail says, how to do it

TRAIL_SHOWN = 30
SIZES = ((1600, 1237), (1600, 1180), (800, 600), (1920, 1240), (1024, 768), (1280, 800),
         (1366, 768), (1600, 1000), (1440, 900))
KEYS = ("Ctrl+Z", "Ctrl+K", "F1", "F11", "Escape", "Return", "Enter", "Up", "Down", "Left",
        "Right", "Tab", "Shift+Tab", "Space", "PgDown", "Home", "Ctrl+S", "Ctrl+Shift+S",
        "Ctrl+O", "Ctrl+N", "Ctrl+=", "Ctrl+-", "Ctrl+0", "5")
MENU_ACTIONS = {   # QAction objectName -> weight
    "actNew": 3, "actOpen": 3, "actSave": 2, "actSaveAs": 2, "actUndo": 2, "actSkip": 3,
    "actShowEvents": 1, "actConfirmEnd": 1, "actDebrief": 1, "actZoomIn": 2, "actZoomOut": 2,
    "actZoomReset": 1, "actLargeText": 2, "actFullScreen": 1, "actHelp": 1, "actLang_zh": 1,
    "actLang_en": 1,
    # the facilitator's (issue 14): pause, Ctrl+B, a note on the last decision, replay a save
    "actPauseComputers": 1, "actBookmark": 1, "actNote": 1, "actReplay": 1}
ZOOM_ACTIONS = ("actZoomIn", "actZoomOut", "actZoomReset", "actLargeText")
CLICKABLE = (QAbstractButton, QTabBar, QComboBox, QAbstractSlider, QAbstractSpinBox, QMenuBar,
             QAbstractScrollArea)
QT_NOISE = ("does not support", "propagateSizeHints")   # the offscreen platform's shrugs


@dataclass
class Failure:
    kind: str            # exception | caught | stall | modal | qt | error_box | hang
    step: int
    input: str
    message: str
    detail: str = ""     # traceback or stack
    trail: list[str] = field(default_factory=list)
    count: int = 1

    def text(self) -> str:
        lines = [f"[{self.kind}] x{self.count}, first at input #{self.step} ({self.input}): "
                 f"{self.message}"]
        if self.detail:
            lines.append(self.detail.rstrip())
        lines.append(f"last {len(self.trail)} inputs:")
        lines += [f"  {t}" for t in self.trail]
        return "\n".join(lines)


@dataclass
class Report:
    seed: int
    inputs: int
    seconds: float
    counts: dict[str, int]
    games_started: int
    games_finished: int
    step_max_ms: float
    step_p95_ms: float
    step_p50_ms: float
    slowest: list[dict]
    failures: list[Failure]
    qt_messages: dict[str, int]
    environment: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items(), key=lambda kv: -kv[1]))
        lines = [
            f"monkey seed {self.seed}: {self.inputs} inputs in {self.seconds:.1f} s ({kinds})",
            f"games started {self.games_started}, finished {self.games_finished}",
            f"step time: max {self.step_max_ms:.0f} ms, p95 {self.step_p95_ms:.0f} ms, "
            f"median {self.step_p50_ms:.0f} ms; slowest: "
            + "; ".join(f"{s['ms']:.0f} ms {s['input']}" for s in self.slowest[:3]),
            f"failures: {len(self.failures)} distinct, {sum(f.count for f in self.failures)} in all",
        ]
        for f in self.failures:
            lines += ["", f.text()]
        if self.qt_messages:
            lines.append("Qt messages: " + "; ".join(f"{n}x {m}" for m, n in self.qt_messages.items()))
        return "\n".join(lines)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


_Child = TypeVar("_Child", bound=QObject)


def _child(parent: QObject, kind: type[_Child], name: str) -> _Child:
    """``parent``'s child of that type and name; one missing is an error in the window."""
    w = parent.findChild(kind, name)
    if w is None:
        raise LookupError(f"no {kind.__name__} '{name}' in {parent.objectName() or type(parent).__name__}")
    return w


def _name(w: QWidget) -> str:
    if w.objectName():
        return w.objectName()
    text = w.text() if isinstance(w, QAbstractButton) else ""
    return f"{type(w).__name__}" + (f"'{text[:16]}'" if text else "")


def _key(text: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    if text == "Enter":      # the keypad's Enter, which is not "Return" to a shortcut
        return Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier
    combo = QKeySequence(text)[0]  # type: ignore[index]  # operator[] exists; PySide6's stub omits it
    return combo.key(), combo.keyboardModifiers()


class FileDialogs:
    """Answers QFileDialog's static dialogs (which would block) from ``folder``: a good save,
    a corrupt file, a folder, a missing file, or cancel."""

    def __init__(self, rng: random.Random, folder: Path, rules, note: Callable[[str], None]):
        self.rng, self.folder, self.note = rng, folder, note
        self.saves = folder / "saves"
        self.bad = folder / "bad"
        self._n = 0
        self._prepare(rules)

    def _prepare(self, rules) -> None:
        from game.engine import new_game
        from game.players import make_player
        from game.saves import save_game
        from game.session import Session

        for d in (self.saves, self.bad, self.folder / "exports", self.folder / "a-folder.json"):
            d.mkdir(parents=True, exist_ok=True)

        def played(scenario: str, seed: int, moves: int, companies=None):
            state = new_game(rules, scenario, seed, companies)
            seats = {c: make_player("heuristic", seed + i) for i, c in enumerate(state.players)}
            Session(state, seats).play(max_actions=moves)
            return state

        meta = {"controllers": {}, "lang": "en", "autosave": False}
        mid = played("default", 3, 25)
        ctl = {c: ("human" if i == 0 else "heuristic") for i, c in enumerate(mid.players)}
        save_game(mid, self.saves / "mid-game.json", {**meta, "controllers": ctl})
        two = played("default", 4, 10, companies=list(mid.players)[1:])
        save_game(two, self.saves / "two-companies.json",
                  {**meta, "controllers": {c: "human" for c in two.players}})
        over = played("default", 5, 10_000)
        save_game(over, self.saves / "finished.json", meta)
        text = (self.saves / "mid-game.json").read_text(encoding="utf-8")
        data = json.loads(text)
        (self.bad / "garbage.json").write_bytes(b"\x00\xffnot a save")
        (self.bad / "empty.json").write_bytes(b"")
        (self.bad / "truncated.json").write_text(text[: len(text) // 2], encoding="utf-8")
        (self.bad / "not-a-save.json").write_text('{"hello": 1}', encoding="utf-8")
        tampered = dict(data, seed=data["seed"] + 1)
        (self.bad / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
        for name, value in (("controllers-list", ["human", "random"]), ("controllers-text", "human"),
                            ("controllers-bad", {c: 5 for c in mid.players})):
            odd = dict(data, meta=dict(data["meta"], controllers=value))
            (self.bad / f"{name}.json").write_text(json.dumps(odd), encoding="utf-8")

    @contextmanager
    def installed(self) -> Iterator[None]:
        with (mock.patch.object(QFileDialog, "getOpenFileName", self.open_name),
              mock.patch.object(QFileDialog, "getOpenFileNames", self.open_names),
              mock.patch.object(QFileDialog, "getSaveFileName", self.save_name)):
            yield

    def _pick(self, options: list[tuple[float, Callable[[], str]]]) -> str:
        weights = [w for w, _ in options]
        return self.rng.choices(options, weights)[0][1]()

    def open_name(self, *args, **kwargs) -> tuple[str, str]:
        goods = sorted(self.saves.glob("*.json"))
        bads = sorted(self.bad.glob("*.json"))
        path = self._pick([
            (45, lambda: str(self.rng.choice(goods))),
            (30, lambda: str(self.rng.choice(bads))),
            (5, lambda: str(self.folder / "missing.json")),
            (5, lambda: str(self.folder / "a-folder.json")),
            (15, lambda: ""),
        ])
        self.note(f"open dialog -> {path or '(cancel)'}")
        return path, ""

    def open_names(self, *args, **kwargs) -> tuple[list[str], str]:
        """Several saves at once (a class's tables), good and bad mixed, or a cancel."""
        paths = [p for p in (self.open_name()[0] for _ in range(self.rng.randint(1, 3))) if p]
        return paths, ""

    def save_name(self, parent=None, caption: str = "", start: str = "", *args, **kwargs) -> tuple[str, str]:
        self._n += 1
        suffix = Path(str(start)).suffix.lower()
        if suffix in (".png", ".csv"):     # the debrief's exports
            path = self._pick([
                (60, lambda: str(self.folder / "exports" / f"export-{self._n}{suffix}")),
                (15, lambda: str(self.folder / "a-folder.json")),
                (25, lambda: ""),
            ])
        else:
            goods = sorted(self.saves.glob("*.json"))
            path = self._pick([
                (50, lambda: str(self.saves / f"save-{self._n}.json")),
                (10, lambda: str(self.saves / f"save-{self._n}")),
                (15, lambda: str(self.rng.choice(goods))),
                (10, lambda: str(self.folder / "a-folder.json")),
                (15, lambda: ""),
            ])
        self.note(f"save dialog -> {path or '(cancel)'}")
        return path, ""


class Watchdog:
    """Ends the process if one step runs longer than ``hang_s``: prints the step, the trail and
    every thread's stack first. faulthandler's own C thread is the backstop for a main thread
    that holds the GIL inside Qt (then no Python thread can run)."""

    def __init__(self, hang_s: float, report: Callable[[str], None], backstop_s: float = 5.0):
        self.hang_s, self.report, self.backstop_s = hang_s, report, backstop_s
        self._deadline: float | None = None
        self._label = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="monkey-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.disarm()
        self._stop.set()
        self._thread.join(2)

    def arm(self, label: str) -> None:
        self._label = label
        self._deadline = time.monotonic() + self.hang_s
        faulthandler.dump_traceback_later(self.hang_s + self.backstop_s, exit=True)

    def disarm(self) -> None:
        self._deadline = None
        faulthandler.cancel_dump_traceback_later()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            deadline = self._deadline
            if deadline is not None and time.monotonic() > deadline:
                try:
                    self.report(f"hang: input {self._label} still running after {self.hang_s:.0f} s")
                    faulthandler.dump_traceback(sys.stderr, all_threads=True)
                    sys.stderr.flush()
                finally:
                    os._exit(3)


class Monkey:
    """Drives one MainWindow (and the windows it opens) with seeded random input."""

    def __init__(self, window, app: QCoreApplication | None = None, seed: int = 0, *,
                 new_window: Callable[[], object] | None = None, folder: str | Path | None = None,
                 stall_s: float = 1.0, hang_s: float = 20.0, passes: int = 3,
                 trail_path: str | Path | None = None):
        self.window = window
        app = app or QApplication.instance()
        if app is None:   # cannot be: the window needs one
            raise RuntimeError("the monkey needs the window's QApplication")
        self.app = app
        self.seed = seed
        self.rng = random.Random(seed)
        self.new_window = new_window
        self.stall_s, self.hang_s, self.passes = stall_s, hang_s, passes
        self._tmp = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="closed-loop-monkey-")
            folder = self._tmp.name
        self.folder = Path(folder)
        self.files = FileDialogs(self.rng, self.folder / "files", window.rules, self._note)
        self.trail: list[str] = []      # inputs and, indented, what the app answered
        self.inputs = 0
        self.on_hang_report: Callable[[Report], None] | None = None
        self.trail_path = trail_path
        self._trail_file: TextIO | None = None
        self.counts: Counter[str] = Counter()
        self.step_times: list[tuple[float, str]] = []
        self.failures: dict[tuple, Failure] = {}
        self.qt_messages: Counter[str] = Counter()
        self.games_started = self.games_finished = 0
        self._seen_windows = 0
        self._state = None
        self._state_was_over = False
        self._current = "(start)"
        self._base_loop_level = 0
        self._illegal_prefixes = [window.ui.t("error.illegal", lang, reason="\0").split("\0")[0]
                                  for lang in ("zh", "en")]
        self.action_keys = sorted({spec.key for spec in window.rules.actions if spec.key})

    # ------------------------------------------------------------------ running

    def run(self, actions: int | None = None, seconds: float | None = None,
            progress: Callable[[str], None] | None = None) -> Report:
        """Make inputs until ``actions`` were made or ``seconds`` have passed."""
        if actions is None and seconds is None:
            raise ValueError("give actions or seconds")
        start = time.perf_counter()
        next_note = start + 30
        with self.session():
            while True:
                elapsed = time.perf_counter() - start
                if actions is not None and self.inputs >= actions:
                    break
                if seconds is not None and elapsed >= seconds:
                    break
                self.step()
                if progress and time.perf_counter() >= next_note:
                    next_note += 30
                    progress(f"  {elapsed:4.0f} s: {self.inputs} inputs, games "
                             f"{self.games_started}/{self.games_finished}, "
                             f"{len(self.failures)} failure(s)")
        return self.report(time.perf_counter() - start)

    @contextmanager
    def session(self) -> Iterator[None]:
        """Hooks, stubs and watchdogs for the run; everything is put back afterwards."""
        with ExitStack() as stack:
            stack.enter_context(self._hooks())
            stack.enter_context(self.files.installed())
            self.watchdog = stack.enter_context(Watchdog(self.hang_s, self._on_hang))
            detector = QTimer()
            detector.setInterval(200)
            detector.timeout.connect(self._nested_loop_check)
            self._base_loop_level = QThread.currentThread().loopLevel()
            detector.start()
            stack.callback(detector.stop)
            if self.trail_path:         # written as it goes: still there if the process dies
                self._trail_file = stack.enter_context(open(self.trail_path, "a", encoding="utf-8"))
                stack.callback(setattr, self, "_trail_file", None)
            saved = random.getstate()   # the new-game dialog draws its seed from `random`
            random.seed(self.seed)
            stack.callback(random.setstate, saved)
            self.window.activateWindow()
            yield

    def report(self, seconds: float) -> Report:
        times = [t for t, _ in self.step_times]
        slowest = sorted(self.step_times, key=lambda x: -x[0])[:10]
        return Report(
            seed=self.seed, inputs=self.inputs, seconds=round(seconds, 2),
            counts=dict(self.counts), games_started=self.games_started,
            games_finished=self.games_finished,
            step_max_ms=round(1000 * max(times, default=0), 1),
            step_p95_ms=round(1000 * _percentile(times, 0.95), 1),
            step_p50_ms=round(1000 * _percentile(times, 0.5), 1),
            slowest=[{"ms": round(1000 * t, 1), "input": s} for t, s in slowest],
            failures=list(self.failures.values()), qt_messages=dict(self.qt_messages.most_common(20)),
            environment={"python": platform.python_version(), "pyside6": PYSIDE_VERSION,
                         "platform": QApplication.platformName(), "machine": platform.platform(),
                         "cpus": str(os.cpu_count())})

    # ------------------------------------------------------------------ one step

    def step(self) -> None:
        kind, label, fn = self._choose()
        self.do(kind, label, fn)

    def do(self, kind: str, label: str, fn: Callable[[], object]) -> None:
        """One input: record it, perform it, process events, time the whole."""
        text = f"#{self.inputs} {kind} {label}"
        self.inputs += 1
        self._record(text)
        self.counts[kind] += 1
        self._current = text
        self.watchdog.arm(text)
        t0 = time.perf_counter()
        try:
            fn()
        except Exception as exc:   # an override's error comes out of the Qt call (PySide6)
            self._fail("exception", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        self.settle(self.passes)
        dt = time.perf_counter() - t0
        self.watchdog.disarm()
        self.step_times.append((dt, text))
        if dt > self.stall_s:
            self._fail("stall", f"{dt:.2f} s for one input and its events (limit {self.stall_s} s)",
                       key=("stall", kind))
        self._after_step()

    def settle(self, passes: int) -> None:
        """A fixed number of event-loop passes: timers at pace 0 fire once per pass."""
        for _ in range(passes):
            try:
                self.app.processEvents()
                QCoreApplication.sendPostedEvents(None, int(QEvent.Type.DeferredDelete.value))
            except Exception as exc:
                self._fail("exception", f"{type(exc).__name__}: {exc}", traceback.format_exc())

    def _after_step(self) -> None:
        w = self.window
        if w.pace.value() != 0:            # keep the computers fast and the run reproducible
            w.pace.setValue(0)
            self._note("pace set back to 0")
        s = w.state
        if s is not self._state:
            self._state, self._state_was_over = s, s is not None and s.is_terminal()
            if s is not None:
                self.games_started += 1
        elif s is not None and not self._state_was_over and s.is_terminal():
            self._state_was_over = True
            self.games_finished += 1
        for box in self._top_levels():
            if isinstance(box, QMessageBox) and not box.property("monkeySeen"):
                box.setProperty("monkeySeen", True)
                text = box.text()
                self._note(f"{box.objectName() or 'message box'}: {text.splitlines()[0][:80] if text else ''}")
                if box.objectName() == "errorBox" and any(text.startswith(p) for p in self._illegal_prefixes):
                    self._fail("error_box", text.replace("\n", " / "))

    # ------------------------------------------------------------------ choosing inputs

    def _choose(self) -> Input:
        rng, w = self.rng, self.window
        if not w.isVisible():
            return "restart", "(the window was closed)", self._restart
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return self._popup_input(popup)
        modal = QApplication.activeModalWidget()
        if modal is not None:
            r = rng.random()
            if r < 0.6:
                return self._answer(modal)
            if r < 0.85:
                return self._click_input(modal)
            return self._key_input(modal)
        human = w.is_human_turn()
        others = [t for t in self._top_levels() if t is not w and (
            isinstance(t, QMessageBox) or t.objectName() == "debriefWindow")]
        weights = {
            "play": 30 if human else 0,
            "click": 22, "key": 12, "menu": 8 if w.state is not None else 25, "menubar": 3,
            "zoom": 4, "hover": 5, "wheel": 2, "resize": 4,
            "wait": 8 if human or w.state is None else 30,
            "answer": 15 if others else 0,
            "restart": 0.4 if self.new_window else 0,
        }
        kind = rng.choices(list(weights), list(weights.values()))[0]
        if kind == "play":
            return self._play_input()
        if kind == "click":
            tops = [w] * 3 + others
            return self._click_input(rng.choice(tops))
        if kind == "key":
            return self._key_input(QApplication.activeWindow() or w)
        if kind == "menu":
            return self._menu_input(MENU_ACTIONS if w.state is not None else {"actNew": 4, "actOpen": 1})
        if kind == "menubar":
            return self._menubar_input()
        if kind == "zoom":    # by its keys or its menu actions
            if rng.random() < 0.3:
                _, label, fn = self._key_input(w, rng.choice(("Ctrl+=", "Ctrl+-", "Ctrl+0")))
            else:
                _, label, fn = self._menu_input({a: 1 for a in ZOOM_ACTIONS})
            return "zoom", label, fn
        if kind == "hover":
            return self._hover_input()
        if kind == "wheel":
            return self._wheel_input()
        if kind == "resize":
            return self._resize_input()
        if kind == "answer":
            return self._answer(rng.choice(others))
        if kind == "restart":
            return "restart", "quit (Ctrl+Q) and start the app again", self._quit
        n = rng.randint(0, 5)   # on top of the usual passes: a step stays one short wait
        return "wait", f"{n + self.passes} passes", lambda: self.settle(n)

    def _top_levels(self) -> list[QWidget]:
        """Visible windows in the order they were first seen (Qt's own order is a hash's)."""
        tops = [t for t in QApplication.topLevelWidgets()
                if t.isVisible() and t.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
                and not isinstance(t, QMenu)]
        for t in sorted((t for t in tops if t.property("monkeyOrder") is None),
                        key=lambda t: (t.objectName(), t.windowTitle())):
            self._seen_windows += 1
            t.setProperty("monkeyOrder", self._seen_windows)
        return sorted(tops, key=lambda t: t.property("monkeyOrder"))

    # clicks

    def _visible(self, w: QWidget) -> QRect:
        return w.visibleRegion().boundingRect() if w.isVisible() else QRect()

    def _click_input(self, top: QWidget) -> Input:
        rng = self.rng
        cands = [c for c in [top, *top.findChildren(QWidget)]
                 if isinstance(c, CLICKABLE) or type(c).__name__ == "CompanyPanel"]
        cands = [c for c in cands if c.isEnabled() and c.isVisible() and not self._visible(c).isEmpty()]
        if not cands:
            return "wait", "nothing to click", lambda: None
        target = rng.choice(cands)
        if isinstance(target, QTabBar) and target.count():
            pos = target.tabRect(rng.randrange(target.count())).center()
        elif isinstance(target, QMenuBar) and target.actions():
            pos = target.actionGeometry(rng.choice(target.actions())).center()
        else:
            r = self._visible(target)
            pos = QPoint(rng.randint(r.left(), r.right()), rng.randint(r.top(), r.bottom()))
        double = rng.random() < 0.05
        return "click", f"{'double ' if double else ''}{_name(target)} @{pos.x()},{pos.y()} in {_name(top)}", \
            lambda: self._click(target, pos, double)

    def _click(self, widget: QWidget, pos: QPoint, double: bool = False) -> None:
        """As a mouse does: to the deepest widget under the point, in the activated window."""
        if not widget.isVisible():
            return
        if QApplication.activeModalWidget() is None:
            widget.window().activateWindow()
        child = widget.childAt(pos)
        if child is not None:
            pos, widget = child.mapFrom(widget, pos), child
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        if double and widget.isVisible():
            QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)

    def _play_input(self) -> Input:
        """A move of the person whose turn it is: a node, an action button or the end of turn."""
        rng, w = self.rng, self.window
        s = w.state
        r = rng.random()
        if r < 0.35:
            cid = s.current_company
            idx = list(s.players).index(cid)
            if w.tabs.currentIndex() != idx and rng.random() < 0.8:
                tab_bar = w.tabs.tabBar()
                return "play", f"tab {cid}", lambda: self._click(tab_bar, tab_bar.tabRect(idx).center())
            board = w.tabs.currentWidget()
            scene = board.scene()
            caps = list(scene.nodes)
            good = [c for c in caps if scene.nodes[c].look.buildable]
            cap = rng.choice(good if good and rng.random() < 0.7 else caps)
            twice = rng.random() < 0.6
            def click_node() -> None:
                for _ in range(2 if twice else 1):
                    if board.isVisible() and cap in scene.nodes:
                        pos = board.node_center(cap)
                        if board.viewport().rect().contains(pos):
                            self._click(board.viewport(), pos)
            return "play", f"node {cap} on {board.objectName()}{' twice' if twice else ''}", click_node
        if r < 0.5:
            if rng.random() < 0.5:
                return self._key_input(w, "Return")
            button = w.action_bar.findChild(QAbstractButton, "action_end_turn")
            if button is not None and button.isVisible():
                return "play", "end turn button", lambda: self._click(button, button.rect().center())
        buttons = [b for b in w.action_bar.findChildren(QAbstractButton)
                   if b.isVisible() and b.isEnabled()]
        if not buttons:
            return "wait", "no action button", lambda: None
        b = rng.choice(buttons)
        return "play", f"button {b.objectName()}", lambda: self._click(b, b.rect().center())

    def _hover_input(self) -> Input:
        rng, w = self.rng, self.window
        if w.state is not None and rng.random() < 0.5:
            board = w.tabs.currentWidget()
            cap = rng.choice(list(board.scene().nodes))
            def move() -> None:
                if board.isVisible() and cap in board.scene().nodes:
                    QTest.mouseMove(board.viewport(), board.node_center(cap))
            return "hover", f"node {cap} on {board.objectName()}", move
        cands = [c for c in w.findChildren(QWidget) if c.isVisible() and (
            isinstance(c, QAbstractButton) or c.objectName() in ("eventCard",))]
        if not cands:
            return "wait", "nothing to hover", lambda: None
        target = rng.choice(cands)
        def enter() -> None:
            if target.isVisible():
                p = QPointF(2, 2)
                QApplication.sendEvent(target, QEnterEvent(p, p, QPointF(target.mapToGlobal(QPoint(2, 2)))))
        return "hover", _name(target), enter

    def _wheel_input(self) -> Input:
        rng, w = self.rng, self.window
        areas = [a for a in w.findChildren(QAbstractScrollArea) if a.isVisible()]
        if not areas:
            return "wait", "nothing to scroll", lambda: None
        area = rng.choice(areas)
        dy = rng.choice((-360, -120, 120, 360))
        ctrl = rng.random() < 0.2
        def wheel() -> None:
            vp = area.viewport()
            if not vp.isVisible():
                return
            p = QPointF(vp.rect().center())
            mods = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
            ev = QWheelEvent(p, QPointF(vp.mapToGlobal(p.toPoint())), QPoint(), QPoint(0, dy),
                             Qt.MouseButton.NoButton, mods, Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(vp, ev)
        return "wheel", f"{_name(area)} {dy:+d}{' ctrl' if ctrl else ''}", wheel

    # keys, menus, window

    def _key_input(self, top: QWidget, key: str | None = None) -> Input:
        rng = self.rng
        if key is None:
            pool = list(KEYS) + self.action_keys * 2
            key = rng.choice(pool)
        def press() -> None:
            window = QApplication.activeModalWidget() or QApplication.activeWindow() or top
            if not window.isVisible():
                return
            if QApplication.activeWindow() is None:
                window.activateWindow()
            focus = QApplication.focusWidget()
            target = focus if focus is not None and focus.window() is window.window() else window
            k, mods = _key(key)
            QTest.keyClick(target, k, mods)
        return "key", key, press

    def _menu_input(self, names: Mapping[str, float]) -> Input:
        acts = {n: self.window.findChild(QAction, n) for n in names}
        acts = {n: a for n, a in acts.items() if a is not None and a.isEnabled()}
        if not acts:
            return "wait", "no menu action enabled", lambda: None
        name = self.rng.choices(list(acts), [names[n] for n in acts])[0]
        return "menu", name, acts[name].trigger

    def _menubar_input(self) -> Input:
        bar = self.window.menuBar()
        acts = [a for a in bar.actions() if a.isVisible()]
        a = self.rng.choice(acts)
        return "menubar", a.text().replace("&", ""), lambda: self._click(bar, bar.actionGeometry(a).center())

    def _resize_input(self) -> Input:
        rng, w = self.rng, self.window
        if rng.random() < 0.2:   # drag the splitter: the board's width changes, not the window's
            total = sum(w.splitter.sizes())
            left = rng.randint(total // 4, total - 80)
            return "resize", f"splitter {left}/{total - left}", lambda: w.splitter.setSizes([left, total - left])
        if rng.random() < 0.5:
            width, height = rng.choice(SIZES)
        else:
            width, height = rng.randint(800, 1920), rng.randint(600, 1240)
        return "resize", f"{width}x{height}", lambda: w.resize(width, height)

    def _quit(self) -> None:
        self.window.findChild(QAction, "actQuit").trigger()

    def _restart(self) -> None:
        """The app closed: start it again, as a person would (the resume question comes up).
        Without ``new_window`` the same window is shown again."""
        old = self.window
        old.close()
        if self.new_window is not None:
            old.deleteLater()
            self.window = self.new_window()
        self.window.show()              # as game/ui/app.py does: show, then start
        self.window.activateWindow()
        if self.window is not old:
            self.window.start()

    # popups and dialogs

    def _popup_input(self, popup: QWidget) -> Input:
        rng = self.rng
        if rng.random() < 0.25:
            return "popup", f"Escape in {_name(popup)}", lambda: QTest.keyClick(popup, Qt.Key.Key_Escape)
        if isinstance(popup, QMenu):
            acts = [a for a in popup.actions() if a.isVisible() and not a.isSeparator()]
            if acts:
                a = rng.choice(acts)
                pos = popup.actionGeometry(a).center()
                return "popup", f"menu item {a.objectName() or a.text().replace('&', '')}", \
                    lambda: QTest.mouseClick(popup, Qt.MouseButton.LeftButton,
                                             Qt.KeyboardModifier.NoModifier, pos)
        combo = popup.parentWidget()   # a combo box's list lives in a container popup
        if isinstance(combo, QComboBox) and combo.count():
            view = combo.view()
            row = rng.randrange(combo.count())
            def pick() -> None:   # by keys: the list ignores clicks just after it opens
                view.setCurrentIndex(view.model().index(row, 0))
                QTest.keyClick(view, Qt.Key.Key_Return)
            return "popup", f"list row {row}", pick
        return "popup", f"close {_name(popup)}", popup.close

    def _answer(self, w: QWidget) -> Input:
        """A sensible answer to a dialog or message box that is open."""
        rng = self.rng
        name = w.objectName()
        if name == "newGameDialog" and isinstance(w, QDialog):
            return self._answer_new_game(w)
        if name == "debriefWindow" and isinstance(w, QDialog):
            return self._answer_debrief(w)
        if isinstance(w, QMessageBox):
            buttons = [b for b in w.buttons() if b.isVisible()]
            check = w.checkBox()
            r = rng.random()
            if r < 0.1:
                return "answer", f"{name}: Escape", lambda: QTest.keyClick(w, Qt.Key.Key_Escape)
            if r < 0.2:
                return "answer", f"{name}: Return", lambda: QTest.keyClick(w, Qt.Key.Key_Return)
            if check is not None and r < 0.25:
                return "answer", f"{name}: tick {_name(check)}", lambda: self._click(check, check.rect().center())
            if buttons:
                yes = [b for b in buttons if b.objectName() in ("confirmYes", "resumeYes")]
                b = rng.choice(yes) if yes and rng.random() < 0.6 else rng.choice(buttons)
                return "answer", f"{name}: {_name(b)}", lambda: self._click(b, b.rect().center())
        return "answer", f"{name or type(w).__name__}: Escape", lambda: QTest.keyClick(w, Qt.Key.Key_Escape)

    def _answer_new_game(self, dlg: QDialog) -> Input:
        rng = self.rng
        scen = _child(dlg, QComboBox, "scenarioCombo")
        scen_i = rng.randrange(scen.count()) if rng.random() < 0.5 else scen.currentIndex()
        roles = {}
        for cid in self.window.rules.companies:
            roles[cid] = (rng.choices(("human", "computer", "out"), (3, 5, 2))[0],
                          rng.choice(("heuristic", "random")))
        seed = rng.randrange(1_000_000) if rng.random() < 0.4 else None
        switch_lang = rng.random() < 0.1
        finish = rng.choices(("start", "cancel", "escape"), (85, 10, 5))[0]

        def answer() -> None:
            scen.setCurrentIndex(scen_i)
            for cid, (role, level) in roles.items():
                rc = dlg.findChild(QComboBox, f"role_{cid}")
                lc = dlg.findChild(QComboBox, f"level_{cid}")
                if rc is not None and rc.isEnabled():
                    rc.setCurrentIndex(rc.findData(role))
                if lc is not None and lc.isEnabled():
                    lc.setCurrentIndex(lc.findData(level))
            if seed is not None:
                _child(dlg, QCheckBox, "seedRandom").setChecked(False)
                _child(dlg, QSpinBox, "seedSpin").setValue(seed)
            if switch_lang:
                lang = _child(dlg, QComboBox, "langCombo")
                lang.setCurrentIndex(1 - lang.currentIndex())
            start = _child(dlg, QAbstractButton, "startButton")
            if finish == "start" and start.isEnabled():
                self._click(start, start.rect().center())
            elif finish == "escape":
                QTest.keyClick(dlg, Qt.Key.Key_Escape)
            else:
                cancel = [b for b in dlg.findChildren(QAbstractButton) if b.isVisible() and b is not start
                          and b.parent() is start.parent()]
                self._click(cancel[0], cancel[0].rect().center()) if cancel else dlg.reject()

        who = " ".join(f"{c}={r if r != 'computer' else lv}" for c, (r, lv) in roles.items())
        label = (f"new game: {scen.itemData(scen_i)} {who}" + (f" seed={seed}" if seed is not None else "")
                 + (" switch-language" if switch_lang else "") + f" {finish}")
        return "answer", label, answer

    def _answer_debrief(self, dlg: QDialog) -> Input:
        rng = self.rng
        choice = rng.choices(("tab", "language", "close", "png", "csv", "escape", "resize"),
                             (40, 15, 15, 8, 8, 7, 7))[0]
        if choice == "tab":
            bar = _child(dlg, QTabWidget, "debriefTabs").tabBar()
            i = rng.randrange(bar.count())
            return "answer", f"debrief tab {i}", lambda: self._click(bar, bar.tabRect(i).center())
        if choice == "resize":
            width, height = rng.randint(700, 1800), rng.randint(500, 1200)
            return "answer", f"debrief resize {width}x{height}", lambda: dlg.resize(width, height)
        if choice == "escape":
            return "answer", "debrief Escape", lambda: QTest.keyClick(dlg, Qt.Key.Key_Escape)
        name = {"language": "languageButton", "close": "closeButton", "png": "exportPngButton",
                "csv": "exportCsvButton"}[choice]
        b = _child(dlg, QAbstractButton, name)
        return "answer", f"debrief {name}", lambda: self._click(b, b.rect().center())

    # ------------------------------------------------------------------ failures

    def _record(self, text: str) -> None:
        self.trail.append(text)
        if self._trail_file:
            self._trail_file.write(text + "\n")
            self._trail_file.flush()

    def _note(self, text: str) -> None:
        """What the app answered (a file dialog, a message box): in the trail, not an input."""
        self._record(f"    ({text.replace(str(self.folder), '<tmp>')})")

    def _fail(self, kind: str, message: str, detail: str = "", key: tuple | None = None) -> None:
        if key is None:   # the same bug again: count it, keep the first trail
            frames = re.findall(r'File "([^"]+)", line (\d+)', detail)
            key = (kind, message.split(":")[0], tuple(frames[-1:]))
        f = self.failures.get(key)
        if f is not None:
            f.count += 1
            return
        self.failures[key] = Failure(kind, self.inputs - 1, self._current, message, detail,
                                     self._trail_tail())

    def _trail_tail(self) -> list[str]:
        return self.trail[-TRAIL_SHOWN:]

    def _on_hang(self, message: str) -> None:
        earlier = [f"  [{f.kind}] x{f.count} at {f.input}: {f.message}" for f in self.failures.values()]
        self._fail("hang", message)
        lines = [f"MONKEY HANG (seed {self.seed}): {message}", f"last {TRAIL_SHOWN} inputs:"]
        lines += [f"  {t}" for t in self._trail_tail()]
        if earlier:
            lines += ["failures before the hang:", *earlier]
        print("\n".join(lines), file=sys.stderr, flush=True)
        if self.on_hang_report is not None:
            self.on_hang_report(self.report(0.0))

    def _nested_loop_check(self) -> None:
        """Runs every 200 ms; inside an input it can only run in a nested event loop, i.e. a
        modal exec() that would block the monkey (and a class's game)."""
        if QThread.currentThread().loopLevel() <= self._base_loop_level:
            return
        blocker = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        what = f"{type(blocker).__name__} '{blocker.objectName()}'" if blocker is not None else "?"
        if blocker is not None and hasattr(blocker, "windowTitle"):
            what += f" titled '{blocker.windowTitle()}'"
        stack = "".join(traceback.format_stack()[:-1])
        self._fail("modal", f"a nested event loop (modal exec) blocked the input: {what}", stack)
        if isinstance(blocker, QDialog):
            blocker.reject()
        elif blocker is not None:
            blocker.close()

    @contextmanager
    def _hooks(self) -> Iterator[None]:
        old_hook, old_unraisable, old_print_exc = sys.excepthook, sys.unraisablehook, traceback.print_exc

        def excepthook(kind, value, tb) -> None:
            self._fail("exception", f"{kind.__name__}: {value}",
                       "".join(traceback.format_exception(kind, value, tb)))
            old_hook(kind, value, tb)

        def unraisable(info) -> None:
            self._fail("exception", f"unraisable {info.exc_type.__name__}: {info.exc_value}",
                       "".join(traceback.format_exception(info.exc_type, info.exc_value,
                                                          info.exc_traceback)))
            old_unraisable(info)

        def print_exc(limit=None, file=None, chain=True) -> None:   # the app caught it
            kind, value, _ = sys.exc_info()
            self._fail("caught", f"{getattr(kind, '__name__', kind)}: {value}",
                       traceback.format_exc(limit=limit, chain=chain))
            old_print_exc(limit=limit, file=file, chain=chain)

        def qt_message(mode, context, message: str) -> None:
            if any(n in message for n in QT_NOISE):
                return
            self.qt_messages[message[:200]] += 1
            if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
                self._fail("qt", message[:300])

        sys.excepthook, sys.unraisablehook, traceback.print_exc = excepthook, unraisable, print_exc
        old_qt = qInstallMessageHandler(qt_message)
        try:
            yield
        finally:
            sys.excepthook, sys.unraisablehook, traceback.print_exc = old_hook, old_unraisable, old_print_exc
            qInstallMessageHandler(old_qt)


# ---------------------------------------------------------------------------------- command

def main(argv: list[str] | None = None) -> int:
    """``python -m game.ui.monkey --seconds 300 --seed 1 [--out FILE.json]``; 0 when clean."""
    p = argparse.ArgumentParser(prog="python main.py monkey",
                                description="Random-input test of the desktop app (offscreen).")
    p.add_argument("--seconds", type=float, help="run this long (default 60 s without --actions)")
    p.add_argument("--actions", type=int, help="make this many inputs")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="write the figures and failures as JSON to this file")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--stall", type=float, default=1.0, help="longest step in seconds (default 1.0)")
    p.add_argument("--hang", type=float, default=20.0, help="end the run if a step hangs this long")
    p.add_argument("--trail", help="append every input to this file as it is made")
    p.add_argument("--rules", help="rules folder (default: the game's rules/)")
    args = p.parse_args(argv)
    if args.seconds is None and args.actions is None:
        args.seconds = 60.0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings

    from game.engine import load_rules
    from game.paths import RULES_DIR

    from .fonts import install_app_font
    from .i18n import ui_texts
    from .mainwindow import MainWindow

    with tempfile.TemporaryDirectory(prefix="closed-loop-monkey-") as tmp:
        os.environ["CLOSED_LOOP_DATA_DIR"] = str(Path(tmp) / "data")   # never the user's autosave
        app = QApplication.instance() or QApplication(["closed-loop-monkey"])
        install_app_font()
        rules = load_rules(args.rules or RULES_DIR)
        ui = ui_texts()
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("pace_ms", 0)
        settings.setValue("lang", args.lang)

        def new_window() -> MainWindow:
            return MainWindow(rules, lang=args.lang, settings=settings, ui=ui)

        window = new_window()
        window.show()
        window.start()
        monkey = Monkey(window, app, args.seed, new_window=new_window, folder=Path(tmp) / "monkey",
                        stall_s=args.stall, hang_s=args.hang, trail_path=args.trail)

        def write(report: Report) -> None:
            if args.out:
                Path(args.out).parent.mkdir(parents=True, exist_ok=True)
                Path(args.out).write_text(json.dumps(report.as_dict(), indent=1, ensure_ascii=False),
                                          encoding="utf-8")

        monkey.on_hang_report = write
        budget = f"{args.actions} inputs" if args.actions else f"{args.seconds:.0f} s"
        print(f"monkey: seed {args.seed}, {budget}, {QApplication.platformName()}", flush=True)
        report = monkey.run(actions=args.actions, seconds=args.seconds,
                            progress=lambda s: print(s, flush=True))
        print(report.summary())
        write(report)
        monkey.window.ai_timer.stop()
        monkey.window.close()
        return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
