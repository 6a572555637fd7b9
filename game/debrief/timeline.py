"""A finished (or saved) game step by step: every decision with its cost and effect, and the
moments that turned it. Computed by replaying the game from its seed and actions, so it is the
same whatever the app showed at the time."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from game.engine import GameState, Rules, facilitator, new_game, render_log
from game.engine.reasons import Ref

from .texts import LessonTexts

# Log lines that are the quarter's settlement or the world, not the effect of one decision.
_NOT_EFFECTS = frozenset({"round_start", "event", "event_hit", "income", "quarter_result",
                          "link_fees", "waybill_fees", "ux_users", "ux_end_points", "traffic_sold",
                          "winner_points", "winner_score", "winner_target", "end_turn"})


@dataclass(frozen=True)
class Decision:
    """One action a team took: when, what, what it cost, and what it did (log lines)."""

    index: int            # 1-based position in the game's action list
    round: int
    year: int
    quarter: int
    company: str
    action: str           # as saved: "build:shop"
    kind: str
    label: str            # the action's name (and target) in the reader's language
    capital: float
    traffic: float
    ux: float
    effects: tuple[str, ...]
    reason: str = ""      # what the team typed, if the save carries it


@dataclass(frozen=True)
class TurningPoint:
    round: int
    kind: str             # leader, loop_closed, launch_app, ban_links, waybill_terms, event
    company: str | None
    text: str


def action_label(rules: Rules, action: str, lang: str) -> str:
    aid, _, target = action.partition(":")
    name = rules.name_of("action", aid, lang)
    if not target:
        return name
    kind = "company" if target in rules.companies else "capability"
    try:
        tname = rules.name_of(kind, target, lang)
    except KeyError:
        tname = target
    return f"{name}：{tname}" if lang == "zh" else f"{name}: {tname}"


def decisions(rules: Rules, state: GameState, lang: str = "en",
              reasons: Mapping[int, str] | None = None) -> list[Decision]:
    """Every real decision of ``state`` (ending a turn included), replayed from its seed."""
    replay = new_game(rules, state.scenario.id, state.seed, state.players)
    reasons = reasons or {}
    out: list[Decision] = []
    pending = sorted(state.interventions, key=lambda iv: iv.at)
    for i, action in enumerate(state.history, start=1):
        while pending and pending[0].at <= i - 1:     # the facilitator's changes, at their place
            facilitator.replay(replay, pending.pop(0).to_json())
        company = replay.current_company
        rnd = replay.round
        year, quarter = replay.year_quarter
        price = replay.price(action)
        kind = rules.action(action.id).kind
        before = len(replay.log)
        replay.apply_action(action)
        effects = tuple(render_log(rules, e, lang) for e in replay.log[before:]
                        if e.key not in _NOT_EFFECTS and (e.company in (None, company) or e.key in (
                            "ban_links", "poach", "poach_setback", "poach_retention")))
        out.append(Decision(i, rnd, year, quarter, company, str(action), kind,
                            action_label(rules, str(action), lang), price.capital, price.traffic,
                            price.ux, effects, reasons.get(i, "")))
    return out


CSV_COLUMNS = ("save", "index", "round", "year", "quarter", "team", "company", "action", "kind",
               "capital ({unit})", "traffic", "ux", "effect", "reason")


@dataclass
class CsvGame:
    """One game for the grading export: the state, a label for the 'save' column, team names
    and the reasons typed (by 1-based action index)."""

    state: GameState
    label: str = ""
    teams: Mapping[str, str] | None = None
    reasons: Mapping[int, str] | None = None


def decisions_csv(rules: Rules, games: GameState | list[CsvGame], lang: str = "en", *,
                  skip_end_turn: bool = True) -> str:
    """Each team's decision history as CSV text (UTF-8 with a BOM so spreadsheet programs read
    Chinese right): save, round, team, action, cost, effect, and the reason typed if any."""
    if isinstance(games, GameState):
        games = [CsvGame(games)]
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    unit = rules.units["money"].get(lang)
    scale = rules.money_scale.get(lang, 1.0)
    w.writerow([c.format(unit=unit) for c in CSV_COLUMNS])
    for g in games:
        teams = g.teams or {}
        for d in decisions(rules, g.state, lang, g.reasons):
            if skip_end_turn and d.kind == "end_turn":
                continue
            w.writerow([g.label, d.index, d.round, d.year, d.quarter,
                        teams.get(d.company) or rules.name_of("company", d.company, lang),
                        d.company, d.label, d.kind, f"{d.capital * scale:g}", f"{d.traffic:.1f}",
                        f"{d.ux:.1f}", " / ".join(d.effects), d.reason])
    return buf.getvalue()


def turning_points(rules: Rules, state: GameState, texts: LessonTexts, lang: str = "en") -> list[TurningPoint]:
    """The moments that turned the game: a new leader in points (or GMV), loops closed, apps
    launched, links banned, e-waybill terms changed, and the events that fired."""
    t = texts.turning
    scen = state.scenario
    out: list[TurningPoint] = []

    def quarter(rnd: int) -> str:
        y, q = scen.quarter_label(rnd)
        return f"{y}年第{q}季度" if lang == "zh" else f"{y} Q{q}"

    def name(cid: str) -> str:
        return rules.name_of("company", cid, lang)

    leader = None
    for rec in state.records:
        key = "points" if scen.victory_points else "gmv_total"
        best = max(rec.companies, key=lambda c: rec.companies[c][key])
        if best != leader:
            out.append(TurningPoint(rec.round, "leader", best, t["leader"].get(lang).format(
                quarter=quarter(rec.round), company=name(best),
                points=f"{rec.companies[best][key]:.1f}")))
            leader = best
        for ev in rec.events:
            out.append(TurningPoint(rec.round, "event", None, t["event"].get(lang).format(
                quarter=quarter(rec.round), event=rules.name_of("event", ev, lang))))
    for e in state.log:
        if e.key in ("loop_closed", "launch_app", "ban_links") and e.company:
            out.append(TurningPoint(e.round, e.key, e.company, t[e.key].get(lang).format(
                quarter=quarter(e.round), company=name(e.company))))
        elif e.key == "waybill_terms" and e.company:
            act = e.params.get("action")
            label = rules.name_of("action", act.id, lang) if isinstance(act, Ref) else str(act)
            out.append(TurningPoint(e.round, e.key, e.company, t[e.key].get(lang).format(
                quarter=quarter(e.round), company=name(e.company), action=label)))
    order = {"event": 0, "ban_links": 1, "waybill_terms": 2, "loop_closed": 3, "launch_app": 4, "leader": 5}
    out.sort(key=lambda p: (p.round, order.get(p.kind, 9)))
    return out
