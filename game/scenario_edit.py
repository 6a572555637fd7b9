"""The scenario editor's core, headless (issue 14, item 7): clone a scenario, change its
starting numbers, rounds, events and win condition, check the result exactly as
``python main.py rules check`` would, and save it as a rules file the next game can load.

A draft is written as a scenario that ``extends`` its base, so it holds only what it sets.
TOML is written with ``tomli_w`` (the standard library reads TOML but does not write it).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from game.engine import Problem, Rules, RulesError, load_rules

#: The company figures a draft may set for each company.
COMPANY_FIELDS = ("capital", "users", "ux", "goal_gmv", "merchants")
#: The win-condition figures it may set.
VICTORY_FIELDS = ("quarter_points_cap", "loop_points", "app_points", "ux_end_points", "regulator_lead")


@dataclass
class ScenarioDraft:
    base: str
    id: str
    name_zh: str
    name_en: str
    rounds: int
    actions_per_round: int
    companies: dict[str, dict[str, float]] = field(default_factory=dict)
    victory: dict[str, float] = field(default_factory=dict)
    deck: dict[str, float] = field(default_factory=dict)
    draw_chance: float = 0.0
    scheduled: dict[str, list[int]] = field(default_factory=dict)

    def file_name(self) -> str:
        return f"{self.id}.toml"


def draft_from(rules: Rules, base: str, new_id: str) -> ScenarioDraft:
    """A draft that starts as a copy of scenario ``base`` (every figure the editor shows)."""
    scen = rules.scenario(base)
    companies = {cid: {f: float(getattr(scen.company_specs[cid], f)) for f in COMPANY_FIELDS}
                 for cid in scen.companies}
    scheduled: dict[str, list[int]] = {}
    for rnd, events in scen.scheduled.items():
        for e in events:
            scheduled.setdefault(e, []).append(rnd)
    return ScenarioDraft(
        base=base, id=new_id, name_zh=scen.name.zh + "（改）", name_en=scen.name.en + " (edited)",
        rounds=scen.rounds, actions_per_round=scen.actions_per_round, companies=companies,
        victory={f: float(getattr(scen, f)) for f in VICTORY_FIELDS},
        deck={e: float(w) for e, w in scen.deck}, draw_chance=float(scen.deck_draw_chance),
        scheduled={e: sorted(r) for e, r in scheduled.items()})


def to_toml(draft: ScenarioDraft, order: int = 90) -> str:
    """The scenario file's text."""
    data: dict[str, object] = {
        "extends": draft.base,
        "scenario": {"order": order, "rounds": draft.rounds, "actions_per_round": draft.actions_per_round,
                     "name": {"zh": draft.name_zh, "en": draft.name_en}},
        "victory": dict(draft.victory),
        "deck": {"draw_chance": draft.draw_chance, "weights": dict(draft.deck)},
        "company_overrides": {cid: dict(v) for cid, v in draft.companies.items()},
        "scheduled": [{"event": e, "rounds": sorted(r)} for e, r in draft.scheduled.items() if r],
    }
    head = (f"# Made with the scenario editor from '{draft.base}'. It extends that scenario:\n"
            "# what is not set here is as there.\n")
    return head + tomli_w.dumps(data)


def check(rules_dir: str | Path, draft: ScenarioDraft) -> list[Problem]:
    """Every problem ``rules check`` would report with the draft saved into ``rules_dir``
    (checked on a copy: nothing is written there). Empty when the draft is good."""
    if not draft.id or not draft.id.replace("_", "").isalnum() or not draft.id[0].isalpha() \
            or draft.id != draft.id.lower():
        return [Problem(f"scenarios/{draft.id or '?'}.toml", "(file)",
                        "the scenario id (file name) must be lowercase letters, digits and _, "
                        "starting with a letter")]
    with tempfile.TemporaryDirectory(prefix="closed-loop-draft-") as tmp:
        copy = Path(tmp) / "rules"
        shutil.copytree(rules_dir, copy)
        (copy / "scenarios" / draft.file_name()).write_text(to_toml(draft), encoding="utf-8")
        try:
            load_rules(copy)
        except RulesError as exc:
            return list(exc.problems)
    return []


def save(rules_dir: str | Path, draft: ScenarioDraft, *, overwrite: bool = False) -> Path:
    """Write the draft as ``scenarios/<id>.toml`` of ``rules_dir`` after checking it; raises
    RulesError with its problems, or FileExistsError rather than replace a file unasked."""
    problems = check(rules_dir, draft)
    if problems:
        raise RulesError(problems)
    path = Path(rules_dir) / "scenarios" / draft.file_name()
    if path.exists() and not overwrite:
        raise FileExistsError(17, "a scenario with this id exists; choose another id", str(path))
    from game.saves import write_text_atomic

    return write_text_atomic(path, to_toml(draft))
