"""``bench-ui``: how fast the real app answers a click, and how fast it starts.

Two measurements, in one run:

* **Clicks, mid-game.** The real main window (offscreen), on a game the heuristic players have
  brought to round ``--round`` with the first company played by a person and the others by the
  computer at pace 0. The real widgets are clicked with ``QTest`` (Sell, a node on the board,
  the same node again to build it, End turn) and the events processed until a paint-event filter
  installed on the application has seen the window repaint; the time from just before the click
  to then (``time.perf_counter``) is one sample. Sell and the build are taken back (undo) between
  samples and End turn starts from the same position each time, so every sample is the same
  click on the same game. Reported per action: median, 95th percentile, and paint events per
  click. End turn's figure ends at the first repaint (the turn has visibly passed); the time
  until the computers have played and it is the person's turn again is reported beside it
  (``end_turn_round_trip``: it includes the computer players' thinking).
* **Cold start.** Fresh interpreters, in turns: the app (``closed-loop`` with no arguments, so
  the window and the new-game dialog) and a bare PySide6 window (a QMainWindow with a label),
  each timed from the start of the process to its first paint event; medians and their ratio.

``python main.py bench-ui [--repeats 30] [--cold-repeats 7] [--json] [--out benchmarks/ui.json]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from game.session import SessionHooks

TARGET_MEDIAN_MS = 16.0
TARGET_P95_MS = 50.0
TARGET_COLD_RATIO = 3.0

# A process that prints one line when its first widget paints, then ends.
_COLD_CHILD = r"""
import os, sys

if sys.argv[1] == "app":
    from game.cli import main     # first, as main.py does: the game's imports, then Qt's

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

app = QApplication([sys.argv[1] == "app" and "closed-loop" or "bare"])


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write("painted\n")
            sys.stdout.flush()
            os._exit(0)
        return False


watch = FirstPaint()
app.installEventFilter(watch)
if sys.argv[1] == "bare":
    from PySide6.QtWidgets import QLabel, QMainWindow

    window = QMainWindow()
    window.setCentralWidget(QLabel("Closed Loop"))
    window.resize(1366, 768)
    window.show()
    sys.exit(app.exec())
sys.exit(main([]))
"""


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0-100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples: list[float], paints: list[int] | None = None) -> dict:
    out = {"n": len(samples), "median_ms": round(statistics.median(samples), 2),
           "p95_ms": round(percentile(samples, 95), 2), "min_ms": round(min(samples), 2),
           "max_ms": round(max(samples), 2)}
    if paints:
        out["paints_median"] = statistics.median(paints)
    return out


# ---------------------------------------------------------------- cold start


def _cold_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # bytecode caches as an installed app has them (pip and PyInstaller compile them): the
    # warm-up starts write them where this machine's environment would forbid it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["CLOSED_LOOP_DATA_DIR"] = str(folder / "data")   # no autosave to resume, none touched
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        env[var] = str(folder / var.lower())              # settings and the log file: private
    root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def cold_start_once(kind: str, folder: Path, timeout: float = 60.0) -> float:
    """Seconds from starting a fresh interpreter to the first paint of ``kind`` ("app" or
    "bare")."""
    env = _cold_env(folder)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _COLD_CHILD, kind], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(folder))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if line.strip() != "painted":
        err = proc.stderr.read() if proc.stderr is not None else ""
        raise RuntimeError(f"cold start of {kind} did not paint (exit {proc.returncode}): {err[-2000:]}")
    return elapsed


def cold_start(repeats: int) -> dict:
    """The app and a bare window, interleaved (the order alternating), ``repeats`` each."""
    app: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory(prefix="closed-loop-bench-") as tmp:
        folder = Path(tmp)
        cold_start_once("bare", folder)          # warm the disk cache for both, not counted
        cold_start_once("app", folder)
        for i in range(repeats):
            order = ("bare", "app") if i % 2 == 0 else ("app", "bare")
            for kind in order:
                (app if kind == "app" else bare).append(cold_start_once(kind, folder))
    app_m, bare_m = statistics.median(app), statistics.median(bare)
    return {"app_s": [round(v, 3) for v in app], "bare_s": [round(v, 3) for v in bare],
            "app_median_s": round(app_m, 3), "bare_median_s": round(bare_m, 3),
            "ratio": round(app_m / bare_m, 2)}


# ---------------------------------------------------------------- clicks


class _Clicks:
    """The app on two mid-game positions, and the clicks timed on them.

    Both are in round ``round_`` with one company played by a person and the others by the
    heuristic at pace 0: *mid* has the person to move, not last in the round (its End turn passes
    the turn to a computer), *quarter* has the person last (its End turn settles the quarter:
    the market, the quarter summary, the next round's events)."""

    def __init__(self, seed: int, round_: int, size: tuple[int, int], lang: str) -> None:
        from PySide6.QtCore import QEvent, QObject, QSettings, qInstallMessageHandler
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from game.engine import load_rules
        from game.paths import RULES_DIR

        from .fonts import install_app_font
        from .mainwindow import MainWindow
        from .style import use_light_scheme

        self.QTest = QTest
        self.app = QApplication.instance() or QApplication(["closed-loop-bench"])
        use_light_scheme(self.app)
        install_app_font()
        self.tmp = tempfile.TemporaryDirectory(prefix="closed-loop-bench-")
        self._data_dir = os.environ.get("CLOSED_LOOP_DATA_DIR")
        os.environ["CLOSED_LOOP_DATA_DIR"] = str(Path(self.tmp.name) / "data")   # never the user's autosave
        settings = QSettings(str(Path(self.tmp.name) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("pace_ms", 0)
        settings.setValue("confirm_end_turn", False)
        self.rules = rules = load_rules(RULES_DIR)
        for self.seed in range(seed, seed + 100):   # the first game whose position has both
            positions = _positions(rules, self.seed, round_)
            if positions is not None:
                break
        else:
            raise RuntimeError(f"no game of seeds {seed}..{seed + 99} has Sell and a build "
                               f"open to a company at the start of its turn in round {round_}")
        self.positions = positions
        self.human = positions["mid"][1]

        def quiet(kind, context, message) -> None:   # the offscreen platform's own notes
            if "This plugin does not support" not in message:
                sys.stderr.write(message + "\n")

        self._old_handler = qInstallMessageHandler(quiet)

        class PaintWatch(QObject):
            """Once armed: the paint events seen, and when the first burst of them ended (the
            first other event after them: the repaint, its flush included, is done)."""

            def __init__(self) -> None:
                super().__init__()
                self.arm()

            def arm(self) -> None:
                self.count = 0
                self.done_at: float | None = None

            def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    if self.done_at is None:
                        self.count += 1
                elif self.count and self.done_at is None:
                    self.done_at = time.perf_counter()
                return False

        self.watch = PaintWatch()
        self.app.installEventFilter(self.watch)
        self.window = MainWindow(rules, lang=lang, settings=settings)
        self.window.resize(*size)
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        self.refreshes = 0
        real_refresh = self.window.refresh

        def counted_refresh() -> None:
            self.refreshes += 1
            real_refresh()

        self.window.refresh = counted_refresh    # type: ignore[method-assign]
        self.restore("mid")

    def close(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(self._old_handler)
        self.app.removeEventFilter(self.watch)
        self.window.ai_timer.stop()
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()
        if self._data_dir is None:
            os.environ.pop("CLOSED_LOOP_DATA_DIR", None)
        else:
            os.environ["CLOSED_LOOP_DATA_DIR"] = self._data_dir
        self.tmp.cleanup()

    # ---------------------------------------------------------------- helpers

    def settle(self, limit_s: float = 10.0) -> None:
        """Process events until nothing paints for a few passes and no computer is to move."""
        deadline = time.perf_counter() + limit_s
        quiet = 0
        while quiet < 5 and time.perf_counter() < deadline:
            self.watch.arm()
            self.app.processEvents()
            busy = self.window.ai_timer.isActive() or getattr(self.window, "_ai_kick_pending", False)
            quiet = quiet + 1 if self.watch.count == 0 and not busy else 0

    def restore(self, position: str) -> None:
        """A position again (see the class), the person to move, nothing selected."""
        state, self.human = self.positions[position]
        controllers = {cid: "heuristic" for cid in state.players}
        controllers[self.human] = "human"
        w = self.window
        w.set_game(state.clone(), controllers)
        self.settle()
        # mid-game every board has been shown before (the first showing lays a board out)
        current = w.tabs.currentIndex()
        for i in range(w.tabs.count()):
            w.tabs.setCurrentIndex(i)
            self.settle()
        w.tabs.setCurrentIndex(current)
        self.settle()

    def timed(self, click: Callable[[], None]) -> tuple[float, int]:
        """Milliseconds from the click to the end of the window's repaint (the end of its burst
        of paint events, or of the event pass it was in), and the paint events of it."""
        started = time.perf_counter()
        click()      # QTest paints the button's pressed look inside: not the answer to the click
        self.watch.arm()
        deadline = started + 10.0
        while self.watch.count == 0:
            self.app.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError("no repaint within 10 s of a click")
        end = self.watch.done_at if self.watch.done_at is not None else time.perf_counter()
        return (end - started) * 1000, self.watch.count

    def click_button(self, widget) -> None:
        from PySide6.QtCore import Qt

        self.QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    def click_node(self, cap: str) -> None:
        from PySide6.QtCore import Qt

        view = self.window.views[self.human]
        self.QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier, view.node_center(cap))

    def button(self, action_id: str):
        from game.engine import Action

        bar = self.window.action_bar
        assert bar is not None
        return bar.buttons[Action(action_id)]

    def buildable(self) -> str:
        state = self.window.state
        build = next(a.id for a in self.rules.actions if a.kind == "build")
        caps = [a.target for a in state.legal_actions() if a.id == build and a.target]
        if not caps:
            raise RuntimeError("no capability can be built in the benchmark's position")
        return caps[0]

    def undo_to_start(self) -> None:
        w = self.window
        while w.state.undoable_in_turn > 0:
            w.undo()
        w.selected_cap = w.selected_company = None
        for scene in w.scenes.values():
            scene.select(None)
        w.refresh()
        self.settle()

    # ---------------------------------------------------------------- the actions

    def run(self, repeats: int, warmup: int = 3) -> dict:
        keys = ("sell", "select_node", "build", "end_turn", "end_turn_quarter", "end_turn_round_trip")
        samples: dict[str, list[float]] = {k: [] for k in keys}
        paints: dict[str, list[int]] = {k: [] for k in keys}
        refreshes: list[int] = []
        turns: list[int] = []

        def keep(key: str, figures: tuple[float, int], i: int) -> None:
            if i >= warmup:
                samples[key].append(figures[0])
                paints[key].append(figures[1])

        self.restore("mid")
        sell = self.button("sell")
        cap = self.buildable()
        for i in range(warmup + repeats):
            if not sell.isEnabled():
                raise RuntimeError("Sell is not allowed in the benchmark's position")
            keep("sell", self.timed(lambda: self.click_button(sell)), i)
            self.undo_to_start()
            keep("select_node", self.timed(lambda: self.click_node(cap)), i)
            self.settle()
            before = len(self.window.state.history)
            keep("build", self.timed(lambda: self.click_node(cap)), i)
            if len(self.window.state.history) != before + 1:
                raise RuntimeError(f"the second click on {cap} did not build it")
            self.undo_to_start()
        for i in range(warmup + repeats):
            self.restore("quarter")
            keep("end_turn_quarter", self.timed(lambda: self.click_button(self.button("end_turn"))), i)
            self.restore("mid")
            turns_seen = _TurnCounter()
            assert self.window.session is not None
            self.window.session.add_hooks(turns_seen)
            self.refreshes = 0
            started = time.perf_counter()
            keep("end_turn", self.timed(lambda: self.click_button(self.button("end_turn"))), i)
            # on to the person's turn again, its board repainted
            deadline = started + 60
            while not self.window.is_human_turn() and time.perf_counter() < deadline:
                self.app.processEvents()
            self.watch.arm()
            while self.watch.count == 0 and time.perf_counter() < deadline:
                self.app.processEvents()
            end = self.watch.done_at or time.perf_counter()
            keep("end_turn_round_trip", ((end - started) * 1000, 0), i)
            if i >= warmup:
                refreshes.append(self.refreshes - 1)     # less the person's End turn
                turns.append(turns_seen.computer_turns)
        result = {k: summary(v, paints[k] if k != "end_turn_round_trip" else None)
                  for k, v in samples.items()}
        result["computer_turns"] = {
            "turns_per_round_trip": statistics.median(turns),
            "view_refreshes_in_computer_turns": statistics.median(refreshes),
        }
        return result


def _positions(rules, seed: int, round_: int) -> dict | None:
    """The *mid* and *quarter* positions of :class:`_Clicks` in the heuristic game of ``seed``,
    or None if no company but the round's last can both sell and build at its turn's start."""
    from game.engine import new_game
    from game.players import make_player
    from game.session import Session

    state = new_game(rules, "default", seed)
    session = Session(state, {cid: make_player("heuristic", seed + i)
                              for i, cid in enumerate(state.players)})
    session.play(until=lambda s: s.round >= round_)
    if state.is_terminal() or state.round != round_:
        return None
    build = next(a.id for a in rules.actions if a.kind == "build")
    order = [state.players[i] for i in state.order]
    positions = {}
    for mover in order[:-1]:         # a turn start that is not the quarter's last
        def reached(s, m: str = mover) -> bool:
            return s.current_company == m

        session.play(until=reached)
        legal = {(a.id, bool(a.target)) for a in state.legal_actions()}
        if ("sell", False) in legal and (build, True) in legal:
            positions["mid"] = (state.clone(), mover)
            break
    else:
        return None
    last = order[-1]
    session.play(until=lambda s: s.current_company == last)
    positions["quarter"] = (state.clone(), last)
    return positions


class _TurnCounter(SessionHooks):
    """Counts the computers' ended turns."""

    def __init__(self) -> None:
        self.computer_turns = 0

    def on_action(self, state, move) -> None:
        if move.by_computer and state.rules.action(move.action.id).kind == "end_turn":
            self.computer_turns += 1


def measure_clicks(repeats: int, seed: int = 7, round_: int = 5, size: tuple[int, int] = (1366, 768),
                   lang: str = "zh") -> dict:
    clicks = _Clicks(seed, round_, size, lang)
    try:
        figures = clicks.run(repeats)
        figures["seed"] = clicks.seed
    finally:
        clicks.close()
    return figures


# ---------------------------------------------------------------- the command


def run(repeats: int = 30, cold_repeats: int = 7, seed: int = 7, round_: int = 5,
        size: tuple[int, int] = (1366, 768), lang: str = "zh", command: str = "") -> dict:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import PySide6
    from PySide6.QtCore import qVersion

    from game import __version__

    cold = cold_start(cold_repeats) if cold_repeats > 0 else None
    clicks = measure_clicks(repeats, seed, round_, size, lang)
    common = ("sell", "select_node", "build", "end_turn", "end_turn_quarter")
    meets = {k: clicks[k]["median_ms"] < TARGET_MEDIAN_MS and clicks[k]["p95_ms"] < TARGET_P95_MS
             for k in common}
    if cold is not None:
        meets["cold_start"] = cold["ratio"] <= TARGET_COLD_RATIO
    return {
        "command": command,
        "version": __version__,
        "machine": {"python": platform.python_version(), "qt": qVersion(),
                    "pyside6": PySide6.__version__, "platform": platform.platform(),
                    "cpus": os.cpu_count(), "qpa": "offscreen"},
        "setup": {"seed": clicks.pop("seed"), "round": round_, "size": f"{size[0]}x{size[1]}", "lang": lang,
                  "repeats": repeats, "cold_repeats": cold_repeats,
                  "players": "first company a person, the others heuristic at pace 0"},
        "clicks": clicks,
        "cold_start": cold,
        "targets": {"median_ms": TARGET_MEDIAN_MS, "p95_ms": TARGET_P95_MS,
                    "cold_start_ratio": TARGET_COLD_RATIO},
        "meets": meets,
    }


def _parser(prog: str) -> argparse.ArgumentParser:
    from .screenshot import parse_size

    p = argparse.ArgumentParser(prog=prog, description="(developer) time clicks on the real app "
                                "mid-game and its cold start against a bare PySide6 window")
    p.add_argument("--repeats", type=int, default=30, help="timed clicks of each action (default 30)")
    p.add_argument("--cold-repeats", type=int, default=7,
                   help="cold starts of the app and of the bare window each (default 7; 0: none)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--round", type=int, default=5, help="the round the clicks are made in (default 5)")
    p.add_argument("--size", type=parse_size, default=(1366, 768), metavar="WxH")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--out", metavar="FILE.json", help="also write the figures to this file")
    return p


def _print(data: dict) -> None:
    print(f"clicks at round {data['setup']['round']}, {data['setup']['size']}, "
          f"{data['setup']['repeats']} each (ms):")
    print(f"  {'action':<22}{'median':>8}{'p95':>8}{'max':>8}{'paints':>8}")
    for key, fig in data["clicks"].items():
        if key == "computer_turns":
            continue
        print(f"  {key:<22}{fig['median_ms']:>8.1f}{fig['p95_ms']:>8.1f}{fig['max_ms']:>8.1f}"
              f"{fig.get('paints_median', ''):>8}")
    ct = data["clicks"]["computer_turns"]
    print(f"  computer turns per round trip {ct['turns_per_round_trip']}, view refreshes in them "
          f"{ct['view_refreshes_in_computer_turns']}")
    cold = data["cold_start"]
    if cold:
        print(f"cold start to first paint: app {cold['app_median_s']:.3f} s, bare PySide6 window "
              f"{cold['bare_median_s']:.3f} s: {cold['ratio']:.2f}x")
    print("targets met: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in data["meets"].items()))


def main(argv: list[str] | None = None, prog: str = "python main.py bench-ui") -> int:
    args = _parser(prog).parse_args(argv)
    if args.repeats < 1:
        _parser(prog).error("--repeats must be at least 1")
    if args.out:
        Path(args.out).resolve().parent.mkdir(parents=True, exist_ok=True)
    shown = [a for a in (argv if argv is not None else sys.argv[1:])]
    data = run(args.repeats, args.cold_repeats, args.seed, args.round, args.size, args.lang,
               command=" ".join(["python main.py bench-ui", *shown]))
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.json:
        sys.stdout.write(text)
    else:
        _print(data)
    if args.out:
        from game.saves import write_text_atomic

        write_text_atomic(args.out, text)
        if not args.json:
            print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
