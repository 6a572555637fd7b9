"""Lesson cards: what the article's moves did in this game, computed from its own log and
records, each tied to its facts, with questions for the discussion (issue 14, item 4)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.engine import GameState, Rules
from game.engine.reasons import Money, Ref
from game.engine.rules import Text
from game.engine.text import render

from .texts import LessonTexts


@dataclass(frozen=True)
class LessonCard:
    key: str                                # ban, waybill, ux, loop
    title: str
    lines: tuple[str, ...]                  # what happened in this game
    facts: tuple[tuple[str, str], ...]      # (tag, the fact's text) the card is about
    questions: tuple[str, ...]


def _quarter(state: GameState, rnd: int, lang: str) -> str:
    y, q = state.scenario.quarter_label(rnd)
    return f"{y}年第{q}季度" if lang == "zh" else f"{y} Q{q}"


def _gmv(state: GameState, cid: str, rounds: range) -> float:
    vals = [r.companies[cid]["gmv"] for r in state.records if r.round in rounds]
    return sum(vals) / len(vals) if vals else 0.0


class _Card:
    def __init__(self, rules: Rules, state: GameState, texts: LessonTexts, key: str, lang: str):
        self.rules, self.state, self.lang = rules, state, lang
        self.spec = texts.cards[key]
        self.key = key

    def t(self, key: str, **params: Any) -> str:
        table: Mapping[str, Text] = self.spec.texts
        return render(self.rules, table, key, params, self.lang)

    def co(self, cid: str) -> Ref:
        return Ref("company", cid)

    def card(self, lines: list[str]) -> LessonCard:
        facts = tuple((tag, self.rules.facts[tag].get(self.lang)) for tag in self.spec.source
                      if tag in self.rules.facts)
        return LessonCard(self.key, self.t("title"), tuple(lines), facts,
                          tuple(q.get(self.lang) for q in self.spec.questions))


def _ban(c: _Card) -> LessonCard:
    state = c.state
    links = state.links
    if not links:
        return c.card([c.t("no_links")])
    lines = []
    bans = [e for e in state.log if e.key == "ban_links" and e.company]
    link_gmv: dict[tuple[str, int], float] = defaultdict(float)
    fees: dict[str, float] = defaultdict(float)
    for e in state.log:
        if e.key == "link_fees" and e.company:
            link_gmv[(e.company, e.round)] += float(e.params["gmv"])
            fees[e.company] += float(e.params["fee"])
    last = state.records[-1].round if state.records else 0
    for e in bans:
        host = e.company
        assert host is not None
        partner = e.params["target"].id if isinstance(e.params.get("target"), Ref) else str(e.params.get("target"))
        r = e.round
        before = range(max(1, r - 2), r)
        after = range(r + 1, min(last, r + 2) + 1)
        lb = [link_gmv.get((host, x), 0.0) for x in before]
        lines.append(c.t("banned", company=c.co(host), quarter=_quarter(state, r, c.lang),
                         partner=c.co(partner), link_before=Money(sum(lb) / len(lb) if lb else 0.0),
                         own_before=Money(_gmv(state, host, before)), own_after=Money(_gmv(state, host, after)),
                         partner_before=Money(_gmv(state, partner, before)),
                         partner_after=Money(_gmv(state, partner, after))))
    banned_hosts = {e.company for e in bans}
    for slot in links:
        host, partner = state.players[slot.host], state.players[slot.partner]
        if host in banned_hosts:
            continue
        total = sum(v for (h, _), v in link_gmv.items() if h == host)
        lines.append(c.t("never", company=c.co(host), partner=c.co(partner), link_total=Money(total),
                         fees=Money(fees.get(host, 0.0))))
    return c.card(lines)


def _waybill(c: _Card) -> LessonCard:
    state, rules = c.state, c.rules
    idx = state.waybill_provider
    if idx is None:
        return c.card([c.t("no_provider")])
    provider = state.players[idx]
    paid: dict[str, float] = defaultdict(float)
    for e in state.log:
        if e.key == "waybill_fees" and e.company:
            paid[e.company] += float(e.params["fee"])
    changes = [e for e in state.log if e.key == "waybill_terms" and e.company == provider]
    if changes:
        act = changes[-1].params.get("action")
        last = rules.name_of("action", act.id, c.lang) if isinstance(act, Ref) else str(act)
        terms = c.t("terms_changed", count=len(changes), last=last)
    else:
        terms = c.t("terms_kept")
    lines = [c.t("provider", provider=c.co(provider), fees=Money(sum(paid.values())), terms=terms)]
    wb = rules.economy.waybill_capability
    for cid in state.players:
        if cid == provider:
            continue
        built = next((e.round for e in state.log if e.key == "built" and e.company == cid
                      and isinstance(e.params.get("capability"), Ref) and e.params["capability"].id == wb), None)
        if built is not None:
            when = c.t("built_in", quarter=_quarter(state, built, c.lang))
        elif wb and state.company(cid).built >> rules.capability_index(wb) & 1:
            when = c.t("built_in", quarter=_quarter(state, 1, c.lang))
        else:
            when = c.t("never_built")
        lines.append(c.t("payer", company=c.co(cid), fees=Money(paid.get(cid, 0.0)), built=when))
    return c.card(lines)


def _ux(c: _Card) -> LessonCard:
    state = c.state
    lost: dict[str, float] = defaultdict(float)
    fled: dict[str, int] = defaultdict(int)
    launched: dict[str, int] = {}
    end_points: dict[str, str] = {}
    for e in state.log:
        if not e.company:
            continue
        if e.key == "commerce":
            lost[e.company] += float(e.params.get("ux", 0.0))
        elif e.key == "ux_users":
            fled[e.company] += 1
        elif e.key == "launch_app":
            launched[e.company] = e.round
        elif e.key == "ux_end_points":
            end_points[e.company] = str(e.params.get("points"))
    lines = []
    for cid in state.players:
        recs = [r.companies[cid] for r in state.records]
        ux_min = min((r["ux"] for r in recs), default=state.company(cid).ux)
        users = c.t("users_lost", count=fled[cid]) if fled[cid] else c.t("users_kept")
        if cid in launched:
            share = recs[-1]["app_share"] if recs else state.company(cid).app_share
            app = c.t("app_line", quarter=_quarter(state, launched[cid], c.lang), share=f"{share:.0%}")
        else:
            app = c.t("no_app")
        lines.append(c.t("line", company=c.co(cid), ux_lost=f"{lost[cid]:.0f}", ux_min=f"{ux_min:.0f}",
                         users=users, app=app, ux_end=f"{state.company(cid).ux:.0f}",
                         end_points=end_points.get(cid, "0")))
    return c.card(lines)


def _loop(c: _Card) -> LessonCard:
    state = c.state
    steps: dict[str, int] = defaultdict(int)
    spent: dict[str, float] = defaultdict(float)
    closed: dict[str, int] = {}
    for e in state.log:
        if not e.company:
            continue
        if e.key == "build_step":
            steps[e.company] += 1
            spent[e.company] += float(e.params.get("cost", 0.0))
        elif e.key == "loop_closed":
            closed.setdefault(e.company, e.round)
    total = len(state.scenario.loop)
    lines = []
    for cid in state.players:
        cs = state.company(cid)
        if cid in closed:
            lines.append(c.t("closed", company=c.co(cid), quarter=_quarter(state, closed[cid], c.lang),
                             steps=steps[cid], spent=Money(spent[cid])))
        elif cs.loop_closed:
            lines.append(c.t("from_start", company=c.co(cid)))
        else:
            lines.append(c.t("open", company=c.co(cid), links=f"{cs.links_done}/{total - 1}",
                             steps=steps[cid], spent=Money(spent[cid])))
    return c.card(lines)


_BUILDERS = {"ban": _ban, "waybill": _waybill, "ux": _ux, "loop": _loop}


def lesson_cards(rules: Rules, state: GameState, texts: LessonTexts, lang: str = "en") -> list[LessonCard]:
    """The lesson cards of a game (best read at its end), in the order of rules/lessons.toml."""
    return [_BUILDERS[key](_Card(rules, state, texts, key, lang)) for key in texts.cards if key in _BUILDERS]


def winner_text(rules: Rules, state: GameState, texts: LessonTexts, lang: str = "en") -> str:
    """What decided the game, in plain words: "early" only when it was."""
    w = texts.winner
    if not state.is_terminal() or state.winner_id is None:
        return w["unfinished"].get(lang)
    cid = state.winner_id
    scen = state.scenario
    last = state.records[-1].round if state.records else state.round
    quarter = _quarter(state, last, lang)
    winner = state.company(cid)
    if state.win_reason == "target":
        left = scen.rounds - last
        key = "target_early" if left > 0 else "target_last"
        return render(rules, w, key, {"company": Ref("company", cid), "quarter": quarter, "left": left}, lang)
    if state.win_reason == "points":
        others = sorted((cs.points for cs in state.companies if cs.id != cid), reverse=True)
        lead = winner.points - others[0] if others else 0.0
        return render(rules, w, "points", {"company": Ref("company", cid), "points": f"{winner.points:.1f}",
                                            "quarter": quarter, "lead": f"{lead:.1f}"}, lang)
    return render(rules, w, "score", {"company": Ref("company", cid), "quarter": quarter,
                                       "gmv": Money(winner.gmv_total)}, lang)
