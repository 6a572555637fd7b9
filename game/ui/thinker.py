"""A computer player's decision off the GUI thread (issue 13).

A search player (easy, normal, hard) weighs its options for up to about 0.3 s a move; on the
GUI thread that froze the window. :class:`Thinker` runs such a decision on a worker thread of
its own :class:`QThreadPool` (one thread: decisions never overlap) and hands the result back on
the GUI thread through its :attr:`Thinker.thought` signal. The window then plays it through the
session as any computer move (``Session.step`` with a :class:`DecidedSeat` in the seat for that
one call), so the hooks, the log and the autosave see nothing different.

What keeps it safe and deterministic:

- The worker decides on ``state.clone()``, made on the GUI thread before it starts: the game the
  window shows is never read from the worker. A search player's choice depends only on the
  position, its seed and its budget (game/players/search.py), so the clone gets the move the
  real state would: the same as synchronous play.
- Every decision carries a :class:`Ticket`: the thinker's generation (raised by :meth:`cancel`,
  at a new game or when the window closes), the session, the company, the player in the seat
  and a fingerprint of the position. A result is played only while all of them still hold
  (:meth:`Thinker.is_current`): a new game, a seat handed back to a person, a facilitator's
  change of the figures or anything else that moved the game makes the result stale, and a
  stale result is dropped.
- While a decision runs the window asks no other computer player to choose (they wait for the
  worker: :attr:`Thinker.busy`), so no player object and none of the players' shared caches are
  used by two threads at once.

Only players that think for a noticeable time go to the worker (:func:`thinks_off_thread`: the
search players). The rule-of-thumb and random players answer in about a millisecond and keep
playing on the GUI thread, at pace 0 a whole turn per view update as before.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from game.engine import Action, GameState
from game.session import Session


def thinks_off_thread(player: object) -> bool:
    """Whether ``player`` decides on the worker thread: the search players (every level)."""
    if player is None:
        return False
    from game.players.search import SearchPlayer  # loaded with the players, not before

    return isinstance(player, SearchPlayer)


def position_of(state: GameState) -> tuple:
    """What a decision was made on: the actions played, the facilitator's interventions and the
    key figures. Two positions with the same fingerprint get the same move."""
    return (len(state.history), state.history[-1] if state.history else None,
            tuple(state.interventions), state.snapshot())


@dataclass(frozen=True, eq=False)
class Ticket:
    """One decision asked of the worker: for whom, on what, in which generation."""

    generation: int
    session: Session
    company: str
    player: object
    position: tuple


@dataclass(frozen=True, eq=False)
class Thought:
    """A decision made on the worker: the action (or the player's error), its explanation (a
    search player's ``explain_last()``) and how long it took."""

    ticket: Ticket
    action: Action | None
    explanation: Any
    error: BaseException | None
    seconds: float


class DecidedSeat:
    """Sits in a company's seat for one ``Session.step``: returns the decision made on the
    worker (or raises the player's error, which the session reports as any player's failure)
    and explains it as the player would."""

    def __init__(self, player: object, thought: Thought):
        self.player = player
        self.thought = thought
        self.name = getattr(player, "name", type(player).__name__)

    def choose(self, state: GameState) -> Action:
        if self.thought.error is not None:
            raise self.thought.error
        assert self.thought.action is not None
        return self.thought.action

    def explain_last(self) -> Any:
        return self.thought.explanation


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it (a queued connection)."""

    done = Signal(object)


class Thinker(QObject):
    """Runs one computer decision at a time on a worker thread; see the module's docstring.

    :attr:`thought` is emitted on the GUI thread for every decision that ends, current or stale
    (the receiver checks :meth:`is_current`): the end of a stale one is when players waiting for
    the worker may go on.
    """

    thought = Signal(object)     # a Thought

    #: The interpreter's switch interval while a decision runs. The worker is busy in Python,
    #: and every Python callback of the GUI thread (a paint, a slot, a timer) waits up to one
    #: interval for the GIL: at CPython's 5 ms a repaint with a few hundred callbacks froze the
    #: window for seconds. At 0.5 ms the GUI thread gets its turns and the search slows by a
    #: few percent.
    SWITCH_INTERVAL = 0.0005

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName("computerThinker")
        self.pool = QThreadPool(self)
        self.pool.setObjectName("computerThinkerPool")
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(5000)   # the thread ends after 5 s without a decision
        self.generation = 0
        self.ticket: Ticket | None = None  # the decision running, if any
        self._idle = threading.Event()
        self._idle.set()
        self._switch: float | None = None   # the interval to restore once the worker is free
        self._relay = _Relay(self)
        self._relay.done.connect(self._arrived)

    @property
    def busy(self) -> bool:
        """A decision is running on the worker (perhaps a stale one)."""
        return self.ticket is not None

    def think(self, session: Session) -> Ticket:
        """Start the decision of the company to move in ``session`` (a computer's seat) on the
        worker. The caller makes sure the worker is free (:attr:`busy`)."""
        if self.busy:
            raise RuntimeError("the computer is already thinking")
        state = session.state
        company = state.current_company
        player = session.seats[company]
        if player is None:
            raise RuntimeError(f"{company} is played by a person")
        ticket = Ticket(self.generation, session, company, player, position_of(state))
        position = state.clone()       # made here, on the GUI thread: the worker reads only this
        relay = self._relay
        idle = self._idle
        self.ticket = ticket
        idle.clear()
        if self._switch is None:
            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch, self.SWITCH_INTERVAL))

        def decide() -> None:
            started = time.perf_counter()
            action: Action | None = None
            explanation = None
            error: BaseException | None = None
            try:
                action = player.choose(position)
                explain = getattr(player, "explain_last", None)
                explanation = explain() if callable(explain) else None
            except Exception as exc:  # noqa: BLE001 - reported as the player's failure, on the GUI thread
                error = exc
            thought = Thought(ticket, action, explanation, error, time.perf_counter() - started)
            try:
                relay.done.emit(thought)
            except RuntimeError:       # the window is gone: nobody to tell
                pass
            finally:
                idle.set()

        self.pool.start(decide)
        return ticket

    def is_current(self, ticket: Ticket, session: Session | None) -> bool:
        """Whether a decision still answers the game as it is: same generation and session, the
        same player in the same company's seat, the same position, that company to move."""
        if ticket.generation != self.generation or session is None or ticket.session is not session:
            return False
        state = session.state
        if state.is_terminal() or state.current_company != ticket.company:
            return False
        if session.seats.get(ticket.company) is not ticket.player:
            return False
        return position_of(state) == ticket.position

    def cancel(self) -> None:
        """Make every decision asked so far stale (a new game, a closed window)."""
        self.generation += 1

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the worker is free (at most ``timeout_s``); True if it is. The GIL is
        released while waiting, so the worker can finish."""
        free = self._idle.wait(timeout_s)
        if free and self._switch is not None:    # its answer may never be delivered (closing)
            sys.setswitchinterval(self._switch)
            self._switch = None
        return free

    def _arrived(self, thought: Thought) -> None:
        if self.ticket is thought.ticket:
            self.ticket = None
            if self._switch is not None:
                sys.setswitchinterval(self._switch)
                self._switch = None
        self.thought.emit(thought)
