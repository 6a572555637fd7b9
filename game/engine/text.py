"""Engine text in words: reasons and log entries, in Chinese or English, from rules/texts.toml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .reasons import Reason, Ref

if TYPE_CHECKING:
    from .rules import Rules
    from .state import LogEntry


def _value(rules: "Rules", value: Any, lang: str) -> str:
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
