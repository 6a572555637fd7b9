"""The rules engine of Closed Loop: pure Python, no Qt, no I/O beyond reading rules.

>>> from game.engine import load_rules, new_game
>>> state = new_game(load_rules("rules"), "default", seed=1)
>>> len(state.legal_actions()) > 3
True
"""

from .actions import Action
from .errors import ClosedLoopError, IllegalActionError, Problem, RulesError, SaveError
from .files import FileReadError, read_regular_file
from .company import CompanyProfile, CompanyState
from .game import Chance, Game, new_game, replay
from .graph import CapabilityGraph, LinkStatus, LoopStatus
from .reasons import Money, Reason, Ref, Users, UsersChange
from .rules import Rules, load_rules
from .serialize import dumps, loads
from .records import ActionPrice, LinkSlot, LogEntry, Modifier, RoundRecord
from .state import GameState
from .text import format_money, format_users, render_log, render_reason

__all__ = [
    "Action", "ActionPrice", "CapabilityGraph", "Chance", "CompanyProfile", "Game", "LinkSlot", "Modifier", "ClosedLoopError", "CompanyState", "FileReadError", "GameState",
    "IllegalActionError", "LinkStatus", "Money", "format_money", "format_users", "LogEntry", "LoopStatus", "Problem", "Reason", "Ref",
    "RoundRecord", "Rules", "RulesError", "SaveError", "Users", "UsersChange", "load_rules", "new_game", "render_log",
    "render_reason", "replay", "dumps", "loads", "read_regular_file",
]
