"""Documents generated from the rules data (the rulebook), so they never drift from the game.

>>> from game.docs import render_rulebook  # doctest: +SKIP
"""

__all__ = ["render_rulebook"]


def __getattr__(name: str):
    # Imported lazily so ``python -m game.docs.rulebook`` runs without a double-import warning.
    if name == "render_rulebook":
        from .rulebook import render_rulebook

        return render_rulebook
    raise AttributeError(name)
