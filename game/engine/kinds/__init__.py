"""The action kinds, one module each; ``KINDS`` maps a kind's name (actions.toml) to its object.

Adding a kind: a module here with a ``KIND`` object (an :class:`ActionKind`), listed below,
and an action of that kind in rules/actions.toml.
"""

from __future__ import annotations

from . import ads, ban_links, build, buy_traffic, commerce, content, end_turn, launch_app, migrate, poach, waybill_terms
from .base import CAPABILITY, COMPANY, NO_TARGET, ActionKind

KINDS: dict[str, ActionKind] = {m.KIND.name: m.KIND for m in (
    build, commerce, ads, buy_traffic, launch_app, migrate, ban_links, poach, waybill_terms, content, end_turn)}

__all__ = ["ActionKind", "CAPABILITY", "COMPANY", "KINDS", "NO_TARGET"]
