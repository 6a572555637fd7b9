"""Shared test setup. The kit's fixtures (rules, game, new_state) come from game.testing."""

import os

# Qt runs offscreen in tests, also when the variable is set but empty (no display here).
if not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

pytest_plugins = ["game.testing"]
