"""``python -m game``: the same as the ``closed-loop`` command (the app, or a subcommand)."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m game"))
