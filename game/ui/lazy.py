"""Modules the app's first paint does not need: imported on first use instead of at start.

The engine imports numpy at the top of its modules, for the chance draws of a game; the app's
window and its new-game dialog are drawn before any game exists. :func:`defer` puts a stand-in
module in ``sys.modules``: ``import numpy as np`` then costs nothing, and the first attribute
asked of the stand-in (``np.random``, when a game is dealt) imports numpy and fills the stand-in
with numpy's names. ``game.cli`` imports this module before it imports the engine, which
defers :data:`DEFERRED`. This module must not import Qt or the engine.

(``importlib.util.LazyLoader`` does not do here: on Python 3.11 the ``import`` statement itself
reads the module's ``__spec__``, which loads it.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("numpy",)


class Deferred(types.ModuleType):
    """A module not imported yet: the first name asked of it imports it."""

    def __getattr__(self, name: str):
        # only for names the stand-in does not hold yet (Python looks in its __dict__ first)
        return getattr(load(self), name)


def load(module: types.ModuleType) -> types.ModuleType:
    """The real module behind a :class:`Deferred` stand-in (imported now if need be), or the
    module itself."""
    if not isinstance(module, Deferred):
        return module
    real = module.__dict__.get("_deferred_module")
    if real is None:
        name = module.__name__
        if sys.modules.get(name) is module:
            del sys.modules[name]
        try:
            real = importlib.import_module(name)
        except BaseException:
            sys.modules.setdefault(name, module)
            raise
        module.__dict__.update(real.__dict__)
        module.__dict__["_deferred_module"] = real
    return real


def defer(*names: str) -> list[str]:
    """Make each module of ``names`` (default :data:`DEFERRED`) load on first use; returns the
    ones deferred (a module already imported, or not installed, is left alone)."""
    deferred = []
    for name in names or DEFERRED:
        if name in sys.modules or importlib.util.find_spec(name) is None:
            continue
        sys.modules[name] = Deferred(name)
        deferred.append(name)
    return deferred


defer()
