"""Closed Loop (闭环). ``python main.py`` opens the game; ``python main.py --help`` lists commands.

Installed (``pip install .``, pipx, the wheel), the same is the ``closed-loop`` command or
``python -m game``.
"""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python main.py"))
