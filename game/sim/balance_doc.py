"""docs/balance.md and its chart, written from a tournament's JSON (``TournamentResult.as_dict``).

Everything here reads the dict only, so the page can be rebuilt from a saved JSON file
(``python main.py tournament --from benchmarks/tournament-default.json --markdown docs/balance.md``)
without playing again. The chart is an SVG written by hand: no plotting dependency.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

# Thresholds of issue 10's "done when", checked in the page.
DOMINANT = 0.60
MIXED_MASS = 0.05
MIXED_COUNT = 3


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _ci(ci) -> str:
    return f"{100 * ci[0]:.0f}–{100 * ci[1]:.0f}"


def _twins(data: dict, seat: str) -> dict[str, str]:
    """archetype -> the archetype it plays the same games as, in this seat."""
    out = {}
    for kept, twins in data["equilibrium"].get("same_games", {}).get(seat, {}).items():
        for t in twins:
            out[t] = kept
    return out


def _colour(x: float, fair: float) -> str:
    """A diverging blue-white-red colour: blue below the fair share, red above."""
    lo, mid, hi = (33, 102, 172), (247, 247, 247), (178, 24, 43)
    if x >= fair:
        t, a, b = (x - fair) / max(1e-9, 1 - fair), mid, hi
    else:
        t, a, b = (fair - x) / max(1e-9, fair), mid, lo
    t = max(0.0, min(1.0, t))
    r, g, bl = (round(a[i] + (b[i] - a[i]) * t) for i in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _ink(x: float, fair: float) -> str:
    """Text colour readable on :func:`_colour`."""
    far = abs(x - fair) / max(1e-9, (1 - fair) if x >= fair else fair)
    return "#ffffff" if far > 0.6 else "#1a1a1a"


def render_svg(data: dict) -> str:
    """A heat-map of win rates (against the baseline, and the worst case over every mix) per
    seat and archetype, with each seat's α-rank mass as bars."""
    seats = list(data["seats"])
    names = list(data["archetypes"])
    fair = 1.0 / len(seats)
    label_w, col_w, gap, row_h = 150, 66, 18, 24
    top, head = 58, 40
    block_w = 3 * col_w
    width = label_w + len(seats) * (block_w + gap) + 50   # room for '= twin' after the last block
    height = top + head + len(names) * row_h + 90
    font = "font-family='DejaVu Sans, Arial, sans-serif'"
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' {font} font-size='12'>",
           f"<rect width='{width}' height='{height}' fill='#ffffff'/>",
           f"<text x='10' y='22' font-size='16' font-weight='bold'>Archetype tournament: "
           f"{escape(data['scenario'])}, seed {data['seed']}</text>",
           f"<text x='10' y='42' fill='#444'>win rate against {escape(data['baseline'])} in the other "
           f"seats ({data['games']} games), worst case over every mix ({data['mix_games']} games "
           f"each), α-rank mass</text>"]
    for k, seat in enumerate(seats):
        x0 = label_w + k * (block_w + gap)
        out.append(f"<text x='{x0 + block_w / 2}' y='{top + 12}' text-anchor='middle' "
                   f"font-weight='bold' font-size='14'>{escape(seat)}</text>")
        for j, title in enumerate(("vs " + data["baseline"].split(":")[0], "worst case", "α-rank")):
            out.append(f"<text x='{x0 + j * col_w + col_w / 2}' y='{top + 32}' text-anchor='middle' "
                       f"fill='#444' font-size='11'>{escape(title)}</text>")
    masses = data["equilibrium"]["seats"]
    for r, name in enumerate(names):
        y = top + head + r * row_h
        out.append(f"<text x='{label_w - 8}' y='{y + row_h / 2 + 4}' text-anchor='end'>"
                   f"{escape(name)}</text>")
        for k, seat in enumerate(seats):
            x0 = label_w + k * (block_w + gap)
            cell = data["seats"][seat][name]
            for j, key in enumerate(("win_rate", "worst_case_win_rate")):
                v = cell[key]
                out.append(f"<rect x='{x0 + j * col_w}' y='{y}' width='{col_w - 2}' height='{row_h - 2}' "
                           f"fill='{_colour(v, fair)}'><title>{escape(seat)} {escape(name)}: "
                           f"{key} {_pct(v)}</title></rect>")
                out.append(f"<text x='{x0 + j * col_w + (col_w - 2) / 2}' y='{y + row_h / 2 + 3}' "
                           f"text-anchor='middle' fill='{_ink(v, fair)}'>{_pct(v)}</text>")
            bx = x0 + 2 * col_w
            twin = _twins(data, seat).get(name)
            if twin:
                out.append(f"<text x='{bx + 4}' y='{y + row_h / 2 + 3}' fill='#777' font-size='10'>"
                           f"= {escape(twin)}</text>")
                continue
            m = masses[seat].get(name, 0.0)
            bw = max(0.0, m * (col_w - 4))
            out.append(f"<rect x='{bx}' y='{y + 3}' width='{bw:.1f}' height='{row_h - 8}' "
                       f"fill='#555'><title>{escape(seat)} {escape(name)}: α-rank mass "
                       f"{_pct(m)}</title></rect>")
            if m >= 0.005:
                if bw > 34:   # the figure inside the bar, else after it
                    out.append(f"<text x='{bx + bw - 3:.1f}' y='{y + row_h / 2 + 3}' font-size='10' "
                               f"text-anchor='end' fill='#ffffff'>{_pct(m)}</text>")
                else:
                    out.append(f"<text x='{bx + bw + 3:.1f}' y='{y + row_h / 2 + 3}' font-size='10' "
                               f"fill='#1a1a1a'>{_pct(m)}</text>")
    # The legend: the colour scale.
    ly = top + head + len(names) * row_h + 24
    lx, lw = label_w, 300
    steps = 60
    for i in range(steps):
        v = i / (steps - 1)
        out.append(f"<rect x='{lx + i * lw / steps:.1f}' y='{ly}' width='{lw / steps + 0.5:.1f}' "
                   f"height='12' fill='{_colour(v, fair)}'/>")
    for v, lab in ((0.0, "0%"), (fair, f"{_pct(fair)} (fair share)"), (1.0, "100%")):
        out.append(f"<text x='{lx + v * lw:.1f}' y='{ly + 28}' text-anchor='middle' "
                   f"font-size='11'>{escape(lab)}</text>")
    out.append(f"<text x='10' y='{ly + 50}' font-size='11' fill='#444'>bars: α-rank mass of the "
               f"archetype in its seat; '= x': the same games as x in that seat (counts as x)</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_markdown(data: dict, svg_name: str | None = "balance.svg",
                    json_name: str | None = None) -> str:
    """The balance page: the command, the chart, per seat the table, the equilibrium."""
    seats = list(data["seats"])
    names = list(data["archetypes"])
    eq = data["equilibrium"]
    base = data["baseline"]
    fair = 1.0 / len(seats)
    lines = ["# Balance: the archetype tournament", ""]
    lines.append("Generated from the tournament's JSON by `game/sim/balance_doc.py`; do not edit "
                 "by hand. Made by:")
    lines += ["", "```sh", data.get("command", "python main.py tournament"), "```", ""]
    if json_name:
        lines += [f"The full result, with the payoff of every profile: [{json_name}]({json_name}).", ""]
    if svg_name:
        lines += [f"![Win rates per seat and archetype, and the α-rank mass]({svg_name})", ""]
    lines += [
        "Columns: the win rate against the baseline in both other seats, with its Wilson 95% "
        "interval; the share of those games won on the GMV target (the rest on the score at "
        "the end); the mean GMV over the game (bn yuan); the mean win rate over every mix of "
        "archetypes in the other seats; the lowest of them and the mix that gives it; the "
        "archetype's α-rank mass and Nash probability in its seat.", "",
        f"Every archetype plays every seat of the **{data['scenario']}** scenario against every "
        f"mix of archetypes in the other seats ({len(names)}^{len(seats)} = "
        f"{len(names) ** len(seats):,} profiles), on paired seeds: game *g* of every profile "
        f"has seed {data['seed']} + *g*, so profiles differ only by their players. Against "
        f"`{base}` in the other seats an archetype plays {data['games']} games; every other "
        f"mix plays the first {data['mix_games']} of those seeds. A fair share is "
        f"{_pct(fair)}.", ""]

    # Checks against issue 10's "done when".
    lines += ["## Against the targets of issue 10", ""]
    above = [(s, n, c["win_rate"]) for s in seats for n, c in data["seats"][s].items()
             if c["win_rate"] > DOMINANT and n != base]
    dominant = [(s, n, c["worst_case_win_rate"]) for s in seats for n, c in data["seats"][s].items()
                if c["worst_case_win_rate"] > DOMINANT]
    lines.append(f"- Archetypes above {_pct(DOMINANT)} against `{base}`: " + (
        ", ".join(f"{n} as {s} ({_pct(v)})" for s, n, v in above) if above else "none") + ".")
    lines.append(f"- Archetypes above {_pct(DOMINANT)} against every mix (dominant): " + (
        ", ".join(f"{n} as {s} (worst case {_pct(v)})" for s, n, v in dominant) if dominant
        else "none") + ".")
    mixed = {s: sum(1 for m in eq["seats"][s].values() if m >= MIXED_MASS) for s in seats}
    value = eq.get("win_rate_in_equilibrium", {})
    nvalue = eq["nash"].get("win_rate_in_equilibrium", {})
    lines.append(f"- Archetypes with at least {_pct(MIXED_MASS)} of the α-rank mass, per seat: "
                 + ", ".join(f"{s} {mixed[s]}" for s in seats)
                 + f" (target: at least {MIXED_COUNT} in each). The seat's win rate in that "
                 "distribution: " + ", ".join(f"{s} {_pct(value[s])}" for s in seats if s in value)
                 + "; a seat that wins almost nothing whatever it plays spreads its mass out of "
                 "indifference, not because several lines are good.")
    nash_mixed = {s: sum(1 for p in eq["nash"]["seats"][s].values() if p >= MIXED_MASS) for s in seats}
    lines.append(f"- In the approximate Nash equilibrium (NashConv {eq['nash']['nash_conv']:.3f}): "
                 + ", ".join(f"{s} {nash_mixed[s]}" for s in seats) + "; win rates there: "
                 + ", ".join(f"{s} {_pct(nvalue[s])}" for s in seats if s in nvalue) + ".")
    lines.append("")

    for s in seats:
        twins = _twins(data, s)
        lines += [f"## {s}", "",
                  f"| archetype | win rate vs {base} [95% CI] | on the target | mean GMV | "
                  f"mean over all mixes | worst case [95% CI] | against | α-rank | Nash |",
                  "|---|---:|---:|---:|---:|---:|---|---:|---:|"]
        order = sorted(names, key=lambda n: (-data["seats"][s][n]["win_rate"], names.index(n)))
        for n in order:
            c = data["seats"][s][n]
            mix = ", ".join(f"{v}" for v in c["worst_case_mix"].values())
            mass = f"= {twins[n]}" if n in twins else _pct(eq["seats"][s][n])
            nash = f"= {twins[n]}" if n in twins else _pct(eq["nash"]["seats"][s][n])
            lines.append(f"| {n} | {_pct(c['win_rate'])} [{_ci(c['ci'])}] | "
                         f"{_pct(c['target_win_rate'])} | {c['mean_gmv']:,.0f} | "
                         f"{_pct(c['mean_win_rate_over_mixes'])} | "
                         f"{_pct(c['worst_case_win_rate'])} [{_ci(c['worst_case_ci'])}] | {mix} | "
                         f"{mass} | {nash} |")
        lines += ["", f"Ranking (α-rank): {' > '.join(eq['ranking'][s])}.", ""]

    lines += ["## The equilibrium", ""]
    conv = "settled" if eq["converged"] else "still moving when the fixation probabilities reached their limit"
    lines += [
        f"α-rank (one population per seat, payoff: win rate; population size "
        f"{eq['population_size']}, selection intensity α = {eq['alpha']:g}, {conv}). "
        "Mass per seat:", ""]
    for s in seats:
        parts = [f"{n} {_pct(m)}" for n, m in sorted(eq["seats"][s].items(), key=lambda kv: -kv[1])
                 if m >= 0.005]
        lines.append(f"- **{s}**: " + ", ".join(parts))
    sweep = eq.get("sweep", [])
    if sweep:
        settled = eq.get("top_settled_from_alpha")
        lines += ["", "The mass as the selection intensity rises (α = "
                  + ", ".join(f"{step['alpha']:g}" for step in sweep) + "); "
                  + (f"the order of each seat's archetypes with at least 1% is the same from "
                     f"α = {settled:g} on:" if settled is not None else "the order keeps changing:"), ""]
        for s in seats:
            final = sweep[-1]["seats"][s]
            shown = sorted((n for n, m in final.items() if m >= MIXED_MASS), key=lambda n: -final[n])
            parts = [f"{n} " + " → ".join(_pct(step["seats"][s].get(n, 0.0)) for step in sweep)
                     for n in shown]
            lines.append(f"- **{s}**: " + "; ".join(parts))
    lines += ["", "The profiles the evolutionary dynamics spend most time in:", "",
              "| " + " | ".join(seats) + " | mass |", "|" + "---|" * (len(seats) + 1)]
    for p in eq["top_profiles"]:
        if p["mass"] < 0.005:
            break
        lines.append("| " + " | ".join(p["profile"][s] for s in seats) + f" | {_pct(p['mass'])} |")
    lines += ["", f"An approximate Nash equilibrium by fictitious play ({eq['nash']['iterations']:,} "
              f"iterations; NashConv {eq['nash']['nash_conv']:.4f}, the sum over seats of what the "
              "best deviation would gain, 0 at an exact equilibrium):", ""]
    for s in seats:
        parts = [f"{n} {_pct(p)}" for n, p in sorted(eq["nash"]["seats"][s].items(), key=lambda kv: -kv[1])
                 if p >= 0.005]
        lines.append(f"- **{s}**: " + ", ".join(parts))
    same = {s: v for s, v in eq.get("same_games", {}).items() if v}
    if same:
        lines += ["", "Archetypes that play the very same games in a seat count once in the "
                  "meta-game (their twins show `= kept`):", ""]
        for s, groups in same.items():
            lines.append(f"- **{s}**: " + "; ".join(f"{k} = {', '.join(v)}" for k, v in groups.items()))
    lines += ["", "## The archetypes", ""]
    for n in names:
        lines.append(f"- `{n}`: {data['archetype_summaries'].get(n, '')}")
    lines += ["", "Their code: `game/players/archetypes.py`. Each plays any seat of any scenario "
              "by action kinds, over the engine's public API.", "", "## How to read it", ""]
    lines += [f"- {note}" for note in data.get("notes", [])]
    lines.append("")
    return "\n".join(lines)


#: A page's part from this line on is written by hand (other runs' tables: the hard players,
#: the level ladder) and kept when the tournament writes the page again.
KEPT_MARK = "<!-- kept: the part below is written by hand and kept when the tournament rewrites this page -->"


def kept_part(markdown: str | Path) -> str:
    """The hand-written part of an existing page (from KEPT_MARK on), or ""."""
    try:
        text = Path(markdown).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    at = text.find(KEPT_MARK)
    return text[at:] if at >= 0 else ""


def write_balance_doc(data: dict, markdown: str | Path, svg: str | Path | None = None,
                      json_link: str | None = None) -> tuple[Path, Path]:
    """Write the page and its chart (default: the page's name with .svg, beside it), keeping
    the page's hand-written part (see KEPT_MARK)."""
    from game.saves import write_text_atomic

    markdown = Path(markdown)
    svg = Path(svg) if svg else markdown.with_suffix(".svg")
    try:
        svg_ref = svg.resolve().relative_to(markdown.resolve().parent).as_posix()
    except ValueError:
        svg_ref = svg.resolve().as_posix()
    write_text_atomic(svg, render_svg(data))
    kept = kept_part(markdown)
    page = render_markdown(data, svg_ref, json_link)
    write_text_atomic(markdown, page + ("\n" + kept if kept else ""))
    return markdown, svg
