"""Shared test setup. The kit's fixtures (rules, game, new_state) come from game.testing."""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

# Qt runs offscreen in tests, also when the variable is set but empty (no display here).
if not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

pytest_plugins = ["game.testing"]


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tool():
    """A loader of the scripts in tools/ (not a package) as modules: ``tool("bundle")``."""
    loaded = {}

    def load(name: str):
        if name not in loaded:
            spec = importlib.util.spec_from_file_location(f"{name}_tool", ROOT / "tools" / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module      # dataclasses look their module up while defined
            spec.loader.exec_module(module)
            loaded[name] = module
        return loaded[name]

    yield load
    for name in loaded:
        sys.modules.pop(f"{name}_tool", None)
