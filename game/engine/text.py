"""Engine text in words: reasons and log entries, in Chinese or English, from rules/texts.toml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .reasons import Money, Reason, Ref

if TYPE_CHECKING:
    from .rules import Rules
    from .state import LogEntry


# The texts the engine needs from rules/texts.toml; the loader reports any that are missing.
REASON_CODES = (
    "already_built", "app_already_launched", "app_not_launched", "app_share_full",
    "disabled_by_scenario", "game_over", "invalid_target", "locked_by_scenario",
    "missing_any_prerequisite", "missing_prerequisites", "needs_target", "no_actions_left",
    "no_outside_links", "not_enough_capital", "not_enough_traffic", "nothing_to_poach",
    "per_round_limit", "requires_capability", "requires_loop", "talent_full", "unknown_action",
    "unknown_capability",
)
LOG_KEYS = (
    "ads", "ban_links", "build_step", "built", "buy_traffic", "commerce", "commerce_in_app", "end_turn", "event",
    "income", "launch_app", "link_fees", "loop_closed", "migrate", "poach", "poach_retention", "poach_setback",
    "quarter_result", "round_start", "ux_users", "waybill_fees", "winner_score", "winner_target",
)


def format_money(rules: "Rules", value: float, lang: str, unit: bool = True) -> str:
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


def _value(rules: "Rules", value: Any, lang: str) -> str:
    if isinstance(value, Money):
        return format_money(rules, value, lang)
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


def render(rules: "Rules", template_table, key: str, params: dict, lang: str) -> str:
    text = template_table.get(key)
    values = {k: _value(rules, v, lang) for k, v in params.items()}
    if text is None:
        return f"{key} {values}" if values else key
    try:
        return text.get(lang).format(**values)
    except (KeyError, IndexError, ValueError):
        return f"{text.get(lang)} {values}"


def render_reason(rules: "Rules", reason: Reason, lang: str = "en") -> str:
    """Why an action is not allowed, in words."""
    return render(rules, rules.reasons, reason.code, reason.params, lang)


def render_log(rules: "Rules", entry: "LogEntry", lang: str = "en") -> str:
    """One game-log line in words; ``{company}`` is the entry's company."""
    params = dict(entry.params)
    if entry.company is not None:
        params.setdefault("company", Ref("company", entry.company))
    return render(rules, rules.log_texts, entry.key, params, lang)
