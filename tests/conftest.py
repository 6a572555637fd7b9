"""Shared test setup. The kit's fixtures (rules, game, new_state) come from game.testing."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["game.testing"]
