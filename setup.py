"""Build hook: ship the top-level ``rules/`` and ``assets/`` (and the rulebook) inside the wheel.

The product keeps the game's data at the top of the repository (``rules/``, ``assets/``); an
installed copy finds it inside the package, as ``game/_data/rules`` and ``game/_data/assets``
(``game/paths.py``, through ``importlib.resources``). Everything else is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA = ("rules", "assets")
FILES = ("docs/rules.md",)   # the rulebook Help -> How to play opens
SKIP = {"__pycache__", ".DS_Store"}


class build_py_with_data(build_py):  # noqa: N801 (setuptools' naming)
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return            # an editable install reads the checkout's own folders
        shutil.rmtree(Path(self.build_lib, "game", "_data"), ignore_errors=True)   # no stale files
        for name in DATA:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; the wheel would not run")
            for path in sorted(source.rglob("*")):
                if path.is_file() and not SKIP.intersection(path.parts) and path.suffix != ".pyc":
                    target = Path(self.build_lib, "game", "_data", path.relative_to(HERE))
                    self.mkpath(str(target.parent))
                    self.copy_file(str(path), str(target))
        for name in FILES:
            target = Path(self.build_lib, "game", "_data", name)
            self.mkpath(str(target.parent))
            self.copy_file(str(HERE / name), str(target))


setup(cmdclass={"build_py": build_py_with_data})
