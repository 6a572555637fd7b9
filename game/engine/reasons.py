"""Why an action is not allowed: a rule code plus parameters, rendered in either language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """A broken rule. ``code`` is a key of ``[reasons]`` in rules/texts.toml.

    >>> Reason("not_enough_capital", {"need": 5.0, "have": 2.0}).code
    'not_enough_capital'
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)


class Money(float):
    """An amount in bn yuan; shown in the reader's unit (亿元 in Chinese, bn yuan in English)."""

    __slots__ = ()


class Users(float):
    """A number of users in millions; shown in 亿 or 万 in Chinese, in millions in English."""

    __slots__ = ()


class UsersChange(Users):
    """A change of users in millions, shown with its sign: "+1,530万", "+15 m"."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a named thing, shown by its name in the chosen language.

    ``kind`` is capability, company, event, action, pillar, power or loop_link
    (whose id is ``"source>target"``, two pillar ids).
    """

    kind: str
    id: str
