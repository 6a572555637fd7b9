"""Do the article's moves pay the way the article says? The what-if shifts, on paired seeds.

    python tools/whatif.py [--base default|class_period] [--games 300] [--seed 1] [--markdown FILE.md]

Each what-if is played against its base with the heuristic in every seat on the same seeds, so
a shift comes from the change alone. For the base ``default`` the what-ifs are the scenario
files (no_link_ban, no_pandemic, cainiao_monopoly, channels_early); for any other base the
same changes are applied to it (the trial rules have no what-if files of their own). "Ban at
the heuristic's time" compares the heuristic ByteDance with one that never bans (the
``never_ban`` archetype). Shifts come with a 95% interval of the paired difference.
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_rules, new_game  # noqa: E402
from game.players import make_player  # noqa: E402
from game.session import Session  # noqa: E402

WHAT_IFS = ("no_link_ban", "no_pandemic", "cainiao_monopoly", "channels_early")
EXPECTED = {  # what the article (and issue 10) says each change should do
    "ban": "ByteDance wins more with its ban than without; Alibaba's GMV falls (F03, F34)",
    "no_link_ban": "ByteDance wins less; Alibaba's GMV rises (F03, F34)",
    "no_pandemic": "ByteDance wins less (F39)",
    "cainiao_monopoly": "Alibaba wins more (F07, F35)",
    "channels_early": "Tencent wins more, but at most 55% (F38, F36)",
}


def variant(rules, base_id: str, what_if: str):
    """The base scenario with one what-if's change (the what-if file itself for the default)."""
    if base_id == "default":
        return rules, what_if
    base, w, d = rules.scenario(base_id), rules.scenario(what_if), rules.scenario("default")
    change: dict = {}
    if w.disabled_actions != d.disabled_actions:
        change["disabled_actions"] = w.disabled_actions
    if dict(w.scheduled) != dict(d.scheduled):
        change["scheduled"] = w.scheduled
    if dict(w.locked_capabilities) != dict(d.locked_capabilities):
        change["locked_capabilities"] = w.locked_capabilities
    specs = dict(base.company_specs)
    for cid, spec in w.company_specs.items():
        dspec = d.company_specs[cid]
        diff = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)
                if getattr(spec, f.name) != getattr(dspec, f.name)}
        if diff:
            specs[cid] = dataclasses.replace(specs[cid], **diff)
    change["company_specs"] = MappingProxyType(specs)
    new_id = f"{base_id}+{what_if}"
    scen = dataclasses.replace(base, id=new_id, **change)
    return dataclasses.replace(rules, scenarios=MappingProxyType({**rules.scenarios, new_id: scen})), new_id


def play(rules, scenario: str, seed: int, bytedance: str = "heuristic") -> dict[str, float]:
    s = new_game(rules, scenario, seed)
    players = {cid: make_player(bytedance if cid == "bytedance" else "heuristic", seed + i)
               for i, cid in enumerate(s.players)}
    Session(s, players).run_to_end()
    out = {f"win_{cs.id}": float(s.winner_id == cs.id) for cs in s.companies}
    out.update({f"gmv_{cs.id}": cs.gmv_total for cs in s.companies})
    return out


def paired(a: list[dict], b: list[dict], key: str) -> tuple[float, float, float, float]:
    """Mean of a, mean of b, mean difference b - a and its 95% half-width."""
    d = [y[key] - x[key] for x, y in zip(a, b)]
    n = len(d)
    mean = sum(d) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in d) / (n - 1)) if n > 1 else 0.0
    return (sum(x[key] for x in a) / n, sum(y[key] for y in b) / n, mean, 1.96 * sd / math.sqrt(n))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="default")
    p.add_argument("--games", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rules", default="rules")
    p.add_argument("--markdown", metavar="FILE.md")
    a = p.parse_args(argv)
    rules = load_rules(a.rules)
    seeds = range(a.seed, a.seed + a.games)
    base = [play(rules, a.base, s) for s in seeds]
    rows = []
    never = [play(rules, a.base, s, bytedance="never_ban") for s in seeds]
    rows.append(("ban", f"{a.base}: ByteDance bans at the heuristic's time vs never", never, base))
    for w in WHAT_IFS:
        r2, sid = variant(rules, a.base, w)
        rows.append((w, f"{sid} vs {a.base}", base, [play(r2, sid, s) for s in seeds]))
    lines = [f"# What-if shifts on paired seeds ({a.base})", "",
             "Made by `python tools/whatif.py --base {} --games {} --seed {}{}`; heuristic in every "
             "seat; each row compares the same {} seeds; ± is the 95% interval of the paired "
             "difference.".format(a.base, a.games, a.seed,
                                  f" --markdown {a.markdown}" if a.markdown else "", a.games), "",
             "| change | ByteDance win | Alibaba win | Tencent win | Alibaba GMV | the article says | holds? |",
             "|---|---:|---:|---:|---:|---|---|"]
    for key, label, before, after in rows:
        cells = []
        shifts = {}
        for k in ("win_bytedance", "win_alibaba", "win_tencent", "gmv_alibaba"):
            x, y, d, h = paired(before, after, k)
            shifts[k] = (y, d, h)
            if k.startswith("win"):
                cells.append(f"{x:.0%} → {y:.0%} ({d * 100:+.0f} ± {h * 100:.0f} pts)")
            else:
                cells.append(f"{x:,.0f} → {y:,.0f} ({d:+,.0f} ± {h:,.0f})")
        holds = _holds(key, shifts)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {EXPECTED[key]} | {holds} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text, encoding="utf-8")
    return 0


def _holds(key: str, s: dict) -> str:
    """Whether the shift goes the article's way, beyond the interval ("yes"), within it ("~")."""
    def sign(k: str, want: int) -> str:
        _, d, h = s[k]
        if want * d > h:
            return "yes"
        return "~" if abs(d) <= h else "no"
    if key == "ban":
        return f"{sign('win_bytedance', +1)} / GMV {sign('gmv_alibaba', -1)}"
    if key == "no_link_ban":
        return f"{sign('win_bytedance', -1)} / GMV {sign('gmv_alibaba', +1)}"
    if key == "no_pandemic":
        return sign("win_bytedance", -1)
    if key == "cainiao_monopoly":
        return sign("win_alibaba", +1)
    y = s["win_tencent"][0]
    return f"{sign('win_tencent', +1)} ({'≤' if y <= 0.55 else '>'} 55%)"


if __name__ == "__main__":
    sys.exit(main())
