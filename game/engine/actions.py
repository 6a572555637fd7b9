"""Actions are small immutable values: they log, save, replay and travel to bots and tests as is.

>>> Action("build", "own_payment")
Action('build:own_payment')
>>> Action.parse("ban_links:alibaba").target
'alibaba'
>>> str(Action("end_turn"))
'end_turn'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Action:
    """An action id from rules/actions.toml, plus a target (a capability or a company) if any."""

    id: str
    target: str | None = None

    def __str__(self) -> str:
        return self.id if self.target is None else f"{self.id}:{self.target}"

    def __repr__(self) -> str:
        return f"Action({str(self)!r})"

    @classmethod
    def parse(cls, text: str) -> Action:
        """Read the ``id`` or ``id:target`` form that :meth:`__str__` writes."""
        if not isinstance(text, str) or not text or text.count(":") > 1:
            raise ValueError(f"not an action: {text!r} (expected 'id' or 'id:target')")
        action_id, _, target = text.partition(":")
        if not action_id or (":" in text and not target):
            raise ValueError(f"not an action: {text!r} (expected 'id' or 'id:target')")
        return cls(action_id, target or None)


