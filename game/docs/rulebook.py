"""The rulebook (docs/rules.md), generated from the rules data so it never drifts from the game.

    python -m game.docs.rulebook                 # write docs/rules.md from rules/
    python -m game.docs.rulebook --check         # exit 1 if docs/rules.md is out of date
    python -m game.docs.rulebook --rules DIR --out FILE --scenario ID

Every number in the text is read from the loaded rules (``load_rules``): nothing is typed by
hand. The book has a Chinese part and then an English part, written for a student.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from game.engine import format_money, format_users
from game.engine.company import CompanyProfile
from game.engine.rules import ActionSpec, Capability, Company, Effect, Rules, Scenario
from game.paths import ROOT, RULES_DIR

DEFAULT_RULES = RULES_DIR
DEFAULT_OUT = ROOT / "docs" / "rules.md"
REGENERATE = "python -m game.docs.rulebook"


# ----------------------------------------------------------------------------- formatting

def num(x: float, digits: int = 3) -> str:
    """A number as a student reads it: 6.0 -> '6', 0.35 -> '0.35', 1234.0 -> '1,234'.

    Numbers read from the data keep up to three decimals; derived ones pass ``digits=1``.
    """
    x = round(float(x), digits)
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.3f}".rstrip("0").rstrip(".")


def pct(x: float) -> str:
    return f"{num(x * 100)}%"


def signed(x: float) -> str:
    return ("+" if x >= 0 else "−") + num(abs(x))


def money(rules: Rules, x: float, lang: str, digits: int = 3) -> str:
    """An amount in bn yuan in the reader's unit, as ``format_money`` shows it ("300亿元",
    "30.0 bn yuan"), but never rounded coarser than ``digits`` decimals of the shown number:
    a rate of 0.35 bn yuan stays "0.35 bn yuan" rather than "0.3 bn yuan".
    """
    text = format_money(rules, x, lang)
    v = float(x) * rules.money_scale.get(lang, 1.0)
    if abs(v) < 100 and abs(round(v, 1) - round(v, digits)) > 1e-9:
        unit = rules.units["money"].get(lang)
        text = f"{num(v, digits)}{unit}" if lang == "zh" else f"{num(v, digits)} {unit}"
    return text


def signed_money(rules: Rules, x: float, lang: str, digits: int = 3) -> str:
    return ("+" if x >= 0 else "−") + money(rules, abs(x), lang, digits)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(head: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return out + [""]


# ----------------------------------------------------------------------------- the book

class _Book:
    """Writes one language's part; ``T(zh, en)`` picks the sentence for that language."""

    def __init__(self, rules: Rules, scen: Scenario, lang: str):
        self.rules, self.scen, self.lang = rules, scen, lang
        self.eco = rules.economy
        self.cited: set[str] = set()
        self.lines: list[str] = []
        self.specs: dict[str, Company] = dict(scen.company_specs)
        self.profiles = {cid: CompanyProfile.build(rules, scen, self.specs[cid], i)
                         for i, cid in enumerate(scen.companies)}

    # -- helpers

    def T(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def cite(self, tags: Iterable[str]) -> str:
        tags = list(tags)
        self.cited.update(tags)
        if not tags:
            return ""
        return self.T("（" + "、".join(tags) + "）", "(" + ", ".join(tags) + ")")

    @property
    def sp(self) -> str:
        """The space between a sentence and what follows: none after Chinese text."""
        return self.T("", " ")

    def tags(self, tags: Iterable[str]) -> str:
        """Fact tags for a table's column: "F07、F35" or "F07, F35"."""
        return self.T("、", ", ").join(tags)

    def users(self, x: float) -> str:
        """Users (in millions) as a reader counts them: 3亿 in Chinese, 300 in English."""
        return format_users(x, self.lang, unit=False)

    def name(self, kind: str, item_id: str) -> str:
        return self.rules.name_of(kind, item_id, self.lang)

    def cap(self, cap_id: str) -> str:
        return self.name("capability", cap_id)

    def act(self, action_id: str) -> str:
        return self.name("action", action_id)

    def co(self, cid: str) -> str:
        return self.name("company", cid)

    def pil(self, pid: str) -> str:
        return self.name("pillar", pid)

    def join(self, items: Iterable[str], last: str | None = None) -> str:
        items = list(items)
        if self.lang == "zh":
            return "、".join(items)
        if len(items) > 1 and last:
            return ", ".join(items[:-1]) + f" {last} " + items[-1]
        return ", ".join(items)

    def money(self, x: float, digits: int = 3) -> str:
        return money(self.rules, x, self.lang, digits)

    def signed_money(self, x: float, digits: int = 3) -> str:
        return signed_money(self.rules, x, self.lang, digits)

    def steps(self, n: int) -> str:
        return self.T(f"{n} 步", f"{n} step" if n == 1 else f"{n} steps")

    def quarter(self, round_number: int) -> str:
        y, q = self.scen.quarter_label(round_number)
        return self.T(f"{y}年第{q}季度", f"{y} Q{q}")

    def heading(self, level: int, zh: str, en: str) -> None:
        self.add("#" * level + " " + self.T(zh, en), "")

    def actions_of(self, kind: str) -> list[ActionSpec]:
        return [a for a in self.rules.actions if a.kind == kind
                and a.id not in self.scen.disabled_actions]

    def start_traffic(self, cid: str) -> float:
        spec, prof = self.specs[cid], self.profiles[cid]
        bonus = sum(self.rules.capability(c).traffic_bonus for c in spec.built)
        return spec.users * self.eco.traffic_per_user * prof.traffic_factor * (1.0 + bonus)

    def spent(self, a: ActionSpec, cid: str) -> float:
        """Traffic an action spends at the start of round 1 (as economy.traffic_cost does)."""
        base = max(a.traffic, a.traffic_share * self.start_traffic(cid)) if a.traffic_share else a.traffic
        return base * self.profiles[cid].action_cost_mult[a.index]

    def start_conversion(self, cid: str) -> float:
        prof = self.profiles[cid]
        return (self.eco.base_conversion + prof.conversion_extra
                + sum(prof.cap_conversion[self.rules.capability_index(c)]
                      for c in self.specs[cid].built))

    def built_mask(self, cid: str) -> int:
        m = 0
        for c in self.specs[cid].built:
            m |= 1 << self.rules.capability_index(c)
        return m

    # -- sections

    def render(self) -> str:
        self.intro()
        self.goal()
        self.round_and_turn()
        self.first_turn()
        self.actions()
        self.capabilities()
        self.loop()
        self.economy()
        self.interaction()
        self.companies()
        self.events()
        self.scenarios()
        self.glossary()
        return "\n".join(self.lines)

    def intro(self) -> None:
        r, s = self.rules, self.scen
        self.add("# " + self.T(f"{r.title.zh}：{r.subtitle.zh} — 规则书",
                               f"{r.title.en}: {r.subtitle.en} — Rulebook"), "")
        self.add(self.T(
            f"规则版本 {r.version}。本规则书由规则数据自动生成（剧本：{s.name.zh}），书中的每个数字都与游戏一致。",
            f"Rules version {r.version}. This rulebook is generated from the rules data "
            f"(scenario: {s.name.en}), so every number in it is the game's own."), "")
        self.heading(2, "这是什么游戏", "What the game is")
        apps = self.join(f"{self.co(c)}（{self.specs[c].app.zh}）" if self.lang == "zh"
                         else f"{self.co(c)} ({self.specs[c].app.en})" for c in s.companies)
        self.add(self.T(
            f"游戏取材于一篇关于抖音做电商的文章。{len(s.companies)}家公司：{apps}，"
            "争相建成电商的“闭环”：自己的流量、店铺、支付、物流、售后和数据连成一圈，然后上线独立App。",
            f"The game comes from an article about Douyin's move into e-commerce. "
            f"{len(s.companies)} companies, {apps}, race to close the e-commerce loop: their own "
            "traffic, shops, payment, delivery, after-sales and data joined in a circle, and then "
            "to launch a standalone shopping app."), "")
        self.add(self.T(
            "难处在于：在内容App里卖货会伤害用户体验，用户体验差了，用户就会流失，而用户正是流量的来源。"
            f"{self.cite(['F31', 'F37'])}",
            "The catch: selling inside a content app wears down user experience, and when user "
            "experience is low, users leave; users are where traffic comes from. "
            f"{self.cite(['F31', 'F37'])}"), "")
        self.add(self.T(f"剧本：**{s.name.zh}**。{s.text.zh}{self.cite(s.source)}",
                        f"Scenario: **{s.name.en}**. {s.text.en} {self.cite(s.source)}"), "")
        self.add(self.T(
            f"单位：资金和GMV以“{r.units['money'].zh}”计，流量以“{r.units['traffic'].zh}”计，"
            f"用户指{r.units['users'].zh}，以亿或万计。",
            f"Units: capital and GMV in {r.units['money'].en}, traffic in "
            f"{r.units['traffic'].en} points, users in {r.units['users'].en}."), "")

    def goal(self) -> None:
        s = self.scen
        self.heading(2, "目标与胜负", "The goal and how to win")
        if s.victory_points:
            self.goal_points()
            return
        GMV = "GMV"
        if s.target_quarter_gmv is not None:
            t = s.target_quarter_gmv
            if s.requires_app:
                self.add(self.T(
                    f"1. **立即获胜**：在某个季度结算时，一家在本局游戏中上线了独立App的公司，"
                    f"该季度{GMV}达到 **{self.money(t)}**（相当于一年 {self.money(t * 4)}），立即获胜。"
                    f"若同时有几家达到，单季度{GMV}最高者获胜。{self.cite(['F24'])}",
                    f"1. **Win at once**: when a quarter is settled, a company that launched its "
                    f"standalone app during this game and made at least **{self.money(t)}** of {GMV} "
                    f"in that quarter ({self.money(t * 4)} a year) wins at once. If several do, the "
                    f"highest quarter {GMV} wins. {self.cite(['F24'])}"))
                pre = [c for c in s.companies if self.specs[c].app_launched]
                if pre:
                    names = self.join((self.co(c) for c in pre), "and")
                    self.add(self.T(
                        f"   开局就有App的公司（{names}）不算：它们的App不是在游戏中上线的，只能靠累计{GMV}获胜。",
                        f"   An app that exists from the start ({names}) does not count: that "
                        f"company can only win on total {GMV}."))
            else:
                self.add(self.T(
                    f"1. **立即获胜**：某个季度{GMV}达到 **{self.money(t)}** 的公司立即获胜。",
                    f"1. **Win at once**: a company with at least **{self.money(t)}** of {GMV} in "
                    "one quarter wins at once."))
        last = self.quarter(s.rounds)
        n = "2." if s.target_quarter_gmv is not None else "1."
        self.add(self.T(
            f"{n} **否则**：第{s.rounds}个季度（{last}）结束后，累计{GMV}最高的公司获胜。",
            f"{n} **Otherwise**: after round {s.rounds} ({last}) the company with the highest "
            f"total {GMV} wins."), "")
        self.add(self.T(
            "GMV（成交总额）就是分数：每个季度的GMV累加起来。",
            "GMV (gross merchandise value, the value of goods sold) is the score: each quarter's "
            "GMV adds to your total."), "")

    def goal_points(self) -> None:
        """The goal when the scenario is won on goal points: each company on its own scale."""
        s = self.scen
        last = self.quarter(s.rounds)
        cap, power = s.quarter_points_cap, s.quarter_points_power
        double = min(cap, 2.0 ** power)
        rows = [[self.co(c), self.money(self.specs[c].goal_gmv)] for c in s.companies]
        self.add(self.T(
            "三家公司规模相差很大，所以各按**自己的目标线**得**目标分**，而不是比谁的GMV大。",
            "The companies differ hugely in size, so each scores **goal points** against **its own goal "
            "line** rather than racing on GMV."), "")
        self.add(self.T(
            f"1. **每个季度**结算时：本季度计分的GMV正好达到目标线得 1 分，达到两倍得 {double:.1f} 分"
            f"（目标分 =（计分GMV ÷ 目标线）的 {power:g} 次方，越多越慢），一个季度最多 {cap:g} 分。"
            "持续的成绩胜过一次大促。",
            f"1. **Every quarter**, at the settlement: a quarter's counted GMV at the goal line scores 1 "
            f"point, twice the line {double:.1f} (points = (counted GMV ÷ goal line)^{power:g}: more, "
            f"but ever less per yuan), at most {cap:g} a quarter. Sustained results beat one festival burst."))
        links = [lk for lk in s.outside_links if lk.points_share > 0]
        for lk in links:
            self.add(self.T(
                f"   计分GMV = 自己的GMV，再加上经{self.co(lk.host)}外链卖出的{self.co(lk.partner)}"
                f"商品GMV的 {pct(lk.points_share)}（算在{self.co(lk.host)}名下）。{self.cite(['F23'])}",
                f"   Counted GMV = your own GMV, plus {pct(lk.points_share)} of the "
                f"{self.co(lk.partner)} GMV sold through {self.co(lk.host)}'s outside links (for "
                f"{self.co(lk.host)}). {self.cite(['F23'])}"))
        self.add(self.T(
            f"2. **里程碑**：在本局游戏中建成闭环，一次性 +{s.loop_points:g} 分；在本局游戏中上线独立App，"
            f"一次性 +{s.app_points:g} 分（开局就有的App不算）。{self.cite(['F37', 'F09'])}",
            f"2. **Milestones**: closing the loop during the game scores +{s.loop_points:g} once; "
            f"launching a standalone app during the game +{s.app_points:g} once (an app there from the "
            f"start does not count). {self.cite(['F37', 'F09'])}"))
        if s.ux_end_points:
            self.add(self.T(
                f"   **用户的记忆**：最后一个季度结算后，每家公司再得 {s.ux_end_points:g} × 用户体验 ÷ "
                f"{num(self.rules.economy.ux_max)} 分（用户体验满分时 +{s.ux_end_points:g}）：最后一年拼命"
                f"推销、把用户体验耗光，并不是白赚。{self.cite(['F31'])}",
                f"   **Users remember**: after the last quarter each company scores {s.ux_end_points:g} × "
                f"user experience ÷ {num(self.rules.economy.ux_max)} more (+{s.ux_end_points:g} at full "
                f"experience): wearing users out with selling in the last year is not free. "
                f"{self.cite(['F31'])}"))
        self.add(self.T(
            f"3. **胜负**：第{s.rounds}个季度（{last}）结算后，目标分最多的公司获胜；同分时累计GMV高者获胜。",
            f"3. **Winning**: after round {s.rounds} ({last}) the company with the most goal points wins; "
            f"on a tie, the higher total GMV."), "")
        if s.regulator_event:
            self.add(self.T(
                f"领先太多要小心：季度开始时，若第一名领先第二名 {s.regulator_lead:g} 分或更多，"
                f"就会遇到“{self.name('event', s.regulator_event)}”。",
                f"Beware of a big lead: at the start of a quarter, a leader {s.regulator_lead:g} or more "
                f"points ahead of the next meets \"{self.name('event', s.regulator_event)}\"."), "")
        self.add(*table([self.T("公司", "Company"), self.T("目标线（每季度）", "Goal line (a quarter)")], rows))
        self.add(self.T(
            f"作为对照（F23、F24）：2020年抖音电商GMV约 {self.money(500.0)}，2021年的目标是一年一万亿元。",
            f"For comparison (F23, F24): Douyin's e-commerce GMV was about {self.money(500.0)} in 2020, "
            "and its 2021 target a trillion yuan a year."), "")

    def round_and_turn(self) -> None:
        s = self.scen
        cs = list(s.companies)
        self.heading(2, "季度与回合", "A round and a turn")
        self.add(self.T(
            f"游戏共 **{s.rounds} 个季度**，从{self.quarter(1)}到{self.quarter(s.rounds)}。"
            "每个季度里，每家公司各进行一个回合。",
            f"The game has **{s.rounds} rounds**; each round is a quarter, from {self.quarter(1)} "
            f"to {self.quarter(s.rounds)}."), "")
        self.heading(3, "每个季度开始时", "At the start of a round")
        self.add(self.T(
            "1. 事件：先发生剧本排定的事件，然后可能从事件牌堆抽一张（见“事件”）。",
            "1. Events: the scenario's scheduled events happen, then maybe one card from the "
            "event deck (see Events)."))
        self.add(self.T(
            "2. 每家公司的用户带来本季度的流量（见“流量”）。上个季度没用完的流量不会保留。",
            "2. Each company's users bring this round's traffic (see Traffic). Traffic left "
            "from the last round is not kept."))
        self.add(self.T("3. 每季度限次的行动重新计数。", "3. Per-round action limits reset."), "")
        self.heading(3, "回合", "Turns")
        self.add(self.T(
            f"每家公司轮流进行一个回合。每个回合最多做 **{s.actions_per_round} 个行动**；"
            f"同一个行动可以重复做。“{self.act(self.actions_of('end_turn')[0].id)}”不占行动次数，"
            "随时可以结束。",
            f"Each company takes one turn per round. A turn has up to **{s.actions_per_round} "
            "actions**; the same action may be taken more than once. "
            f"\"{self.act(self.actions_of('end_turn')[0].id)}\" uses no action and can come at any "
            "time."), "")
        self.add(self.T("先后顺序每个季度轮换，让每家都有先手的时候：",
                        "The order rotates every round, so everyone gets to go first:"), "")
        rows = []
        for r in range(1, len(cs) + 1):
            shift = (r - 1) % len(cs)
            order = cs[shift:] + cs[:shift]
            rows.append([self.T(self.quarter(r), str(r)), " → ".join(self.co(c) for c in order)])
        self.add(*table([self.T("季度", "Round"), self.T("顺序", "Order")], rows))
        self.add(self.T("之后按此循环。", "Then it repeats."), "")
        self.heading(3, "季度结算", "The end of a round: settlement")
        self.add(self.T(
            "最后一家结束回合后，本季度结算（详见“流量、资金、用户体验与GMV”）：",
            "After the last company ends its turn, the quarter is settled (details in "
            "\"How traffic, capital, user experience and GMV move\"):"), "")
        self.add(self.T(
            "1. 各家本季度创造的需求瓜分本季度的市场，得出各自的GMV。",
            "1. The demand each company created this round splits the quarter's market: that "
            "is each one's GMV."))
        self.add(self.T(
            "2. 资金入账：GMV佣金、外链佣金、减去面单费，再加上没用完的流量换来的广告收入。",
            "2. Capital comes in: commission on GMV, outside-link fees, minus e-waybill fees, "
            "plus ad income from traffic left unused."))
        self.add(self.T("3. 买家数据累积。", "3. Buyer data accumulates."))
        self.add(self.T("4. 用户数按用户体验增减，然后用户体验回升一些。",
                        "4. Users grow or shrink with user experience; then user experience "
                        "recovers a little."))
        self.add(self.T("5. 检查胜负。", "5. Check for a winner."), "")

    def first_turn(self) -> None:
        s, eco, rules = self.scen, self.eco, self.rules
        cid = s.companies[0]
        spec, prof = self.specs[cid], self.profiles[cid]
        self.heading(2, "你的第一个回合（示例）", "Your first turn (a walkthrough)")
        traffic = self.start_traffic(cid)
        conv = self.start_conversion(cid)
        self.add(self.T(
            f"现在是{self.quarter(1)}，你执掌**{self.co(cid)}**（{spec.app.zh}），第一个行动。"
            f"你有 {self.users(spec.users)}{rules.units['users'].zh}，本季度流量约 **{num(traffic, 1)}**"
            f"（未计事件），资金 **{self.money(spec.capital)}**，用户体验 **{num(spec.ux)}**，"
            f"转化率 **{num(conv)}**。",
            f"It is {self.quarter(1)}. You run **{self.co(cid)}** ({spec.app.en}) and move first. "
            f"You have {num(spec.users)} {rules.units['users'].en}, about **{num(traffic, 1)}** "
            f"traffic this round (before events), **{self.money(spec.capital)}** of capital, user "
            f"experience **{num(spec.ux)}** and conversion **{num(conv)}**."), "")
        work = tuple(c.work for c in rules.capabilities)
        built = self.built_mask(cid)
        progress = [w if built >> k & 1 else 0 for k, w in enumerate(work)]
        status = rules.graph.loop_status(s.loop, built, prof.step_cost, progress, work, prof.locked)
        missing = status.missing
        self.add(self.T(
            f"**看闭环**：你已连通 {status.done}/{len(status.links)} 个环节。",
            f"**Look at your loop**: {status.done} of {len(status.links)} links are made."))
        for link in missing:
            if not link.plan:
                continue
            plan = self.join(self.cap(c) for c in link.plan)
            self.add(self.T(
                f"- 缺 {self.pil(link.source)}→{self.pil(link.target)}：最便宜的路是建{plan}，"
                f"共 {link.steps} 步、{self.money(link.cost, 1)}。",
                f"- Missing {self.pil(link.source)}→{self.pil(link.target)}: the cheapest way is "
                f"to build {plan}: {self.steps(link.steps)}, {self.money(link.cost, 1)} in all."))
        self.add("")
        self.add(self.T("**几个合理的选择：**", "**A few sensible options:**"), "")
        sell = next((a for a in self.actions_of("commerce")
                     if all(built >> rules.capability_index(c) & 1 for c in a.requires)), None)
        step = 1
        if sell is not None:
            spent = self.spent(sell, cid)
            leak = sum(lk.share for lk in s.outside_links if lk.host == cid) * (1 - spec.app_share)
            demand = spent * (1 - leak) * conv * sell.demand_mult * prof.action_demand_mult[sell.index]
            relief = sum(rules.capability(c).ux_relief for c in spec.built)
            ux = (sell.ux * (1 - spec.app_share * (1 - sell.ux_in_app)) * (1 - min(relief, 1.0))
                  * prof.ux_cost_mult)
            line = self.T(
                f"{step}. **{self.act(sell.id)}**（{sell.key}）：花 {num(spent, 1)} 流量，创造需求 "
                f"{num(spent, 1)} × {num(conv)}" + (f" × (1 − {pct(leak)})" if leak else "")
                + f" ≈ {num(demand, 1)}，用户体验 −{num(ux, 1)}。",
                f"{step}. **{self.act(sell.id)}** ({sell.key}): spend {num(spent, 1)} traffic for "
                f"demand {num(spent, 1)} × {num(conv)}" + (f" × (1 − {pct(leak)})" if leak else "")
                + f" ≈ {num(demand, 1)}; user experience −{num(ux, 1)}.")
            if leak:
                partners = self.join((self.co(lk.partner) for lk in s.outside_links
                                      if lk.host == cid), "and")
                line += self.T(
                    f"有 {pct(leak)} 的订单经外链流向{partners}，你只赚佣金。{self.cite(['F03'])}",
                    f" {pct(leak)} of the orders leave through outside links to {partners}; you "
                    f"only earn a fee. {self.cite(['F03'])}")
            self.add(line)
            step += 1
        first = next((c for c in status.plan if rules.graph.is_available(built, rules.capability_index(c))),
                     None)
        if first is not None:
            k = rules.capability_index(first)
            c = rules.capabilities[k]
            b = self.actions_of("build")[0]
            cost = prof.step_cost[k] * prof.action_cost_mult[b.index]
            self.add(self.T(
                f"{step}. **{self.act(b.id)}**（{b.key}）：{self.cap(first)}，每步 {self.money(cost, 1)}，"
                f"共 {c.work} 步。这是闭环计划的第一步。",
                f"{step}. **{self.act(b.id)}** ({b.key}): {self.cap(first)}, "
                f"{self.money(cost, 1)} per step, {self.steps(c.work)}. It is the first step of your "
                "loop plan."))
            step += 1
        ads = self.actions_of("ads")
        if ads:
            a = ads[0]
            spent = self.spent(a, cid)
            gain = spent * a.capital_per_traffic * prof.ad_mult
            self.add(self.T(
                f"{step}. **{self.act(a.id)}**（{a.key}）：花 {num(spent, 1)} 流量，资金 +{self.money(gain, 1)}，"
                f"用户体验 −{num(a.ux * prof.ux_cost_mult, 1)}。",
                f"{step}. **{self.act(a.id)}** ({a.key}): spend {num(spent, 1)} traffic for "
                f"+{self.money(gain, 1)} of capital; user experience −{num(a.ux * prof.ux_cost_mult, 1)}."))
            step += 1
        end = self.actions_of("end_turn")[0]
        self.add(self.T(
            f"{step}. 用完 {s.actions_per_round} 个行动（或提前）后，**{self.act(end.id)}**（{end.key}）。",
            f"{step}. After {s.actions_per_round} actions (or earlier), **{self.act(end.id)}** "
            f"({end.key})."), "")
        self.add(self.T(
            f"小贴士：没用完的流量在季度末每个流量点只换 {self.money(eco.idle_traffic_ad_rate)}；"
            f"用户体验低于 {num(eco.ux_neutral)} 时用户会流失。每一步都是取舍：现在变现，还是建闭环？",
            f"Tip: traffic left unused earns only {self.money(eco.idle_traffic_ad_rate)} a point "
            f"at the end of the quarter, and users leave when user experience is below "
            f"{num(eco.ux_neutral)}. Every turn is a choice: cash in now, or build the loop?"), "")

    def action_effect(self, a: ActionSpec) -> str:
        eco = self.eco
        k = a.kind
        if k == "build":
            return self.T("每步资金见能力表，再乘以公司的费用系数。步数走完即建成。",
                          "Capital per step is in the capability table, times your company's "
                          "cost multiplier. Built when all its steps are done.")
        if k == "commerce":
            m = f" × {num(a.demand_mult)}" if a.demand_mult != 1 else ""
            if a.ux_in_app > 0:
                return self.T(
                    f"创造需求 = 流量 × 转化率{m}。用户体验损失按仍在内容App里的交易比例全额计算，"
                    f"在独立App里的部分也要付 {pct(a.ux_in_app)}（直播间的倒计时和福袋在购物App里一样伤用户），"
                    "再被能力减免。",
                    f"Creates demand = traffic × conversion{m}. The user-experience cost counts in full "
                    f"for the share of commerce still in the content app and at {pct(a.ux_in_app)} for "
                    "the share in a standalone app (a live room's countdowns wear on users in a "
                    "shopping app too), less any relief from capabilities.")
            return self.T(
                f"创造需求 = 流量 × 转化率{m}。用户体验损失只按仍在内容App里的交易比例计算，并被能力减免。",
                f"Creates demand = traffic × conversion{m}. The user-experience cost counts only "
                "for the share of commerce still in the content app, less any relief from "
                "capabilities.")
        if k == "ads":
            return self.T(f"花掉的每个流量点换 {self.money(a.capital_per_traffic)}。",
                          f"{self.money(a.capital_per_traffic)} per traffic point spent.")
        if k == "buy_traffic":
            return self.T(f"流量 +{num(a.traffic_gain)}（只在本季度有效）。",
                          f"+{num(a.traffic_gain)} traffic (for this round only).")
        if k == "launch_app":
            return self.T(f"上线独立App：{pct(a.app_share)} 的交易立即搬进App，那部分交易不再伤害用户体验。",
                          f"Launches the standalone app: {pct(a.app_share)} of commerce moves "
                          "into it at once, and commerce there no longer costs user experience.")
        if k == "migrate":
            return self.T(f"App内交易占比提高 {num(a.app_share * 100)} 个百分点（最多到100%）。需要已上线独立App。",
                          f"The app's share of commerce rises {num(a.app_share * 100)} percentage "
                          "points (up to 100%). Needs the app.")
        if k == "ban_links":
            return self.T("关闭你通往某个伙伴的外链，本局不再恢复：买家留在你这里，但你失去外链佣金。",
                          "Cuts your outside links to one partner for the rest of the game: buyers "
                          "stay with you, but the link fees stop.")
        if k == "poach":
            sc = self.pil(eco.talent_pillar) if eco.talent_pillar else ""
            return self.T(
                f"人才 +1（最多 {eco.max_talent}）：你下一次建设{sc}能力多推进 {eco.talent_progress} 步。"
                f"对手进度最高的未完成{sc}能力倒退一步。",
                f"+1 talent (at most {eco.max_talent}): your next {sc} build step advances "
                f"{self.steps(eco.talent_progress)} more. The rival's most advanced unfinished {sc} "
                "capability slips back a step.")
        if k == "end_turn":
            return self.T("不占行动次数。", "Uses no action.")
        return a.text.get(self.lang)

    def actions(self) -> None:
        s = self.scen
        self.heading(2, "行动", "Actions")
        self.add(self.T("每个行动用掉回合里的一次行动机会（结束回合除外）。"
                        "“本季度流量的 x%”按本季度开始时的流量计算（流量越多，每次花得越多，效果也越大）。",
                        "Each action uses one of your turn's actions (except End turn). "
                        "\"x% of the round's traffic\" is counted on the traffic you had at the "
                        "start of the round (more traffic: bigger spends, bigger effects)."), "")
        shares = [a.traffic_share for a in self.rules.actions if a.traffic_share]
        if shares:
            share = min(shares)
            most = int(1 / share + 1e-9)
            if most < s.actions_per_round:
                self.add(self.T(
                    f"注意：每次花本季度流量的 {pct(share)}，本季度流量最多够做 {most} 次这样的行动；想做更多就要先买流量。",
                    f"Mind: at {pct(share)} of the round's traffic each, your traffic pays for at "
                    f"most {most} such actions in a round; for more, buy traffic first."), "")
        rows = []
        for a in self.rules.actions:
            cost = []
            if a.kind == "build":
                cost.append(self.T("资金：见能力表", "capital: see capabilities"))
            if a.traffic_share:
                cost.append(self.T(f"本季度流量的 {pct(a.traffic_share)}，至少流量 {num(a.traffic)}",
                                   f"{pct(a.traffic_share)} of the round's traffic, at least "
                                   f"{num(a.traffic)} traffic"))
            elif a.traffic:
                cost.append(self.T(f"流量 {num(a.traffic)}", f"{num(a.traffic)} traffic"))
            if a.capital:
                cost.append(self.T(f"资金 {self.money(a.capital)}", f"{self.money(a.capital)} of capital"))
            ux = f"−{num(a.ux)}" if a.ux else "—"
            cond = []
            if a.requires:
                cond.append(self.T("需要", "needs ") + self.join(self.cap(c) for c in a.requires))
            if a.requires_loop:
                cond.append(self.T("需要闭环", "needs a closed loop"))
            if a.per_round:
                cond.append(self.T(f"每季度最多 {a.per_round} 次", f"at most {a.per_round} a round"))
            if a.id in s.disabled_actions:
                cond.append(self.T("**本剧本禁用**", "**disabled in this scenario**"))
            what = a.text.get(self.lang) + self.T("", " ") + self.action_effect(a)
            if cond:
                what += self.T("（", " (") + self.T("；", "; ").join(cond) + self.T("）", ")")
            rows.append([f"**{self.act(a.id)}**", f"`{a.key}`", self.T("，", ", ").join(cost) or "—", ux,
                         what, self.tags(a.source) or "—"])
            self.cite(a.source)
        self.add(*table([self.T("行动", "Action"), self.T("快捷键", "Key"),
                         self.T("花费", "Cost"), self.T("用户体验", "User experience"),
                         self.T("作用", "What it does"), self.T("事实", "Facts")], rows))
        mults = []
        for cid in s.companies:
            for pid in self.specs[cid].powers:
                p = self.rules.powers[pid]
                for aid, m in p.action_cost_mult.items():
                    mults.append(self.T(f"{self.co(cid)}的“{self.act(aid)}”花费 ×{num(m)}",
                                        f"{self.co(cid)} pays ×{num(m)} for {self.act(aid)}"))
        if mults:
            self.add(self.T("公司特长会改变部分花费：", "Company powers change some costs: ")
                     + self.join(mults) + self.T("。", "."), "")

    def cap_effects(self, c: Capability) -> str:
        eco, rules = self.eco, self.rules
        out = []
        if c.conversion:
            out.append(self.T(f"转化率 +{num(c.conversion)}", f"conversion +{num(c.conversion)}"))
        if c.traffic_bonus:
            out.append(self.T(f"流量 +{pct(c.traffic_bonus)}", f"traffic +{pct(c.traffic_bonus)}"))
        if c.ux_relief:
            out.append(self.T(f"卖货的用户体验损失 −{pct(c.ux_relief)}",
                              f"commerce's user-experience cost −{pct(c.ux_relief)}"))
        if c.id == eco.waybill_capability:
            out.append(self.T("不付面单费，数据自己留", "no e-waybill fees; you keep your data"))
        if c.id == eco.data_capability:
            out.append(self.T("买家数据变成转化率", "buyer data turns into conversion"))
        unlocks = [a for a in rules.actions if c.id in a.requires]
        if unlocks:
            out.append(self.T("解锁", "unlocks ") + self.join(self.act(a.id) for a in unlocks))
        return self.T("；", "; ").join(out) or "—"

    def capabilities(self) -> None:
        rules = self.rules
        self.heading(2, "能力图", "The capability graph")
        self.add(self.T(
            "能力画在能力图上，按支柱分组。箭头是前置条件：“全部”表示每一项都要先建成，"
            "“任一”表示至少建成其中一项。每项能力有一个状态：未解锁、可建设、建设中（k/n步）、已建成。"
            "每建一步花一次行动和该能力的“每步资金”；步数走完即建成，效果永久。",
            "Capabilities are the nodes of the capability graph, grouped in pillars. Prerequisites "
            "are its arrows: \"all of\" means each must be built first, \"any of\" means at least "
            "one. Each capability is locked, available, in progress (k of n steps) or built. "
            "Each step costs one action and the capability's capital per step; when all steps "
            "are done it is built and works for good."), "")
        self.add(self.T(
            f"每项能力的基本费用如下；公司的费用系数见“公司”。{self.cite(['F37', 'F25'])}",
            "Base costs are below; each company's cost multipliers are under Companies. "
            f"{self.cite(['F37', 'F25'])}"), "")
        for pid in sorted(rules.pillars, key=lambda p: rules.pillars[p].order):
            p = rules.pillars[pid]
            caps = [c for c in rules.capabilities if c.pillar == pid]
            if not caps:
                continue
            self.add(f"### {p.name.get(self.lang)}" + self.T("支柱", " pillar"), "")
            self.add(p.text.get(self.lang) + self.sp + self.cite(p.source), "")
            rows = []
            for c in caps:
                req = []
                if c.requires:
                    req.append(self.T("全部：", "all of: ") + self.join(self.cap(x) for x in c.requires))
                if c.requires_any:
                    req.append(self.T("任一：", "any of: ") + self.join(self.cap(x) for x in c.requires_any))
                rows.append([f"**{self.cap(c.id)}**", self.T("；", "; ").join(req) or "—",
                             f"{self.money(c.cost)} × {c.work} = {self.money(c.cost * c.work)}",
                             self.cap_effects(c), c.text.get(self.lang), self.tags(c.source) or "—"])
                self.cite(c.source)
            self.add(*table([self.T("能力", "Capability"), self.T("前置条件", "Prerequisites"),
                             self.T("每步资金 × 步数 = 合计", "Capital per step × steps = total"),
                             self.T("建成后", "Once built"), self.T("说明", "About"),
                             self.T("事实", "Facts")], rows))

    def loop(self) -> None:
        rules, s = self.rules, self.scen
        g = rules.graph
        self.heading(2, "闭环", "The closed loop")
        order = " → ".join(self.pil(p) for p in s.loop) + " → " + self.pil(s.loop[0])
        self.add(self.T(
            f"闭环按这个顺序连接各支柱：**{order}**。",
            f"The loop joins the pillars in this order: **{order}**."), "")
        self.add(self.T(
            "每个环节“甲支柱→乙支柱”要连通，需要建成一对能力：一个甲支柱的能力，加上一个以它为前置条件的乙支柱能力。"
            "所有环节都连通，闭环就建成了。游戏随时显示还缺哪些环节、最便宜的补法；"
            "能力图上的橙色虚线框还一直标到上线独立App需要的能力。",
            "A link \"pillar A → pillar B\" is made when you have built a pair: a capability of "
            "A and a capability of B that has it as a prerequisite. When every link is made, the "
            "loop is closed. The game always shows which links are missing and the cheapest way "
            "to make each; the orange dashed outline on the capability graph runs on to what "
            "launching the app needs."), "")
        rows = []
        for link in g.loop_links(s.loop):
            pairs = [f"{self.cap(g.ids[u])} → {self.cap(g.ids[v])}" for u, v in link.edges]
            rows.append([f"{self.pil(link.source)} → {self.pil(link.target)}",
                         self.T("；", "; ").join(pairs) or "—"])
        self.add(*table([self.T("环节", "Link"), self.T("能连通这个环节的能力对", "Capability pairs that make it")], rows))
        launch = self.actions_of("launch_app")
        if launch:
            a = launch[0]
            req = self.join(self.cap(c) for c in a.requires)
            self.add(self.T(
                f"闭环建成后（还需要{req}），才能“{self.act(a.id)}”。独立App里的交易不再伤害用户体验。"
                f"{self.cite(['F09', 'F31', 'F32'])}",
                f"Only with the loop closed (and {req} built) can you \"{self.act(a.id)}\". "
                "Commerce in the standalone app no longer costs user experience. "
                f"{self.cite(['F09', 'F31', 'F32'])}"), "")
        rows = []
        for cid in s.companies:
            prof = self.profiles[cid]
            work = tuple(c.work for c in rules.capabilities)
            built = self.built_mask(cid)
            progress = [w if built >> k & 1 else 0 for k, w in enumerate(work)]
            st = g.loop_status(s.loop, built, prof.step_cost, progress, work, prof.locked)
            miss = self.T("；", "; ").join(f"{self.pil(x.source)}→{self.pil(x.target)}" for x in st.missing)
            plan_cost = sum(prof.step_cost[rules.capability_index(c)] * rules.capability(c).work
                            for c in st.plan)
            plan_steps = sum(rules.capability(c).work for c in st.plan)
            rows.append([self.co(cid), f"{st.done}/{len(st.links)}", miss or "—",
                         self.join(self.cap(c) for c in st.plan) or "—",
                         f"{plan_steps} / {self.money(plan_cost, 1)}" if st.plan else "—"])
        self.add(self.T("开局时各家的闭环进度：", "Where each company starts:"), "")
        self.add(*table([self.T("公司", "Company"), self.T("已连通", "Links made"),
                         self.T("还缺", "Missing"), self.T("最便宜的计划", "Cheapest plan"),
                         self.T("步数 / 资金", "Steps / capital")], rows))

    def economy(self) -> None:
        eco, s, rules = self.eco, self.scen, self.rules
        units_users = rules.units["users"].get(self.lang)
        self.heading(2, "流量、资金、用户体验与GMV", "How traffic, capital, user experience and GMV move")
        self.heading(3, "流量", "Traffic")
        self.add(self.T(
            f"流量是核心资源{self.cite(['F20', 'F22'])}。每个季度开始时："
            f"**流量 = 用户数 × {num(eco.traffic_per_user)} × 公司流量系数 ×（1 + 能力流量加成）× 事件倍数**。"
            "流量用于卖货、投广告、向App导流；本季度没用完的不会留到下个季度。",
            f"Traffic is the central resource {self.cite(['F20', 'F22'])}. At the start "
            f"of each round: **traffic = users × {num(eco.traffic_per_user)} × company traffic "
            "factor × (1 + capability traffic bonus) × event multipliers**. Traffic is spent on "
            "selling, ads and moving users to the app; what is left is not kept for the next "
            "round."), "")
        self.heading(3, "转化率与需求", "Conversion and demand")
        self.add(self.T(
            f"**转化率 = {num(eco.base_conversion)} + 已建成能力的转化加成 + 公司特长加成 + 数据加成**。"
            "卖货时，**需求 = 花掉的流量 × 转化率 × 行动倍数 × 事件倍数**。支付、物流、售后和货源越完善，同样的流量带来越多订单。"
            f"{self.cite(['F37'])}",
            f"**Conversion = {num(eco.base_conversion)} + the conversion of built capabilities + "
            "company powers + the data bonus**. When you sell, **demand = traffic spent × "
            "conversion × the action's multiplier × event multipliers**. Better payment, delivery, "
            f"after-sales and supply turn the same traffic into more orders. {self.cite(['F37'])}"), "")
        self.heading(3, "市场与GMV", "The market and GMV")
        m1 = s.market
        mN = self.money(s.market * (1 + s.market_growth) ** (s.rounds - 1), 0)
        self.add(self.T(
            f"每季度的消费额是有限的：第1个季度为 **{self.money(m1)}**，每季度增长 "
            f"{pct(s.market_growth)}（第{s.rounds}个季度约 {mN}），购物节等事件会放大它。",
            f"Consumer spending each quarter is finite: **{self.money(m1)}** "
            f"in round 1, growing {pct(s.market_growth)} a quarter (about {mN} by round "
            f"{s.rounds}); festivals and other events make it bigger."), "")
        gmv_2020 = self.rules.facts.get("F23")
        if gmv_2020 is not None:
            self.add(self.T(f"作为对照，文章里的数字{self.cite(['F23'])}：{gmv_2020.zh}",
                            f"For scale, the article reports {self.cite(['F23'])}: {gmv_2020.en}"), "")
        self.add(self.T(
            f"季度结算时，各家按需求瓜分市场：**你的GMV = 市场 × 你的需求 ÷（所有公司需求之和 + {num(s.others_weight)}）**。"
            f"{num(s.others_weight)} 代表游戏之外的对手（京东、拼多多等）的吸引力。你的所得有一部分就是别人的所失。",
            f"At settlement companies split the market by demand: **your GMV = market × your "
            f"demand ÷ (all companies' demand + {num(s.others_weight)})**. The "
            f"{num(s.others_weight)} is the pull of everyone outside the game (JD, Pinduoduo, ...). "
            "One company's gain is partly another's loss."), "")
        self.heading(3, "资金", "Capital")
        self.add(self.T(
            f"资金用于建设能力和部分行动{self.cite(['F30'])}。季度结算时你获得：",
            f"Capital pays for capabilities and some actions {self.cite(['F30'])}. At settlement "
            "you get:"), "")
        self.add(self.T(f"- GMV 的 {pct(eco.commerce_take_rate)}（佣金与商家广告）；",
                        f"- {pct(eco.commerce_take_rate)} of your GMV (commission and merchant ads);"))
        self.add(self.T("- 外链佣金（见“外链”）；", "- outside-link fees (see Outside links);"))
        self.add(self.T(
            f"- 没用完的流量每个流量点换 {self.money(eco.idle_traffic_ad_rate)}（普通广告，不伤用户体验）；",
            f"- {self.money(eco.idle_traffic_ad_rate)} for each traffic point left unused "
            "(ordinary ads, no user-experience cost);"))
        self.add(self.T("- 减去面单费（见“电子面单”）。", "- minus e-waybill fees (see E-waybills)."), "")
        ads = self.actions_of("ads")
        if ads:
            self.add(self.T(
                f"需要更多资金时可以“{self.act(ads[0].id)}”：每个流量点换 {self.money(ads[0].capital_per_traffic)}，但伤害用户体验。",
                f"For more capital, \"{self.act(ads[0].id)}\": {self.money(ads[0].capital_per_traffic)} "
                "per traffic point, at a cost to user experience."), "")
        self.heading(3, "用户体验与用户", "User experience and users")
        self.add(self.T(
            f"用户体验在 0 到 {num(eco.ux_max)} 之间。在内容App里卖货和投广告会降低它：主播带货加平台广告的“双重植入”"
            f"{self.cite(['F31'])}，直播间的各种手法更甚{self.cite(['F33'])}。"
            "卖货的损失 = 行动的用户体验花费 × 仍在内容App里的交易比例 ×（1 − 能力减免）× 公司系数 × 事件倍数。"
            "搬进独立App的交易不再伤害用户体验"
            f"{self.cite(['F32'])}。广告的损失不因App而减少。",
            f"User experience runs from 0 to {num(eco.ux_max)}. Selling and ads in the content app "
            f"lower it: a host's pitch plus platform ads is a double insertion {self.cite(['F31'])}, "
            f"and live-room tactics are worse {self.cite(['F33'])}. A sale's loss = the action's "
            "user-experience cost × the share of commerce still in the content app × (1 − relief "
            "from capabilities) × company multiplier × event multipliers. Commerce moved to a "
            f"standalone app no longer costs it {self.cite(['F32'])}. The app does not reduce the "
            "cost of ads."), "")
        drop = eco.ux_sensitivity * 20 / 100
        self.add(self.T(
            f"季度结算时：**用户数 ×（1 + 公司增长率 + {num(eco.ux_sensitivity)} ×（用户体验 − {num(eco.ux_neutral)}）÷ 100）**。"
            f"用户体验高于 {num(eco.ux_neutral)} 时用户增长，低于它时流失：例如用户体验 {num(eco.ux_neutral - 20)} "
            f"会让增长率少 {num(drop * 100)} 个百分点。但用户体验再好，增长率每季度最多只多 "
            f"{num(eco.ux_growth_cap * 100)} 个百分点（口碑有上限）。用户数在 {self.users(eco.min_users)} 到 "
            f"{self.users(eco.internet_users)} 之间，{self.users(eco.internet_users)}即全国网民数"
            f"{self.cite(['F21'])}。然后用户体验回升 {num(eco.ux_recovery)}（最高 {num(eco.ux_max)}）。",
            f"At settlement: **users × (1 + company growth + {num(eco.ux_sensitivity)} × "
            f"(user experience − {num(eco.ux_neutral)}) ÷ 100)**. Above {num(eco.ux_neutral)} "
            f"users grow, below it they leave: user experience {num(eco.ux_neutral - 20)} takes "
            f"{num(drop * 100)} percentage points off the growth rate. However good it is, it adds "
            f"at most {num(eco.ux_growth_cap * 100)} percentage points a quarter (word of mouth "
            f"has a ceiling). Users stay between {num(eco.min_users)} and "
            f"{num(eco.internet_users)} {units_users}, all of China's internet users "
            f"{self.cite(['F21'])}. "
            f"Then user experience recovers {num(eco.ux_recovery)} (up to {num(eco.ux_max)})."), "")
        in_app = [a for a in self.actions_of("commerce") if a.ux_in_app > 0]
        if in_app:
            self.add(self.T(
                "例外：" + "、".join(f"“{self.act(a.id)}”在独立App里也要付 {pct(a.ux_in_app)} 的用户体验花费"
                                   for a in in_app) + f"——直播间的手法在购物App里一样伤用户{self.cite(['F33'])}。",
                "The exception: " + "; ".join(f"\"{self.act(a.id)}\" still costs {pct(a.ux_in_app)} of its "
                                              "user-experience cost inside a standalone app" for a in in_app)
                + f": live-room tactics wear on users in a shopping app too {self.cite(['F33'])}."), "")
        floor = self.scen.shelf_ux_floor
        if floor < 1.0:
            self.add(self.T(
                f"自己来App购物的用户（货架需求）也看用户体验：货架需求 ×（{num(floor)} + {num(1 - floor)} × 用户体验 ÷ 100），"
                f"用户体验为 0 时只剩 {pct(floor)}{self.cite(['F31', 'F33'])}。",
                f"Shoppers who come to an app by themselves (shelf demand) follow its user experience "
                f"too: shelf demand × ({num(floor)} + {num(1 - floor)} × user experience ÷ 100), "
                f"{pct(floor)} of it at user experience 0 {self.cite(['F31', 'F33'])}."), "")
        self.add(self.T(
            "所以：今天伤了用户体验，下个季度用户就少了，流量也少了。",
            "So: user experience you spend today means fewer users, and less traffic, next "
            "quarter."), "")
        self.heading(3, "买家数据", "Buyer data")
        dc = self.cap(eco.data_capability) if eco.data_capability else self.T("（无）", "(none)")
        self.add(self.T(
            f"每 {self.money(1)} GMV 产生 {num(eco.data_per_gmv)} 数据{self.cite(['F35'])}。建成“{dc}”后，"
            f"**数据加成 = {num(eco.data_conversion_max)} × 数据 ÷（数据 + {num(eco.data_half)}）**，"
            f"加到转化率上（越多越慢，最多 {num(eco.data_conversion_max)}）。建成前积累的数据也算。",
            f"Each {self.money(1)} of GMV yields {num(eco.data_per_gmv)} data {self.cite(['F35'])}. With \"{dc}\" "
            f"built, **data bonus = {num(eco.data_conversion_max)} × data ÷ (data + "
            f"{num(eco.data_half)})** is added to conversion (with diminishing returns, at most "
            f"{num(eco.data_conversion_max)}). Data collected before it was built counts too."), "")

    def interaction(self) -> None:
        eco, s = self.eco, self.scen
        self.heading(2, "公司之间", "Between the companies")
        ban = self.actions_of("ban_links")
        if s.outside_links:
            self.heading(3, "外链", "Outside links")
            for lk in s.outside_links:
                self.add(self.T(
                    f"- {self.co(lk.host)}的直播间挂着{self.co(lk.partner)}的商品链接：{self.co(lk.host)}卖货花掉的流量中，"
                    f"{pct(lk.share)}（乘以仍在内容App里的比例）按{self.co(lk.partner)}的转化率变成{self.co(lk.partner)}的需求；"
                    f"{self.co(lk.host)}从这部分GMV中抽取 {pct(lk.fee_rate)} 佣金。{self.cite(['F03', 'F34'])}",
                    f"- {self.co(lk.host)}'s live rooms carry {self.co(lk.partner)} links: of the "
                    f"traffic {self.co(lk.host)} spends on selling, {pct(lk.share)} (times the share "
                    f"still in the content app) becomes {self.co(lk.partner)}'s demand, at "
                    f"{self.co(lk.partner)}'s conversion; {self.co(lk.host)} earns {pct(lk.fee_rate)} "
                    f"of that GMV in fees. {self.cite(['F03', 'F34'])}"))
            self.add("")
            if ban:
                a = ban[0]
                req = self.join(self.cap(c) for c in a.requires)
                self.add(self.T(
                    f"“{self.act(a.id)}”（需要{req}）永久切断这些链接：买家留在自己店里，佣金没了，伙伴变成对手。",
                    f"\"{self.act(a.id)}\" (needs {req}) cuts them for good: buyers stay in your "
                    "own shops, the fees stop, and a partner becomes a rival."), "")
            elif self.rules.has_action("ban_links") or any(a.kind == "ban_links" for a in self.rules.actions):
                self.add(self.T("本剧本不能关闭外链。", "This scenario does not allow banning the links."), "")
        if eco.waybill_capability:
            self.heading(3, "电子面单", "E-waybills")
            wc = self.cap(eco.waybill_capability)
            prov = self.co(s.waybill_provider) if s.waybill_provider else None
            if prov:
                self.add(self.T(
                    f"没有“{wc}”的公司用{prov}的电子面单：每季度向{prov}支付 GMV 的 {pct(eco.waybill_fee_rate)}，"
                    f"并把 {pct(eco.waybill_data_share)} 的买家数据交给{prov}。{self.cite(['F07', 'F35'])}",
                    f"A company without \"{wc}\" prints {prov}'s waybills: each quarter it pays "
                    f"{prov} {pct(eco.waybill_fee_rate)} of its GMV and hands {prov} "
                    f"{pct(eco.waybill_data_share)} of its buyer data. {self.cite(['F07', 'F35'])}"), "")
            else:
                self.add(self.T(
                    f"没有“{wc}”的公司会失去 {pct(eco.waybill_data_share)} 的买家数据。{self.cite(['F07', 'F35'])}",
                    f"A company without \"{wc}\" loses {pct(eco.waybill_data_share)} of its buyer "
                    f"data. {self.cite(['F07', 'F35'])}"), "")
            locked = {c: caps for c, caps in s.locked_capabilities.items() if caps}
            for c, caps in locked.items():
                self.add(self.T(
                    f"本剧本中{self.co(c)}不能建设：{self.join(self.cap(x) for x in sorted(caps))}。",
                    f"In this scenario {self.co(c)} cannot build: "
                    f"{self.join(self.cap(x) for x in sorted(caps))}."), "")
        poach = self.actions_of("poach")
        if poach:
            a = poach[0]
            sc = self.pil(eco.talent_pillar)
            self.heading(3, "人才", "Talent")
            self.add(self.T(
                f"“{self.act(a.id)}”花 {self.money(a.capital)}：你得到 1 点人才（最多 {eco.max_talent} 点），"
                f"下一次建设{sc}能力时多推进 {eco.talent_progress} 步（用掉 1 点人才）；对手正在建的、进度最高的{sc}能力倒退一步。"
                f"对手必须已有{sc}团队（建成或在建）。{self.cite(['F06'])}",
                f"\"{self.act(a.id)}\" costs {self.money(a.capital)}: you gain 1 talent (at most "
                f"{eco.max_talent}); your next {sc} build step advances {self.steps(eco.talent_progress)} "
                f"more and uses it up. The rival's most advanced unfinished {sc} capability "
                f"slips back a step. The rival must have a {sc} team (built or in progress). "
                f"{self.cite(['F06'])}"), "")

    def power_effects(self, pid: str) -> str:
        p = self.rules.powers[pid]
        out = []
        if p.traffic_mult != 1:
            out.append(self.T(f"流量 ×{num(p.traffic_mult)}", f"traffic ×{num(p.traffic_mult)}"))
        if p.ad_mult != 1:
            out.append(self.T(f"广告收入 ×{num(p.ad_mult)}", f"ad income ×{num(p.ad_mult)}"))
        if p.ux_cost_mult != 1:
            out.append(self.T(f"用户体验损失 ×{num(p.ux_cost_mult)}",
                              f"user-experience costs ×{num(p.ux_cost_mult)}"))
        if p.user_loss_mult != 1:
            out.append(self.T(f"用户体验差时的用户流失 ×{num(p.user_loss_mult)}",
                              f"users lost to low user experience ×{num(p.user_loss_mult)}"))
        if p.conversion:
            out.append(self.T(f"转化率 +{num(p.conversion)}", f"conversion +{num(p.conversion)}"))
        for aid, m in p.action_demand_mult.items():
            out.append(self.T(f"“{self.act(aid)}”需求 ×{num(m)}", f"{self.act(aid)} demand ×{num(m)}"))
        for aid, m in p.action_cost_mult.items():
            out.append(self.T(f"“{self.act(aid)}”花费 ×{num(m)}", f"{self.act(aid)} costs ×{num(m)}"))
        for cid, x in p.capability_conversion.items():
            out.append(self.T(f"{self.cap(cid)}转化率再 +{num(x)}", f"{self.cap(cid)} conversion +{num(x)} more"))
        return self.T("；", "; ").join(out)

    def companies(self) -> None:
        s, rules = self.scen, self.rules
        self.heading(2, "公司", "The companies")
        self.add(self.T(
            f"三家公司各有长短{self.cite(['F36', 'F38', 'F10'])}：同样的开局不适合每一家。",
            f"Each company has its own strengths {self.cite(['F36', 'F38', 'F10'])}: the same "
            "opening does not suit all of them."), "")
        rows = []
        for cid in s.companies:
            sp = self.specs[cid]
            rows.append([f"**{self.co(cid)}**", sp.app.get(self.lang), self.users(sp.users),
                         num(self.start_traffic(cid), 1), self.money(sp.capital), num(sp.ux),
                         pct(sp.growth), num(self.start_conversion(cid)),
                         self.T(f"已上线，{pct(sp.app_share)} 交易在App内",
                                f"live, {pct(sp.app_share)} of commerce in it")
                         if sp.app_launched else self.T("未上线", "none")])
        self.add(*table([self.T("公司", "Company"), "App", self.T("用户", "Users"),
                         self.T("每季度流量", "Traffic a round"), self.T("资金", "Capital"),
                         self.T("用户体验", "User exp."), self.T("每季度增长", "Growth a quarter"),
                         self.T("转化率", "Conversion"), self.T("独立App", "Standalone app")], rows))
        if s.waybill_provider:
            self.add(self.T(f"面单提供方：{self.co(s.waybill_provider)}。",
                            f"E-waybill provider: {self.co(s.waybill_provider)}."), "")
        for cid in s.companies:
            sp = self.specs[cid]
            self.add(f"### {self.co(cid)}（{sp.app.zh}）" if self.lang == "zh"
                     else f"### {self.co(cid)} ({sp.app.en})", "")
            self.add(sp.text.get(self.lang) + self.sp + self.cite(sp.source), "")
            self.add(self.T("- 开局已建成：", "- Built at the start: ")
                     + (self.join(self.cap(c) for c in sp.built) or "—"))
            if sp.cost_mult:
                mults = []
                for k, m in sp.cost_mult.items():
                    what = self.pil(k) if k in rules.pillars else self.cap(k)
                    mults.append(f"{what} ×{num(m)}")
                self.add(self.T("- 建设费用系数：", "- Build cost multipliers: ") + self.join(mults))
            self.add(self.T(f"- 流量系数 {num(sp.traffic_factor)}", f"- Traffic factor {num(sp.traffic_factor)}"))
            for pid in sp.powers:
                p = rules.powers[pid]
                eff = self.power_effects(pid)
                self.add(self.T(f"- 特长 **{p.name.zh}**：{p.text.zh}", f"- Power **{p.name.en}**: {p.text.en}")
                         + (self.T(f"（{eff}）", f" ({eff})") if eff else "") + self.sp + self.cite(p.source))
            self.add("")

    def effect_text(self, e: Effect, rounds: int) -> str:
        who = e.who
        w: str | None
        if who == "all":
            w = self.T("所有公司", "everyone")
        elif who == "leader":
            w = self.T("领先者（按剧本的胜负标准：累计GMV或目标分；还没有时无人）",
                       "the leader by the scenario's score (total GMV or goal points; nobody before any)")
        elif who == "laggard":
            w = self.T("累计GMV最少者", "the company with the least total GMV")
        elif who == "random":
            w = self.T("随机抽中的一家公司（日志写明是哪家）", "one company drawn at random (the log names it)")
        elif who.startswith("has:"):
            w = self.T(f"已建成{self.cap(who[4:])}的公司", f"companies with {self.cap(who[4:])}")
        elif who.startswith("lacks:"):
            w = self.T(f"没有{self.cap(who[6:])}的公司", f"companies without {self.cap(who[6:])}")
        else:
            w = self.co(who)
        act = self.act(e.action) if e.action else None
        t = e.type
        if t == "market":
            what = self.T(f"市场消费额 ×{num(e.mult)}", f"consumer spending ×{num(e.mult)}")
            w = None
        elif t == "traffic":
            what = self.T(f"流量 ×{num(e.mult)}", f"traffic ×{num(e.mult)}")
        elif t == "demand":
            what = (self.T(f"“{act}”需求 ×{num(e.mult)}", f"{act} demand ×{num(e.mult)}") if act
                    else self.T(f"卖货需求 ×{num(e.mult)}", f"demand from selling ×{num(e.mult)}"))
        elif t == "ux_cost":
            what = (self.T(f"“{act}”的用户体验损失 ×{num(e.mult)}",
                           f"{act} user-experience cost ×{num(e.mult)}") if act
                    else self.T(f"用户体验损失 ×{num(e.mult)}", f"user-experience costs ×{num(e.mult)}"))
        elif t == "ux":
            what = self.T(f"用户体验 {signed(e.delta)}", f"user experience {signed(e.delta)}")
        elif t == "capital":
            what = self.T(f"资金 {self.signed_money(e.delta)}", f"capital {self.signed_money(e.delta)}")
        elif t == "users":
            what = self.T(f"用户 ×{num(e.mult)}", f"users ×{num(e.mult)}")
        elif t == "progress":
            assert e.capability is not None   # the loader requires it for "progress"
            what = self.T(f"{self.cap(e.capability)}进度 {signed(e.delta)} 步（须可建设）",
                          f"{self.cap(e.capability)} {signed(e.delta)} build "
                          + ("step" if abs(e.delta) == 1 else "steps") + " (if available)")
        else:
            what = t
        if t in ("market", "traffic", "demand", "ux_cost"):
            dur = self.T(f"，持续{rounds}个季度", f", for {rounds} quarters") if rounds > 1 else \
                self.T("，本季度", ", this quarter")
        else:
            dur = ""
        if w is None:
            return what + dur
        return self.T(f"{w}：{what}{dur}", f"{w}: {what}{dur}")

    def event_effects(self, eid: str) -> str:
        ev = self.rules.events[eid]
        return self.T("；", "; ").join(self.effect_text(e, ev.rounds) for e in ev.effects)

    def events(self) -> None:
        s, rules = self.scen, self.rules
        self.heading(2, "事件", "Events")
        self.add(self.T(
            "事件在每个季度开始时发生：先是剧本排定的，然后按概率从牌堆抽一张。持续性效果（市场、流量、需求、用户体验损失）"
            "在标明的季度数内有效；其余效果立即生效。",
            "Events happen at the start of a round: first the scheduled ones, then maybe a card "
            "from the deck. Lasting effects (market, traffic, demand, user-experience cost) last "
            "the stated number of quarters; the others happen at once."), "")
        self.heading(3, "排定的事件", "Scheduled events")
        rows = []
        for rnd, ids in s.scheduled.items():
            for eid in ids:
                ev = rules.events[eid]
                rows.append([str(rnd), self.quarter(rnd), f"**{self.name('event', eid)}**",
                             self.event_effects(eid), ev.text.get(self.lang), self.tags(ev.source) or "—"])
                self.cite(ev.source)
        if rows:
            self.add(*table([self.T("季度序号", "Round"), self.T("季度", "Quarter"), self.T("事件", "Event"),
                             self.T("效果", "Effect"), self.T("说明", "About"), self.T("事实", "Facts")], rows))
        else:
            self.add(self.T("本剧本没有排定的事件。", "This scenario has no scheduled events."), "")
        self.heading(3, "事件牌堆", "The event deck")
        if s.deck and s.deck_draw_chance > 0:
            total = sum(w for _, w in s.deck)
            self.add(self.T(
                f"每个季度有 {pct(s.deck_draw_chance)} 的机会抽一张牌；抽中哪张按权重决定。最后一列是每个季度发生的概率。",
                f"Each round there is a {pct(s.deck_draw_chance)} chance to draw one card; which "
                "card is decided by weight. The last column is the chance per round."), "")
            rows = []
            for eid, w in s.deck:
                ev = rules.events[eid]
                rows.append([f"**{self.name('event', eid)}**", self.event_effects(eid),
                             ev.text.get(self.lang), self.tags(ev.source) or "—", num(w),
                             f"{s.deck_draw_chance * w / total * 100:.1f}%"])
                self.cite(ev.source)
            self.add(*table([self.T("事件", "Event"), self.T("效果", "Effect"), self.T("说明", "About"),
                             self.T("事实", "Facts"), self.T("权重", "Weight"),
                             self.T("每季度概率", "Chance a round")], rows))
        else:
            self.add(self.T("本剧本不抽事件牌。", "This scenario draws no event cards."), "")
        used = {e for ids in s.scheduled.values() for e in ids} | {e for e, _ in s.deck}
        other = [e for e in rules.events if e not in used]
        if other:
            self.add(self.T("其他事件（本剧本不会发生，主持人可以手动加入）：",
                            "Other events (not in this scenario; a facilitator may add them):"), "")
            rows = []
            for eid in other:
                ev = rules.events[eid]
                rows.append([f"**{self.name('event', eid)}**", self.event_effects(eid),
                             ev.text.get(self.lang), self.tags(ev.source) or "—"])
                self.cite(ev.source)
            self.add(*table([self.T("事件", "Event"), self.T("效果", "Effect"), self.T("说明", "About"),
                             self.T("事实", "Facts")], rows))

    def scenarios(self) -> None:
        rules, base = self.rules, self.scen
        others = sorted((x for x in rules.scenarios.values() if x.id != base.id), key=lambda x: x.order)
        if not others:
            return
        self.heading(2, "假如：其他剧本", "What-if scenarios")
        self.add(self.T("用于课堂讨论的反事实剧本。与本剧本的不同之处：",
                        "Counterfactuals for class discussion, and how each differs from this one:"), "")
        for x in others:
            self.add(f"- **{x.name.get(self.lang)}**（`{x.id}`）：" if self.lang == "zh"
                     else f"- **{x.name.get(self.lang)}** (`{x.id}`): ")
            self.lines[-1] += x.text.get(self.lang) + self.sp + self.cite(x.source)
            diffs = []
            for a in sorted(x.disabled_actions - base.disabled_actions):
                diffs.append(self.T(f"不能“{self.act(a)}”", f"no \"{self.act(a)}\""))
            for c, caps in x.locked_capabilities.items():
                extra = caps - base.locked_capabilities.get(c, frozenset())
                if extra:
                    diffs.append(self.T(f"{self.co(c)}不能建{self.join(self.cap(k) for k in sorted(extra))}",
                                        f"{self.co(c)} cannot build {self.join(self.cap(k) for k in sorted(extra))}"))
            for c in x.companies:
                xs, bs = x.company_specs.get(c), base.company_specs.get(c)
                if xs is None or bs is None:
                    continue
                new = [k for k in xs.built if k not in bs.built]
                if new:
                    diffs.append(self.T(f"{self.co(c)}开局已有{self.join(self.cap(k) for k in new)}",
                                        f"{self.co(c)} starts with {self.join(self.cap(k) for k in new)}"))
                if xs.users != bs.users:
                    diffs.append(self.T(f"{self.co(c)}用户 {self.users(xs.users)}", f"{self.co(c)} users {self.users(xs.users)}"))
                if xs.capital != bs.capital:
                    diffs.append(self.T(f"{self.co(c)}资金 {self.money(xs.capital)}", f"{self.co(c)} capital {self.money(xs.capital)}"))
            sx = {e for ids in x.scheduled.values() for e in ids}
            sb = {e for ids in base.scheduled.values() for e in ids}
            for e in sorted(sb - sx):
                diffs.append(self.T(f"没有“{self.name('event', e)}”", f"no \"{self.name('event', e)}\""))
            for e in sorted(sx - sb):
                diffs.append(self.T(f"加入“{self.name('event', e)}”", f"adds \"{self.name('event', e)}\""))
            if x.target_quarter_gmv != base.target_quarter_gmv and x.target_quarter_gmv:
                diffs.append(self.T(f"目标 {self.money(x.target_quarter_gmv)}",
                                    f"target {self.money(x.target_quarter_gmv)}"))
            if x.rounds != base.rounds:
                diffs.append(self.T(f"{x.rounds}个季度", f"{x.rounds} rounds"))
            if x.victory_points and not base.victory_points:
                goals = self.T("、", ", ").join(
                    f"{self.co(c)} {self.money(x.company_specs[c].goal_gmv)}" for c in x.companies)
                diffs.append(self.T(
                    f"按各自目标得分：每个季度的GMV除以本公司的目标线（{goals}）得分，每个季度最多"
                    f"{x.quarter_points_cap:g}分；在游戏中建成闭环 +{x.loop_points:g} 分、上线独立App "
                    f"+{x.app_points:g} 分；最后一个季度结束时得分最高者获胜",
                    f"won on goal points: each quarter a company scores its GMV over its own goal "
                    f"line ({goals}), at most {x.quarter_points_cap:g} a quarter; +{x.loop_points:g} "
                    f"for a loop closed and +{x.app_points:g} for an app launched during the game; "
                    f"the most points after the last quarter wins"))
                if x.regulator_event:
                    diffs.append(self.T(
                        f"得分领先 {x.regulator_lead:g} 分以上的公司会遇到“{self.name('event', x.regulator_event)}”",
                        f"a company {x.regulator_lead:g} points ahead meets "
                        f"\"{self.name('event', x.regulator_event)}\""))
            if x.merchant_floor < 1.0 and base.merchant_floor >= 1.0:
                diffs.append(self.T(
                    f"商家跟着卖货走：有卖货的季度商家 +{x.merchant_gain:g}，没有则 −{x.merchant_decay:g}",
                    f"merchants follow the selling: +{x.merchant_gain:g} in a quarter with sales, "
                    f"−{x.merchant_decay:g} without"))
            if x.shelf_ux_floor < 1.0 and base.shelf_ux_floor >= 1.0:
                diffs.append(self.T(
                    f"自己来App购物的用户看体验：用户体验为 0 时只剩 {pct(x.shelf_ux_floor)}，其余按体验比例",
                    f"shoppers who come to an app by themselves follow its user experience: "
                    f"{pct(x.shelf_ux_floor)} of them stay at experience 0, the rest in proportion"))
            if diffs:
                self.lines[-1] += self.T("（", " (") + self.T("；", "; ").join(diffs) + self.T("）", ")")
        self.add("")
        self.add(self.T("在游戏设置中选择剧本；无界面模拟用 `python main.py simulate --scenario <id>`（括号里是 id）。",
                        "Pick a scenario in the game's setup; headless, use "
                        "`python main.py simulate --scenario <id>` (the id is in brackets)."), "")

    def glossary(self) -> None:
        self.heading(2, "事实索引", "The facts cited")
        self.add(self.T("括号里的标签指向文章中的事实：", "Tags in brackets point to facts from the article:"), "")
        for tag in sorted(self.cited):
            fact = self.rules.facts.get(tag)
            if fact is not None:
                self.add(f"- **{tag}** {fact.get(self.lang)}")
        self.add("")


def render_rulebook(rules: Rules, scenario_id: str = "default") -> str:
    """The rulebook as Markdown: a Chinese part, then an English part, numbers from ``rules``."""
    scen = rules.scenario(scenario_id)
    zh = _Book(rules, scen, "zh").render()
    en = _Book(rules, scen, "en").render()
    note = ("<!-- Generated from the rules data by `python -m game.docs.rulebook`. "
            "Do not edit by hand: change rules/ and regenerate. -->")
    nav = "[中文](#中文) · [English](#english)"
    return "\n".join([note, "", nav, "", "<a id=\"中文\"></a>", "", zh.rstrip(), "", "---", "",
                      "<a id=\"english\"></a>", "", en.rstrip(), ""])


def main(argv: list[str] | None = None) -> int:
    from game.engine import RulesError, load_rules

    ap = argparse.ArgumentParser(prog="python -m game.docs.rulebook",
                                 description="Write the rulebook (docs/rules.md) from the rules data.")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the file differs from what the rules generate")
    ap.add_argument("--rules", default=str(DEFAULT_RULES), help="rules folder (default: rules/)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output file (default: docs/rules.md)")
    ap.add_argument("--scenario", default="default", help="scenario id (default: default)")
    args = ap.parse_args(argv)
    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = render_rulebook(rules, args.scenario)
    out = Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current != text:
            print(f"{args.out if out != DEFAULT_OUT else 'docs/rules.md'} is out of date: run {REGENERATE}")
            return 1
        print(f"{out} is up to date.")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
