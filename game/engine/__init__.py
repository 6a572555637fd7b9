"""The rules engine of Closed Loop: pure Python, no Qt, no I/O beyond reading rules.

>>> from game.engine import load_rules, new_game
>>> state = new_game(load_rules("rules"), "default", seed=1)
>>> len(state.legal_actions()) > 3
True
"""

from . import facilitator
from .actions import Action
from .company import CompanyProfile, CompanyState
from .errors import ClosedLoopError, IllegalActionError, Problem, RulesError, SaveError
from .facilitator import Intervention
from .files import FileReadError, read_regular_file
from .game import Chance, Game, new_game, replay
from .graph import CapabilityGraph, LinkStatus, LoopStatus
from .reasons import Money, Reason, Ref, Users, UsersChange
from .records import ActionPrice, LinkSlot, LogEntry, Modifier, RoundRecord
from .rules import Rules, load_rules
from .serialize import dumps, loads
from .state import GameState
from .text import format_money, format_users, render_log, render_reason

__all__ = [
    "Intervention", "facilitator",
    "Action", "ActionPrice", "CapabilityGraph", "Chance", "ClosedLoopError", "CompanyProfile", "CompanyState",
    "FileReadError", "Game", "GameState", "IllegalActionError", "LinkSlot", "LinkStatus", "LogEntry", "LoopStatus",
    "Modifier", "Money", "Problem", "Reason", "Ref", "RoundRecord", "Rules", "RulesError", "SaveError", "Users",
    "UsersChange", "dumps", "format_money", "format_users", "load_rules", "loads", "new_game", "read_regular_file",
    "render_log", "render_reason", "replay",
]
