"""The lesson cards' texts (rules/lessons.toml), validated on load like the rest of the rules:
every text in Chinese and English, only the placeholders the code fills, facts that exist."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from game.engine import Rules
from game.engine.errors import Problem, RulesError
from game.engine.files import read_regular_file
from game.engine.rules import Text

FILE = "lessons.toml"
MAX_BYTES = 1_000_000

# Every text key the code renders, with the placeholders it fills.
CARD_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    "ban": {"title": frozenset(), "no_links": frozenset(),
            "banned": frozenset({"company", "quarter", "partner", "link_before", "own_before",
                                 "own_after", "partner_before", "partner_after"}),
            "never": frozenset({"company", "partner", "link_total", "fees"})},
    "waybill": {"title": frozenset(), "no_provider": frozenset(),
                "provider": frozenset({"provider", "fees", "terms"}),
                "payer": frozenset({"company", "fees", "built"}),
                "built_in": frozenset({"quarter"}), "never_built": frozenset(),
                "terms_changed": frozenset({"count", "last"}), "terms_kept": frozenset()},
    "ux": {"title": frozenset(),
           "line": frozenset({"company", "ux_lost", "ux_min", "users", "app", "ux_end", "end_points"}),
           "users_lost": frozenset({"count"}), "users_kept": frozenset(),
           "app_line": frozenset({"quarter", "share"}), "no_app": frozenset()},
    "loop": {"title": frozenset(),
             "closed": frozenset({"company", "quarter", "steps", "spent"}),
             "open": frozenset({"company", "links", "steps", "spent"}),
             "from_start": frozenset({"company"})},
}
SECTION_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    "winner": {"points": frozenset({"company", "points", "quarter", "lead"}),
               "target_early": frozenset({"company", "quarter", "left"}),
               "target_last": frozenset({"company", "quarter"}),
               "score": frozenset({"company", "quarter", "gmv"}), "unfinished": frozenset()},
    "report": {k: frozenset() for k in (
        "title", "class", "tables", "by_company", "separated", "game", "final", "charts", "lessons",
        "facts", "questions", "turning", "decisions", "event_facts", "log", "company", "team",
        "points", "gmv", "loop", "app", "ux", "winner", "file", "wins", "mean_points", "round",
        "action", "cost", "effect", "reason", "yes", "no", "open", "points_chart", "gmv_chart",
        "kind", "per_winner", "per_rest", "no_difference", "unfinished", "forecasts", "made_at",
        "before_play", "forecast_loop", "forecast_gmv", "forecast_ban", "score", "actual", "nobody",
        "no_ban", "not_forecast")}
    | {"quarter_n": frozenset({"n"}), "closed_in": frozenset({"q"}), "at_round": frozenset({"n"})},
    "turning": {"leader": frozenset({"quarter", "company", "points"}),
                "loop_closed": frozenset({"quarter", "company"}),
                "launch_app": frozenset({"quarter", "company"}),
                "ban_links": frozenset({"quarter", "company"}),
                "waybill_terms": frozenset({"quarter", "company", "action"}),
                "event": frozenset({"quarter", "event"})},
}


@dataclass(frozen=True)
class CardTexts:
    key: str
    source: tuple[str, ...]
    texts: Mapping[str, Text]
    questions: tuple[Text, ...]


@dataclass(frozen=True)
class LessonTexts:
    cards: Mapping[str, CardTexts]
    winner: Mapping[str, Text]
    turning: Mapping[str, Text]
    report: Mapping[str, Text]


def load_lessons(rules: Rules) -> LessonTexts:
    """Read and check ``lessons.toml`` of the rules folder; :class:`RulesError` lists every problem."""
    root = Path(rules.source_dir)
    problems: list[Problem] = []

    def problem(key: str, reason: str) -> None:
        problems.append(Problem(FILE, key, reason))

    try:
        data = tomllib.loads(read_regular_file(root / FILE, MAX_BYTES, within=root)
                             .decode("utf-8").removeprefix("\ufeff"))
    except FileNotFoundError:
        raise RulesError([Problem(FILE, "(file)", "file is missing")]) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise RulesError([Problem(FILE, "(file)", f"cannot be read: {exc}")]) from None

    def text(table: object, key: str, fields: frozenset[str]) -> Text:
        if not isinstance(table, dict) or not all(isinstance(table.get(lang), str) and table[lang].strip()
                                                 for lang in ("zh", "en")):
            problem(key, "needs a text in Chinese and English: { zh = \"...\", en = \"...\" }")
            return Text("", "")
        for lang in ("zh", "en"):
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(table[lang]) if f}
            except ValueError as exc:
                problem(f"{key}.{lang}", f"not a valid text template ({exc})")
                continue
            if extra := names - fields:
                allowed = ", ".join(sorted(fields)) or "none"
                problem(f"{key}.{lang}", f"unknown placeholder(s) {', '.join(sorted(extra))} "
                                         f"(this text may use: {allowed})")
        return Text(table["zh"], table["en"])

    def section(name: str, fields: dict[str, frozenset[str]], raw: object) -> dict[str, Text]:
        if not isinstance(raw, dict):
            problem(name, "missing table")
            return {}
        for k in raw:
            if k not in fields and k not in ("source", "questions"):
                problem(f"{name}.{k}", f"unknown key (known: {', '.join(sorted(fields))})")
        return {k: text(raw.get(k), f"{name}.{k}", f) for k, f in fields.items()}

    cards: dict[str, CardTexts] = {}
    raw_cards = data.get("cards")
    if not isinstance(raw_cards, dict):
        problem("cards", "missing table")
        raw_cards = {}
    for key, fields in CARD_FIELDS.items():
        name = f"cards.{key}"
        raw = raw_cards.get(key)
        texts = section(name, fields, raw)
        raw = raw if isinstance(raw, dict) else {}
        source = raw.get("source", [])
        if not isinstance(source, list) or not all(isinstance(t, str) for t in source):
            problem(f"{name}.source", "must list fact tags like [\"F03\"]")
            source = []
        for tag in source:
            if tag not in rules.facts:
                problem(f"{name}.source", f"fact '{tag}' is not in facts.toml")
        questions = raw.get("questions", [])
        if not isinstance(questions, list) or not questions:
            problem(f"{name}.questions", "must list at least one discussion question")
            questions = []
        qs = tuple(text(q, f"{name}.questions[{i}]", frozenset()) for i, q in enumerate(questions))
        cards[key] = CardTexts(key, tuple(source), texts, qs)
    for key in raw_cards:
        if key not in CARD_FIELDS:
            problem(f"cards.{key}", f"unknown card (known: {', '.join(CARD_FIELDS)})")
    winner = section("winner", SECTION_FIELDS["winner"], data.get("winner"))
    turning = section("turning", SECTION_FIELDS["turning"], data.get("turning"))
    report = section("report", SECTION_FIELDS["report"], data.get("report"))
    if problems:
        raise RulesError(problems)
    return LessonTexts(cards, winner, turning, report)
