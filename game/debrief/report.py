"""The session report: one self-contained HTML file (no script, no network) with each game's
outcome, charts, lesson cards, turning points, decision history, the facts behind the events
that fired and the log; with several games, the class view beside them (issue 14, items 6, 8)."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.engine import GameState, Rules, format_money, render_log

from .forecasts import Forecast, outcome, score
from .lessons import lesson_cards, winner_text
from .texts import LessonTexts, load_lessons
from .timeline import decisions, turning_points


def h(texts: LessonTexts, key: str, lang: str, **kw: object) -> str:
    """A heading or label of the report, from rules/lessons.toml [report]."""
    return texts.report[key].get(lang).format(**kw)


@dataclass
class ReportGame:
    """One game of the report: its state, where it came from, and the teams' names."""

    state: GameState
    label: str
    teams: dict[str, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    forecasts: list[Forecast] = field(default_factory=list)


_CSS = """
body{font-family:"Closed Loop SC","Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.8em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
.card{border:1px solid #ccc;border-radius:8px;padding:.6em 1em;margin:1em 0;background:#fafafa}
.card h3{margin:.2em 0}.facts{font-size:.9em;color:#555}.swatch{display:inline-block;width:.9em;
height:.9em;border-radius:2px;margin-right:.3em;vertical-align:-.1em}
details{margin:.5em 0}summary{cursor:pointer;font-weight:bold}.winner{font-size:1.15em;
background:#eef6ee;border-left:4px solid #3a3;padding:.5em 1em}svg text{font-size:12px}
"""


def _e(x: object) -> str:
    return html.escape(str(x))


def _name(rules: Rules, cid: str, lang: str) -> str:
    return rules.name_of("company", cid, lang)


def _team(g: ReportGame, rules: Rules, cid: str, lang: str) -> str:
    company = _name(rules, cid, lang)
    team = g.teams.get(cid)
    return f"{team}（{company}）" if team and lang == "zh" else f"{team} ({company})" if team else company


def _chart(rules: Rules, state: GameState, key: str, title: str, lang: str,
           money: bool = False) -> str:
    """A line chart as inline SVG: one line per company over the quarters."""
    recs = list(state.records)
    if not recs:
        return ""
    w, hgt, left, right, top, bottom = 640, 260, 56, 120, 24, 28
    scale = rules.money_scale.get(lang, 1.0) if money else 1.0
    values = {cid: [r.companies[cid][key] * scale for r in recs] for cid in state.players}
    vmax = max(max(v) for v in values.values()) or 1.0
    n = len(recs)

    def x(i: int) -> float:
        return left + (w - left - right) * (i / max(1, n - 1))

    def y(v: float) -> float:
        return top + (hgt - top - bottom) * (1 - v / vmax)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" role="img" '
             f'aria-label="{_e(title)}"><text x="{left}" y="14" font-weight="bold">{_e(title)}</text>',
             f'<line x1="{left}" y1="{y(0)}" x2="{w - right}" y2="{y(0)}" stroke="#999"/>']
    for frac in (0.5, 1.0):
        parts.append(f'<text x="{left - 6}" y="{y(vmax * frac) + 4}" text-anchor="end">'
                     f'{vmax * frac:,.0f}</text><line x1="{left}" y1="{y(vmax * frac)}" '
                     f'x2="{w - right}" y2="{y(vmax * frac)}" stroke="#eee"/>')
    every = max(1, n // 6)
    for i, r in enumerate(recs):
        if i % every == 0 or (i == n - 1 and i % every >= every // 2 + 1) or every == 1:
            parts.append(f'<text x="{x(i)}" y="{hgt - 8}" text-anchor="middle">{r.year} Q{r.quarter}</text>')
    for k, cid in enumerate(state.players):
        color = rules.companies[cid].color
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values[cid]))
        dash = ("", ' stroke-dasharray="6 3"', ' stroke-dasharray="2 3"')[k % 3]
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5"{dash} points="{pts}"/>')
        parts.append(f'<text x="{w - right + 8}" y="{top + 16 * (k + 1)}" fill="{color}">'
                     f'{_e(_name(rules, cid, lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _game_section(rules: Rules, texts: LessonTexts, g: ReportGame, lang: str, number: int) -> list[str]:
    state = g.state
    colon = "：" if lang == "zh" else ": "
    out = [f'<h2 id="game{number}">{_e(h(texts, "game", lang))} {number}{colon}{_e(g.label)}</h2>',
           f'<p class="winner">{_e(winner_text(rules, state, texts, lang))}</p>']
    # final standings
    loop_round = {e.company: e.round for e in state.log if e.key == "loop_closed"}
    app_round = {e.company: e.round for e in state.log if e.key == "launch_app"}
    rows = sorted(state.companies, key=lambda cs: (-cs.points, -cs.gmv_total))
    out.append(f'<h3>{_e(h(texts, "final", lang))}</h3><table><tr><th>{_e(h(texts, "team", lang))}</th>'
               f'<th>{_e(h(texts, "points", lang))}</th><th>{_e(h(texts, "gmv", lang))}</th>'
               f'<th>{_e(h(texts, "loop", lang))}</th>'
               f'<th>{_e(h(texts, "app", lang))}</th><th>{_e(h(texts, "ux", lang))}</th></tr>')
    for cs in rows:
        color = rules.companies[cs.id].color
        if cs.id in loop_round:
            loop = h(texts, "closed_in", lang, q=h(texts, "quarter_n", lang, n=loop_round[cs.id]))
        else:
            loop = h(texts, "yes", lang) if cs.loop_closed else h(texts, "open", lang)
        app = h(texts, "quarter_n", lang, n=app_round[cs.id]) if cs.id in app_round else h(texts, "no", lang)
        out.append(f'<tr><td><span class="swatch" style="background:{color}"></span>'
                   f'{_e(_team(g, rules, cs.id, lang))}</td><td class="n">{cs.points:.1f}</td>'
                   f'<td class="n">{_e(format_money(rules, cs.gmv_total, lang))}</td><td>{_e(loop)}</td>'
                   f'<td>{_e(app)}</td><td class="n">{cs.ux:.0f}</td></tr>')
    out.append("</table>")
    out.append(f'<h3>{_e(h(texts, "charts", lang))}</h3>')
    if state.scenario.victory_points:
        out.append(_chart(rules, state, "points", h(texts, "points_chart", lang), lang))
    out.append(_chart(rules, state, "gmv", h(texts, "gmv_chart", lang) + f" ({rules.units['money'].get(lang)})",
                      lang, money=True))
    if g.forecasts:
        out += _forecasts(rules, texts, g, lang)
    out.append(f'<h3>{_e(h(texts, "lessons", lang))}</h3>')
    for card in lesson_cards(rules, state, texts, lang):
        out.append(f'<div class="card"><h4>{_e(card.title)}</h4>')
        out.extend(f"<p>{_e(line)}</p>" for line in card.lines)
        facts = "".join(f"<li><b>{_e(tag)}</b> {_e(text)}</li>" for tag, text in card.facts)
        out.append(f'<div class="facts">{_e(h(texts, "facts", lang))}<ul>{facts}</ul></div>')
        qs = "".join(f"<li>{_e(q)}</li>" for q in card.questions)
        out.append(f'<p><b>{_e(h(texts, "questions", lang))}</b></p><ol>{qs}</ol></div>')
    out.append(f'<h3>{_e(h(texts, "turning", lang))}</h3><ul>')
    out.extend(f"<li>{_e(p.text)}</li>" for p in turning_points(rules, state, texts, lang))
    out.append("</ul>")
    out.append(f'<h3>{_e(h(texts, "decisions", lang))}</h3>')
    by_team: dict[str, list] = defaultdict(list)
    for d in decisions(rules, state, lang, g.reasons):
        if d.kind != "end_turn":
            by_team[d.company].append(d)
    for cid in state.players:
        out.append(f'<details><summary>{_e(_team(g, rules, cid, lang))} ({len(by_team[cid])})</summary>'
                   f'<table><tr><th>{_e(h(texts, "round", lang))}</th><th>{_e(h(texts, "action", lang))}</th>'
                   f'<th>{_e(h(texts, "cost", lang))}</th><th>{_e(h(texts, "effect", lang))}</th>'
                   f'<th>{_e(h(texts, "reason", lang))}</th></tr>')
        for d in by_team[cid]:
            cost = format_money(rules, d.capital, lang) if d.capital else ""
            out.append(f'<tr><td>{d.year} Q{d.quarter}</td><td>{_e(d.label)}</td><td>{_e(cost)}</td>'
                       f'<td>{_e(" ".join(d.effects))}</td><td>{_e(d.reason)}</td></tr>')
        out.append("</table></details>")
    fired = []
    for rec in state.records:
        for ev in rec.events:
            if ev not in fired:
                fired.append(ev)
    out.append(f'<h3>{_e(h(texts, "event_facts", lang))}</h3><ul>')
    for ev in fired:
        spec = rules.events.get(ev)
        tags = spec.source if spec is not None else ()
        facts = "; ".join(f"{t} {rules.facts[t].get(lang)}" for t in tags if t in rules.facts)
        out.append(f"<li><b>{_e(rules.name_of('event', ev, lang))}</b>: {_e(facts)}</li>")
    out.append("</ul>")
    lines = "".join(f"<li>{_e(render_log(rules, e, lang))}</li>" for e in state.log)
    out.append(f'<details><summary>{_e(h(texts, "log", lang))} ({len(state.log)})</summary><ol>{lines}</ol></details>')
    return out


def _forecasts(rules: Rules, texts: LessonTexts, g: ReportGame, lang: str) -> list[str]:
    """Predict, then reveal: each team's forecast beside what happened, and its score."""
    o = outcome(g.state)
    nf = h(texts, "not_forecast", lang)

    def company(cid: str | None) -> str:
        return _name(rules, cid, lang) if cid else h(texts, "nobody", lang)

    def yes_no(b: bool | None, missing: str) -> str:
        return missing if b is None else h(texts, "yes" if b else "no", lang)

    actual_ban = yes_no(o.ban_pays, h(texts, "no_ban", lang))
    out = [f'<h3>{_e(h(texts, "forecasts", lang))}</h3><table><tr><th>{_e(h(texts, "team", lang))}</th>'
           f'<th>{_e(h(texts, "made_at", lang))}</th><th>{_e(h(texts, "forecast_loop", lang))}</th>'
           f'<th>{_e(h(texts, "forecast_gmv", lang))}</th><th>{_e(h(texts, "forecast_ban", lang))}</th>'
           f'<th>{_e(h(texts, "score", lang))}</th></tr>']
    for s in score(g.state, g.forecasts):
        f = s.forecast
        when = h(texts, "before_play", lang) if f.round == 0 else h(texts, "at_round", lang, n=f.round)
        loop = f"{company(f.loop_first) if f.loop_first else nf} → {company(o.loop_first)}"
        gmv = (f"{format_money(rules, f.gmv_end, lang) if f.gmv_end is not None else nf} → "
               f"{format_money(rules, o.gmv_end.get(f.team, 0.0), lang)}")
        ban = f"{yes_no(f.ban_pays, nf)} → {actual_ban}"
        out.append(f"<tr><td>{_e(_team(g, rules, f.team, lang))}</td><td>{_e(when)}</td><td>{_e(loop)}</td>"
                   f"<td>{_e(gmv)}</td><td>{_e(ban)}</td><td class=\"n\">{s.total:.2f}</td></tr>")
    out.append("</table>")
    return out


def _class_view(rules: Rules, texts: LessonTexts, games: Sequence[ReportGame], lang: str) -> list[str]:
    players = list(games[0].state.players)
    out = [f'<h2 id="class">{_e(h(texts, "class", lang))}</h2><h3>{_e(h(texts, "tables", lang))}</h3>',
           f'<table><tr><th>{_e(h(texts, "file", lang))}</th><th>{_e(h(texts, "winner", lang))}</th>']
    out.extend(f"<th>{_e(_name(rules, cid, lang))}</th>" for cid in players)
    out.append("</tr>")
    for i, g in enumerate(games, start=1):
        s = g.state
        win = _team(g, rules, s.winner_id, lang) if s.winner_id else h(texts, "unfinished", lang)
        cells = "".join(f'<td class="n">{s.company(cid).points:.1f} · '
                        f'{_e(format_money(rules, s.company(cid).gmv_total, lang))}</td>'
                        if cid in s.players else "<td></td>" for cid in players)
        out.append(f'<tr><td><a href="#game{i}">{_e(g.label)}</a></td><td>{_e(win)}</td>{cells}</tr>')
    out.append("</table>")
    out.append(f'<h3>{_e(h(texts, "by_company", lang))}</h3><table><tr><th>{_e(h(texts, "company", lang))}</th>'
               f'<th>{_e(h(texts, "wins", lang))}</th><th>{_e(h(texts, "mean_points", lang))}</th>'
               f'<th>{_e(h(texts, "team", lang))}</th></tr>')
    for cid in players:
        mine = [g for g in games if cid in g.state.players]
        wins = sum(1 for g in mine if g.state.winner_id == cid)
        mean = sum(g.state.company(cid).points for g in mine) / max(1, len(mine))
        teams = "; ".join(f"{g.teams.get(cid, g.label)}: {g.state.company(cid).points:.1f}" for g in mine)
        out.append(f"<tr><td>{_e(_name(rules, cid, lang))}</td><td class=\"n\">{wins}/{len(mine)}</td>"
                   f"<td class=\"n\">{mean:.1f}</td><td>{_e(teams)}</td></tr>")
    out.append("</table>")
    # What separated the winners: per company, the mean count of each action kind for the teams
    # that won with it against the teams that did not.
    out.append(f'<h3>{_e(h(texts, "separated", lang))}</h3>')
    taken: dict[int, dict[str, list[str]]] = {}
    for g in games:      # who took what, from the replay (the action list does not say whose turn)
        per: dict[str, list[str]] = defaultdict(list)
        for d in decisions(rules, g.state, lang):
            if d.kind != "end_turn":
                per[d.company].append(d.action.split(":")[0])
        taken[id(g)] = per
    rows = []
    for cid in players:
        won = [g for g in games if g.state.winner_id == cid]
        rest = [g for g in games if cid in g.state.players and g.state.winner_id != cid]
        if not won or not rest:
            continue

        def counts(gs: list[ReportGame], cid: str = cid) -> dict[str, float]:
            total: dict[str, float] = defaultdict(float)
            for g in gs:
                for aid in taken[id(g)][cid]:
                    total[aid] += 1
            return {k: v / len(gs) for k, v in total.items()}

        a, b = counts(won), counts(rest)
        diffs = sorted(((a.get(k, 0) - b.get(k, 0), k) for k in set(a) | set(b)), key=lambda t: -abs(t[0]))[:3]
        for gap, k in diffs:
            if abs(gap) >= 0.5:
                rows.append(f"<tr><td>{_e(_name(rules, cid, lang))}</td><td>{_e(rules.name_of('action', k, lang))}"
                            f"</td><td class=\"n\">{a.get(k, 0):.1f}</td><td class=\"n\">{b.get(k, 0):.1f}</td></tr>")
    if rows:
        out.append(f'<table><tr><th>{_e(h(texts, "company", lang))}</th><th>{_e(h(texts, "kind", lang))}</th>'
                   f'<th>{_e(h(texts, "per_winner", lang))}</th><th>{_e(h(texts, "per_rest", lang))}</th></tr>')
        out.extend(rows)
        out.append("</table>")
    else:
        out.append(f"<p>{_e(h(texts, 'no_difference', lang))}</p>")
    return out


FONT_FILE = "NotoSansSC-ClosedLoop-Regular.otf"


def _font_face() -> str:
    """The game's own Chinese font, inlined: the report shows Chinese as Chinese on a machine
    with no Chinese fonts, and needs no network (the font's licence, OFL, allows embedding)."""
    import base64

    from game.paths import ASSETS_DIR

    path = ASSETS_DIR / "fonts" / FONT_FILE
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return ""          # the system's fonts then; the page still opens
    return ("@font-face{font-family:'Closed Loop SC';src:url(data:font/otf;base64,"
            f"{data}) format('opentype');font-weight:normal}}")


def build_report(rules: Rules, games: Sequence[ReportGame], lang: str = "en",
                 texts: LessonTexts | None = None) -> str:
    """The report's HTML text for one game or a whole class."""
    if not games:
        raise ValueError("a report needs at least one game")
    texts = texts or load_lessons(rules)
    title = h(texts, "title", lang)
    scen = games[0].state.scenario
    colon = "：" if lang == "zh" else ": "
    body = [f"<h1>{_e(title)}{colon}{_e(scen.name.get(lang))}</h1>"]
    if len(games) > 1:
        body += _class_view(rules, texts, games, lang)
    for i, g in enumerate(games, start=1):
        body += _game_section(rules, texts, g, lang, i)
    doc_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html><html lang="{doc_lang}"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{_font_face() if lang == 'zh' else ''}{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def game_from_save(rules: Rules, path: str | Path) -> tuple[ReportGame, list[str]]:
    """A save as a game of the report: its state, teams, notes and forecasts from its meta
    (the ones its meta cannot give are left out and returned as problems, each in words)."""
    from game.saves import load_game

    from .forecasts import read_forecasts
    state, meta = load_game(rules, path)
    extra = meta.extra
    teams = extra["teams"] if isinstance(extra.get("teams"), dict) else {}
    raw = extra["reasons"] if isinstance(extra.get("reasons"), dict) else {}
    reasons = {int(k): str(v) for k, v in raw.items() if str(k).isdigit()}
    forecasts, problems = read_forecasts(state, extra)
    game = ReportGame(state, Path(path).stem, {k: str(v) for k, v in teams.items()}, reasons, forecasts)
    return game, problems


def write_report(rules: Rules, games: Sequence[ReportGame], path: str | Path, lang: str = "en") -> Path:
    from game.saves import write_text_atomic
    return write_text_atomic(path, build_report(rules, games, lang))
