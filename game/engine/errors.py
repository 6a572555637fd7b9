"""Typed errors of the engine. Each message says what was wrong, where, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .actions import Action
    from .reasons import Reason


@dataclass(frozen=True)
class Problem:
    """One problem found in a rules folder: the file, the key inside it and the reason."""

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class ClosedLoopError(Exception):
    """Base class of every error the game raises on purpose."""


class RulesError(ClosedLoopError):
    """A rules folder failed validation; ``problems`` lists every problem found at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the rules:\n{lines}")

    def __reduce__(self) -> tuple[type[RulesError], tuple[list[Problem]]]:
        # Rebuilt from its problems, not its message, when it crosses a process boundary (a
        # worker of `simulate --jobs`, a Dask worker): the default would pass the message as
        # the problem list.
        return type(self), (self.problems,)


class IllegalActionError(ClosedLoopError):
    """An action that breaks a rule. ``reason.code`` names the rule; the state is unchanged."""

    def __init__(self, action: Action | str, company: str, reason: Reason, message: str):
        self.action = action
        self.company = company
        self.reason = reason
        self.detail = message
        super().__init__(f"illegal action '{action}' for {company}: {message} (rule: {reason.code})")

    def __reduce__(self) -> tuple[type[IllegalActionError], tuple[Action | str, str, Reason, str]]:
        return type(self), (self.action, self.company, self.reason, self.detail)


class SaveError(ClosedLoopError):
    """A save file that cannot be loaded: unreadable, malformed, tampered or from other rules."""
