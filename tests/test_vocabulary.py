"""One vocabulary (docs/glossary.md): every Chinese text a player reads uses the glossary's one
term per concept, full-width punctuation, users in 亿/万, percentage points where points are
meant, and cites facts that exist.

The texts read: every text table { zh, en } of the rules folder (rules/*.toml and
rules/scenarios/*.toml, so also ui.toml and debrief_ui.toml), the Chinese half of the
generated rulebook docs/rules.md, and the log and reason lines the engine builds in Chinese
while the golden games replay. The app's own widgets are read in tests/ui/test_vocabulary_ui.py.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from game.engine import Action, load_rules, render_log
from game.sim import golden

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"
BOOK = ROOT / "docs" / "rules.md"
GLOSSARY = "docs/glossary.md"

CJK = r"\u3400-\u9fff"
FULL_WIDTH = r"\u3000-\u303f\uff00-\uffef“”‘’…—·"

# Terms the glossary rejects: (pattern, what to write instead). A pattern is searched in
# Chinese text with its {placeholders} kept.
BANNED: list[tuple[str, str]] = [
    (r"轮(?![到流换])", "季度 for a round (轮 only in 轮到/轮流/轮换), 回合 for a turn"),
    (r"(?<!旺)季(?!度)", "季度 (not 季 alone: 每季度, 单季度, 上季度, 最后一个季度)"),
    (r"每回合|第\{round\}[^。]{0,12}回合|第\d+(?:/\d+)?回合", "季度 for a round; 回合 is a company's turn"),
    (r"(?<![手阶])段", "环节 for a loop link"),
    (r"(?:\d|\})环(?!节)", "环节 for a loop link (3/6环节)"),
    (r"连上", "连通 (a loop link is 连通)"),
    (r"节点", "能力 (a node of the capability graph is a capability)"),
    (r"公司能力", "特长 (a company's power)"),
    (r"点流量|流量每点", "流量点 (每个流量点)"),
    (r"(?<!用户)体验", "用户体验 (not 体验 alone)"),
    (r"独立电商App|(?<!抖音)电商App|新App", "独立App"),
    (r"外部链接|第三方链接", "外链"),
    (r"(?<!电子)面单(?!费|提供方)", "电子面单 (面单费, 面单提供方)"),
    (r"百万", "users in 亿/万 (3亿, 2,000万), never 百万"),
    (r"(?:率|占比)[^。；，]{0,6}?(?:[+＋−-]\s*|[少多]\s*)\d+(?:\.\d+)?\s*%",
     "个百分点 for a change of a rate or share"),
]

# ASCII punctuation a Chinese sentence must not use, next to Chinese text or a placeholder.
ASCII_PUNCT = ",:;?!()\""
ALLOWED_ASCII = [
    r"\(&[A-Za-z]\)",            # a menu accelerator: 文件(&F)
    r"\s\(\*\.[a-z]+\)",          # a file-dialog filter: PNG图片 (*.png)
    r"\d,\d{3}",                  # a number: 1,250
]

# English: a change of a rate or a share is in percentage points.
EN_POINTS = re.compile(r"(?:rate|share)\b[^.;]{0,12}?\bby \d+(?:\.\d+)?%|\d+(?:\.\d+)?% off the [\w-]+ rate")

FACT_TAG = re.compile(r"\bF\d\d\b")
# "用户+15" or "用户 300": a number of users without 亿/万 (a bare 0 needs none)
USERS_NUMBER = re.compile(r"用户\s*[+−-]?\s*(?!0(?![\d,.]))\d[\d,.]*(?![\d,.万亿])")


# ------------------------------------------------------------------------------ the texts

def _walk(data, key: str, file: str, out: list) -> None:
    if isinstance(data, dict):
        if isinstance(data.get("zh"), str) and isinstance(data.get("en"), str):
            out.append((file, key, data["zh"], data["en"]))
            return
        for k, v in data.items():
            _walk(v, f"{key}.{k}" if key else k, file, out)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _walk(v, f"{key}[{i}]", file, out)


@lru_cache(maxsize=1)
def rules_texts() -> tuple[tuple[str, str, str, str], ...]:
    """(file, key, zh, en) of every text table in the rules folder."""
    out: list = []
    files = sorted(RULES_DIR.glob("*.toml")) + sorted((RULES_DIR / "scenarios").glob("*.toml"))
    for path in files:
        _walk(tomllib.loads(path.read_text(encoding="utf-8")), "",
              str(path.relative_to(ROOT)), out)
    return tuple(out)


@lru_cache(maxsize=1)
def rules_sources() -> tuple[tuple[str, str, str], ...]:
    """(file, key, tag) of every `source` tag in the rules folder."""
    out = []

    def walk(data, key, file):
        if isinstance(data, dict):
            for k, v in data.items():
                if k == "source" and isinstance(v, list):
                    out.extend((file, f"{key}.source", str(t)) for t in v)
                else:
                    walk(v, f"{key}.{k}" if key else k, file)
        elif isinstance(data, list):
            for i, v in enumerate(data):
                walk(v, f"{key}[{i}]", file)

    files = sorted(RULES_DIR.glob("*.toml")) + sorted((RULES_DIR / "scenarios").glob("*.toml"))
    for path in files:
        walk(tomllib.loads(path.read_text(encoding="utf-8")), "", str(path.relative_to(ROOT)))
    return tuple(out)


def rulebook_halves() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(line number, line) of the Chinese and of the English half of docs/rules.md."""
    lines = BOOK.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines) if 'id="english"' in line)
    zh = [(i + 1, line) for i, line in enumerate(lines[:cut])
          if line.strip() and not line.startswith("<")]
    en = [(i + 1, line) for i, line in enumerate(lines[cut:], start=cut) if line.strip()]
    return zh, en


@lru_cache(maxsize=1)
def engine_lines() -> tuple[tuple[str, str], ...]:
    """(where, text) of the Chinese log and reasons the engine writes in the golden games."""
    rules = load_rules(RULES_DIR)
    out: dict[str, str] = {}
    for path in sorted(golden.GOLDEN_DIR.glob("*.json")):
        data = golden.load(path)
        state, _ = golden.replay_stored(rules, data)
        for entry in state.log:
            text = render_log(rules, entry, "zh")
            out.setdefault(f"log {entry.key}: {text}", f"{path.name}, log '{entry.key}'")
    # the reasons: every action, with every target, at the start of a default game
    from game.engine import new_game

    state = new_game(rules, "default", 1)
    for spec in rules.actions:
        targets = [None] + [c.id for c in rules.capabilities] + list(rules.companies)
        for target in targets:
            reason = state.why_illegal(Action(spec.id, target))
            if reason is not None:
                text = state.explain(reason, "zh")
                out.setdefault(f"reason {reason.code}: {text}", f"reason '{reason.code}'")
    return tuple((where, key.split(": ", 1)[1]) for key, where in out.items())


def all_zh() -> list[tuple[str, str]]:
    """(where, Chinese text) of everything checked."""
    out = [(f"{file}: {key}", zh) for file, key, zh, _ in rules_texts()]
    out += [(f"docs/rules.md:{n}", _strip_code(line)) for n, line in rulebook_halves()[0]]
    out += [(f"engine {where}", text) for where, text in engine_lines()]
    return out


def _strip_code(line: str) -> str:
    """A rulebook line without its code spans and link targets ([中文](#中文))."""
    return re.sub(r"\]\([^)]*\)", "]", re.sub(r"`[^`]*`", "", line))


def _report(problems: list[str], what: str) -> str:
    head = f"{len(problems)} {what} (see {GLOSSARY}):\n"
    return head + "\n".join(f"  {p}" for p in problems[:60]) + (
        f"\n  ... and {len(problems) - 60} more" if len(problems) > 60 else "")


# ------------------------------------------------------------------------------ the checks

def banned_terms(texts) -> list[str]:
    problems = []
    for where, zh in texts:
        for pattern, instead in BANNED:
            for m in re.finditer(pattern, zh):
                start = max(0, m.start() - 12)
                problems.append(f"{where}: '{m.group(0)}' in “…{zh[start:m.end() + 12]}…”: write {instead}")
    return problems


def ascii_punctuation(texts) -> list[str]:
    problems = []
    for where, zh in texts:
        masked = re.sub(r"\{[^{}]*\}", "\x00", zh)        # a placeholder counts as Chinese text
        for pattern in ALLOWED_ASCII:
            masked = re.sub(pattern, lambda m: "_" * len(m.group(0)), masked)
        for i, ch in enumerate(masked):
            if ch not in ASCII_PUNCT:
                continue
            left = masked[:i].rstrip(" ")[-1:]
            right = masked[i + 1:].lstrip(" ")[:1]
            if any(c and (re.match(f"[{CJK}{FULL_WIDTH}\x00]", c)) for c in (left, right)):
                snippet = masked[max(0, i - 10):i + 10].replace("\x00", "{…}")
                problems.append(f"{where}: ASCII '{ch}' in “…{snippet}…”")
    return problems


def test_no_rejected_terms_in_chinese():
    problems = banned_terms(all_zh())
    assert not problems, _report(problems, "rejected term(s) in Chinese text")


def test_full_width_punctuation_in_chinese():
    problems = ascii_punctuation(all_zh())
    assert not problems, _report(problems, "ASCII punctuation mark(s) in Chinese sentences")


def test_users_are_shown_in_yi_and_wan():
    problems = [f"{where}: “{zh}”" for where, zh in all_zh() if "百万" in zh]
    # a number of users written out (the engine's log, the rulebook) carries its 亿/万
    problems += [f"{where}: “{zh}”" for where, zh in all_zh() if USERS_NUMBER.search(zh)]
    assert not problems, _report(problems, "users shown without 亿/万")


def test_percentage_points_in_english():
    texts = [(f"{f}: {k}", en) for f, k, _, en in rules_texts()]
    texts += [(f"docs/rules.md:{n}", line) for n, line in rulebook_halves()[1]]
    problems = [f"{where}: '{m.group(0)}'" for where, en in texts for m in EN_POINTS.finditer(en)]
    assert not problems, _report(problems, "change(s) of a rate written as % (write percentage points)")


def test_every_cited_fact_exists_and_every_fact_is_cited():
    """A tag cited in the rules (`source`, or written in a text) or in the rulebook names a fact
    of rules/facts.toml; and every fact, F23 (Douyin's 2020 GMV) among them, is cited somewhere
    a player reads it besides facts.toml and the rulebook's index of facts."""
    facts = tomllib.loads((RULES_DIR / "facts.toml").read_text(encoding="utf-8"))["facts"]
    cited: list[tuple[str, str]] = [(f"{f}: {k}", tag) for f, k, tag in rules_sources()]
    for file, key, zh, en in rules_texts():
        if file.endswith("facts.toml"):
            continue
        cited += [(f"{file}: {key}", tag) for tag in FACT_TAG.findall(zh + " " + en)]
    zh_book, en_book = rulebook_halves()
    index = [n for n, line in zh_book + en_book if line.startswith("- **F")]
    cited += [(f"docs/rules.md:{n}", tag) for n, line in zh_book + en_book if n not in index
              for tag in FACT_TAG.findall(line)]
    unknown = [f"{where}: {tag} is not in rules/facts.toml" for where, tag in cited
               if tag not in facts]
    assert not unknown, _report(unknown, "citation(s) of a fact that does not exist")
    uncited = sorted(set(facts) - {tag for _, tag in cited})
    assert not uncited, (f"fact(s) {', '.join(uncited)} of rules/facts.toml cited nowhere a "
                         "player reads them: cite each where its figure or idea is shown "
                         "(F23: where 2020 GMV shows)")


def test_player_texts_carry_no_designers_notes():
    """Text a student reads speaks to the player; how the rules are built goes in comments."""
    notes = re.compile(r"由剧本|剧本的面单方|is set by the scenario|designer|设计上")
    problems = [f"{file}: {key}: “{zh}” / “{en}”" for file, key, zh, en in rules_texts()
                if not file.endswith("ui.toml") and notes.search(zh + en)]
    assert not problems, _report(problems, "designer's note(s) in player text")


@pytest.mark.parametrize("event, wrong", [("double_11", "F39"), ("antitrust_fine", "F21")])
def test_known_wrong_citations_are_gone(event, wrong):
    """Double 11 is not the pandemic (F39); an antitrust fine is not the number of internet
    users (F21)."""
    rules = load_rules(RULES_DIR)
    assert wrong not in rules.events[event].source, (
        f"rules/events.toml: events.{event} cites {wrong}, which does not support it")


def test_cheap_traffic_power_does_not_cite_e_waybills():
    rules = load_rules(RULES_DIR)
    power = rules.powers["ad_buyer"]
    assert not {"F07", "F35"} & set(power.source), (
        "rules/companies.toml: powers.ad_buyer (cheaper traffic) cites the e-waybill facts "
        f"{sorted({'F07', 'F35'} & set(power.source))}")


def test_the_checks_catch_what_they_should():
    """The checks themselves, on made-up text."""
    assert banned_terms([("x", "每轮最多2次")]) and banned_terms([("x", "第{round}/{rounds}回合")])
    assert not banned_terms([("x", "轮到{company}，轮流行动，顺序轮换；结束回合")])
    assert banned_terms([("x", "已连上 1/6 段")]) and banned_terms([("x", "用户(百万)")])
    assert banned_terms([("x", "增长率少 10%")]) and not banned_terms([("x", "增长率少10个百分点")])
    assert ascii_punctuation([("x", "资金+{capital},用户体验-{ux}。")])
    assert ascii_punctuation([("x", "{company}:GMV {gmv}")])
    assert not ascii_punctuation([("x", "文件(&F)")]) and not ascii_punctuation([("x", "PNG图片 (*.png)")])
    assert not ascii_punctuation([("x", "资金1,250亿元，{a}/{b}")])
    users = USERS_NUMBER
    assert users.search("用户+15。") and users.search("用户 300")
    assert not users.search("用户+1,530万。") and not users.search("用户+0。") and not users.search("用户3亿")
