"""Engine text in words: reasons and log entries, in Chinese or English, from rules/texts.toml."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .reasons import Money, Reason, Ref, Users, UsersChange

if TYPE_CHECKING:
    from .records import LogEntry
    from .rules import Rules, Text


# The texts the engine needs from rules/texts.toml, each with the fields it is given: the
# loader reports a missing text, and a {placeholder} that is not among its fields. Log texts
# also get {company} when the entry belongs to a company (see render_log).
_F = frozenset
REASON_FIELDS: dict[str, frozenset[str]] = {
    "already_built": _F({"capability"}),
    "app_already_launched": _F(),
    "app_not_launched": _F(),
    "app_share_full": _F(),
    "disabled_by_scenario": _F({"action"}),
    "game_over": _F(),
    "invalid_target": _F({"target", "action"}),
    "locked_by_scenario": _F({"capability", "company"}),
    "missing_any_prerequisite": _F({"capability", "missing"}),
    "missing_prerequisites": _F({"capability", "missing"}),
    "needs_target": _F({"action"}),
    "no_actions_left": _F(),
    "no_outside_links": _F({"target"}),
    "not_enough_capital": _F({"need", "have"}),
    "not_enough_traffic": _F({"need", "have"}),
    "nothing_to_poach": _F({"target"}),
    "per_round_limit": _F({"limit"}),
    "requires_capability": _F({"missing"}),
    "requires_loop": _F({"missing"}),
    "talent_full": _F({"limit"}),
    "not_waybill_provider": _F({"action"}),
    "terms_in_force": _F({"action"}),
    "content_full": _F({"limit"}),
    "unknown_action": _F({"action"}),
    "unknown_capability": _F({"target"}),
}
LOG_FIELDS: dict[str, frozenset[str]] = {
    "ads": _F({"company", "capital", "ux"}),
    "ban_links": _F({"company", "target"}),
    "build_step": _F({"company", "cost", "capability", "progress", "work"}),
    "built": _F({"company", "capability"}),
    "buy_traffic": _F({"company", "capital", "traffic"}),
    "commerce": _F({"company", "action", "traffic", "ux"}),
    "commerce_in_app": _F({"company", "action", "traffic"}),
    "end_turn": _F({"company"}),
    "event": _F({"event"}),
    "event_hit": _F({"company", "event"}),     # an event aimed at one company drawn at random
    "income": _F({"company", "traffic"}),
    "launch_app": _F({"company"}),
    "link_fees": _F({"company", "target", "gmv", "fee"}),
    "loop_closed": _F({"company"}),
    "migrate": _F({"company", "share"}),
    "poach": _F({"company", "target"}),
    "poach_retention": _F({"company", "target", "capital"}),
    "poach_setback": _F({"company", "target", "capability"}),
    "quarter_result": _F({"company", "gmv", "income", "users_change"}),
    "round_start": _F({"year", "quarter"}),
    "ux_users": _F({"company", "ux"}),
    "ux_end_points": _F({"company", "ux", "points"}),
    "facilitator_capital": _F({"company", "value", "reason"}),
    "facilitator_users": _F({"company", "value", "reason"}),
    "facilitator_ux": _F({"company", "value", "reason"}),
    "facilitator_traffic": _F({"company", "value", "reason"}),
    "facilitator_merchants": _F({"company", "value", "reason"}),
    "facilitator_event": _F({"event", "reason"}),
    "waybill_fees": _F({"company", "target", "fee"}),
    "waybill_terms": _F({"company", "action"}),
    "content": _F({"company", "share"}),
    "traffic_sold": _F({"company", "target", "capital"}),
    "winner_score": _F({"company", "gmv"}),
    "winner_target": _F({"company", "gmv"}),
    "winner_points": _F({"company", "points"}),
}
REASON_CODES = tuple(REASON_FIELDS)
LOG_KEYS = tuple(LOG_FIELDS)


def format_money(rules: Rules, value: float, lang: str, unit: bool = True) -> str:
    """An amount in bn yuan as a reader sees it: ``30.0`` is "300亿元" or "30.0 bn yuan".

    >>> from game.engine import load_rules
    >>> format_money(load_rules("rules"), 30.0, "zh")
    '300亿元'
    """
    v = value * rules.money_scale.get(lang, 1.0)
    text = f"{v:,.0f}" if abs(v) >= 100 or v == int(v) and lang == "zh" else f"{v:,.1f}"
    if not unit:
        return text
    name = rules.units["money"].get(lang)
    return f"{text}{name}" if lang == "zh" else f"{text} {name}"


def format_users(value: float, lang: str, *, sign: bool = False, unit: bool = True) -> str:
    """A number of users (in millions) as a reader counts it: in Chinese 亿 from 100 million
    up and 万 below, in English millions ("m", left out with ``unit=False``).

    >>> format_users(300.0, "zh"), format_users(528.63, "zh"), format_users(20.0, "zh")
    ('3亿', '5.29亿', '2,000万')
    >>> format_users(15.3, "zh", sign=True), format_users(-2.4, "zh", sign=True)
    ('+1,530万', '−240万')
    >>> format_users(300.0, "en"), format_users(15.3, "en", sign=True), format_users(300.0, "en", unit=False)
    ('300 m', '+15 m', '300')
    """
    v = float(value)
    mark = ("+" if v >= 0 else "−") if sign else ("−" if v < 0 else "")
    v = abs(v)
    if lang == "zh":
        if round(v, 2) >= 100:
            text = f"{v / 100:,.2f}".rstrip("0").rstrip(".") + "亿"
        elif round(v * 100) == 0:
            text = "0"
        else:
            text = f"{round(v * 100):,}万"
        return mark + text
    text = f"{v:,.0f}" if v >= 10 or v == 0 else f"{v:,.1f}"
    return mark + text + (" m" if unit else "")


def _value(rules: Rules, value: Any, lang: str) -> str:
    if isinstance(value, Money):
        return format_money(rules, value, lang)
    if isinstance(value, Users):
        return format_users(value, lang, sign=isinstance(value, UsersChange))
    if isinstance(value, Ref):
        if value.kind == "loop_link":
            a, _, b = value.id.partition(">")
            return f"{rules.name_of('pillar', a, lang)}→{rules.name_of('pillar', b, lang)}"
        try:
            return rules.name_of(value.kind, value.id, lang)
        except KeyError:
            return value.id
    if isinstance(value, (list, tuple)):
        sep = "、" if lang == "zh" else ", "
        return sep.join(_value(rules, v, lang) for v in value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def render(rules: Rules, template_table: Mapping[str, Text], key: str,
           params: Mapping[str, Any], lang: str) -> str:
    text = template_table.get(key)
    values = {k: _value(rules, v, lang) for k, v in params.items()}
    if text is None:
        return f"{key} {values}" if values else key
    try:
        return text.get(lang).format(**values)
    except (KeyError, IndexError, ValueError):
        return f"{text.get(lang)} {values}"


def render_reason(rules: Rules, reason: Reason, lang: str = "en") -> str:
    """Why an action is not allowed, in words."""
    return render(rules, rules.reasons, reason.code, reason.params, lang)


def render_log(rules: Rules, entry: LogEntry, lang: str = "en") -> str:
    """One game-log line in words; ``{company}`` is the entry's company."""
    params = dict(entry.params)
    if entry.company is not None:
        params.setdefault("company", Ref("company", entry.company))
    return render(rules, rules.log_texts, entry.key, params, lang)
