"""What an action really costs the current company, as the engine charges it
(``GameState.price``), not the rules' list price; and its short text for a button."""

from __future__ import annotations

from game.engine import ActionPrice, format_money

from .i18n import UiTexts
from .style import num

Price = ActionPrice


def action_price(state, spec, company: str | None = None) -> ActionPrice:
    """The price of ``spec`` for ``company`` (default: the company whose turn it is)."""
    if spec.kind in ("build", "end_turn"):
        return ActionPrice()
    return state.price(spec.id, company)


def build_step_cost(state, company: str, cap_index: int) -> float:
    """Capital for one build step of a capability, for this company."""
    return state.profile(company).build_cost[cap_index]


def price_text(rules, ui: UiTexts, price: Price, lang: str) -> str:
    """Short price line for a button: "−14 traffic · UX −1.3" / "−14流量 · 体验−1.3"."""
    parts = []
    if price.traffic:
        parts.append(ui.t("price.traffic", lang, value=num(price.traffic, 0)))
    if price.capital:
        parts.append(ui.t("price.capital", lang, value=format_money(rules, price.capital, lang)))
    if price.ux >= 0.05:
        parts.append(ui.t("price.ux", lang, value=num(price.ux)))
    return " · ".join(parts)
