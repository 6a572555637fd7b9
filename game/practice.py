"""The practice round's coach (issue 14, item 10): the steps of rules/practice.toml, each
explained once, the first time its condition holds for the student's company, and the lesson
card the practice ends with. Headless: the app shows :meth:`Coach.next_step`'s text."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from game.engine import GameState, Problem, Rules, RulesError, new_game
from game.engine.files import read_regular_file
from game.engine.rules import Text

FILE = "practice.toml"
CONDITIONS = ("start", "legal:", "taken:", "round:", "end")


@dataclass(frozen=True)
class Step:
    index: int
    when: str
    text: Text
    source: tuple[str, ...]


@dataclass(frozen=True)
class PracticeSpec:
    scenario: str
    company: str
    lesson: str
    steps: tuple[Step, ...]


def load_practice(rules: Rules) -> PracticeSpec:
    """Read and check practice.toml against the rules; RulesError lists every problem."""
    root = Path(rules.source_dir)
    problems: list[Problem] = []
    try:
        data = tomllib.loads(read_regular_file(root / FILE, 1_000_000, within=root).decode("utf-8"))
    except FileNotFoundError:
        raise RulesError([Problem(FILE, "(file)", "file is missing")]) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise RulesError([Problem(FILE, "(file)", f"cannot be read: {exc}")]) from None
    head = data.get("practice", {})
    scenario, company, lesson = head.get("scenario"), head.get("company"), head.get("lesson", "ux")
    if scenario not in rules.scenarios:
        problems.append(Problem(FILE, "practice.scenario", f"unknown scenario {scenario!r}"))
    elif company not in rules.scenario(scenario).companies:
        problems.append(Problem(FILE, "practice.company", f"{company!r} is not a company of '{scenario}'"))
    if lesson not in ("ban", "waybill", "ux", "loop"):
        problems.append(Problem(FILE, "practice.lesson", "must be one of ban, waybill, ux, loop"))
    kinds = {a.kind for a in rules.actions}
    steps = []
    for i, raw in enumerate(data.get("steps", [])):
        key = f"steps[{i}]"
        when = raw.get("when", "") if isinstance(raw, dict) else ""
        text = raw.get("text") if isinstance(raw, dict) else None
        if not isinstance(text, dict) or not all(isinstance(text.get(x), str) and text[x] for x in ("zh", "en")):
            problems.append(Problem(FILE, f"{key}.text", "needs a text in Chinese and English"))
            continue
        ok = when in ("start", "end") or (when.startswith(("legal:", "taken:")) and when.split(":", 1)[1] in kinds) \
            or (when.startswith("round:") and when[6:].isdigit())
        if not ok:
            known = ", ".join(sorted(kinds))
            problems.append(Problem(FILE, f"{key}.when", f"{when!r} is not a condition (start, legal:<kind>, "
                                                         f"taken:<kind>, round:<n>, end; kinds: {known})"))
        source = tuple(raw.get("source", []))
        for tag in source:
            if tag not in rules.facts:
                problems.append(Problem(FILE, f"{key}.source", f"fact '{tag}' is not in facts.toml"))
        steps.append(Step(i, when, Text(text["zh"], text["en"]), source))
    if not steps:
        problems.append(Problem(FILE, "steps", "the coach needs at least one step"))
    if problems:
        raise RulesError(problems)
    return PracticeSpec(str(scenario), str(company), str(lesson), tuple(steps))


@dataclass
class Coach:
    """Which steps the student has seen; ask :meth:`next_step` after every change."""

    rules: Rules
    spec: PracticeSpec
    seen: set[int] = field(default_factory=set)
    _replay: GameState | None = None
    _movers: list[str] = field(default_factory=list)

    def movers(self, state: GameState) -> list[str]:
        """Who took each action of ``state.history``, kept up by replaying only the new ones
        (and from the start after an undo)."""
        hist = state.history
        if self._replay is None or len(hist) < len(self._movers) or \
                [str(a) for a in self._replay.history] != [str(a) for a in hist[:len(self._movers)]]:
            self._replay = new_game(state.rules, state.scenario.id, state.seed, state.players)
            self._movers = []
        for a in hist[len(self._movers):]:
            self._movers.append(self._replay.current_company)
            self._replay.apply_action(a)
        return self._movers

    def _holds(self, state: GameState, when: str) -> bool:
        me = self.spec.company
        if when == "start":
            return True
        if when == "end":
            return state.is_terminal()
        if when.startswith("round:"):
            return state.round >= int(when[6:])
        kind = when.split(":", 1)[1]
        if when.startswith("legal:"):
            return state.current_company == me and not state.is_terminal() and any(
                self.rules.action(a.id).kind == kind for a in state.legal_actions())
        return any(self.rules.action(a.id).kind == kind and who == me
                   for a, who in zip(state.history, self.movers(state)))

    def next_step(self, state: GameState) -> Step | None:
        """The first unseen step whose condition holds now (marked seen), or None."""
        for step in self.spec.steps:
            if step.index not in self.seen and self._holds(state, step.when):
                self.seen.add(step.index)
                return step
        return None
