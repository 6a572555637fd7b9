"""Where the game's own folders are, wherever it is started from."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
ASSETS_DIR = ROOT / "assets"
