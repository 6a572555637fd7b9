"""Packaging (issue 12): the sdist and the wheel carry what the game needs, and an installed copy
runs from any folder: ``closed-loop --version``, ``rules check``, ``simulate`` and a screenshot,
with the rules and the Chinese font found inside the package, not in this checkout.

The build (``python -m build``: the sdist, then the wheel from the sdist) takes a few seconds; the
install into a fresh virtual environment takes some ten seconds more with a warm pip cache (the
Qt wheels are large), so that test is also marked ``slow``.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import game
from game import paths
from game.cli import main

ROOT = Path(__file__).resolve().parents[1]
NAME = f"closed_loop-{game.__version__}"
FONTS = ("NotoSansSC-ClosedLoop-Regular.otf", "NotoSansSC-ClosedLoop-Bold.otf", "OFL.txt")


def _repo_files(folder: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(extra)
    return env


# ------------------------------------------------------------------ the command line (fast)


def _cli(*args: str, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=_clean_env(QT_QPA_PLATFORM="offscreen",
                                                          PYTHONPATH=str(ROOT)))


@pytest.mark.parametrize("entry", [["main.py"], ["-m", "game"]])
def test_version_prints_and_exits_0(entry):
    out = _cli(*[str(ROOT / e) if e == "main.py" else e for e in entry], "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"closed-loop {game.__version__}"


@pytest.mark.parametrize("argv, says", [
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--screenshot"], "expected one argument"),
    (["--lang", "fr"], "invalid choice: 'fr'"),
    (["simulat"], "Did you mean 'simulate'?"),
    (["simulate", "--gmaes", "3"], "unrecognized arguments: --gmaes"),
    (["rules", "chek"], "invalid choice: 'chek'"),
])
def test_a_mistyped_option_or_command_is_a_usage_error_not_a_window(argv, says, tmp_path):
    out = _cli("-m", "game", *argv, cwd=tmp_path)     # offscreen: a window would not be seen
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert says in out.stderr
    assert out.stderr.startswith("usage: python -m game")
    assert "Traceback" not in out.stderr


def test_help_names_the_command_it_was_started_as(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"], prog="closed-loop")
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: closed-loop ") and "python main.py" not in text
    assert "developer" in text                 # golden, bench, rulebook, monkey are marked
    out = _cli(str(ROOT / "main.py"), "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: python main.py ")


def test_qt_options_pass_through_and_ours_are_checked():
    from game.ui.app import _split_qt_args

    ours, qt = _split_qt_args(["-platform", "offscreen", "--lang", "en", "-reverse", "s.json"])
    assert ours == ["--lang", "en", "s.json"] and qt == ["-platform", "offscreen", "-reverse"]


def test_a_checkout_reads_its_own_folders():
    assert not (ROOT / "game" / "_data").exists(), "game/_data is made by the wheel build only"
    assert paths.RULES_DIR == ROOT / "rules" and paths.ASSETS_DIR == ROOT / "assets"
    assert paths.CHECKOUT == ROOT


def test_licences_are_there():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "The Closed Loop authors" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (ROOT / "assets/fonts/OFL.txt").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND OFL-1.1"
    assert set(project["license-files"]) == {"LICENSE", "assets/fonts/OFL.txt"}


# ------------------------------------------------------------------ the sdist and the wheel


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """``python -m build``: the sdist, then the wheel built from that sdist (so both are tested)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300, env=_clean_env())
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"sdist": out / f"{NAME}.tar.gz", "wheel": out / f"{NAME}-py3-none-any.whl"}


def test_the_wheel_carries_rules_font_and_licences(dists):
    with zipfile.ZipFile(dists["wheel"]) as whl:
        names = set(whl.namelist())
        for rel in _repo_files("rules") | _repo_files("assets"):
            inside = f"game/_data/{rel}"
            assert inside in names, f"{rel} is not in the wheel"
            assert whl.read(inside) == (ROOT / rel).read_bytes(), f"{rel} differs in the wheel"
        info = f"{NAME}.dist-info"
        assert f"{info}/licenses/LICENSE" in names
        assert f"{info}/licenses/assets/fonts/OFL.txt" in names
        assert "game/__main__.py" in names
        assert whl.read("game/_data/docs/rules.md") == (ROOT / "docs" / "rules.md").read_bytes()   # Help's rulebook
        assert not [n for n in names if n.startswith(("tests/", "rules/", "assets/", "docs/"))]
        meta = email.message_from_bytes(whl.read(f"{info}/METADATA"))
        entry_points = whl.read(f"{info}/entry_points.txt").decode()
    assert meta["Version"] == game.__version__
    assert meta["License-Expression"] == "MIT AND OFL-1.1"
    requires = meta.get_all("Requires-Dist")
    assert any(r.startswith("PySide6-Essentials") for r in requires)
    assert any(r.startswith("PySide6-Addons") for r in requires)
    assert not any(r.split(";")[0].split("<")[0].split(">")[0].strip() == "PySide6" for r in requires)
    assert "closed-loop = game.cli:main" in entry_points
    assert "[gui_scripts]" in entry_points and "closed-loop-gui = game.cli:gui_main" in entry_points


def test_the_sdist_carries_rules_assets_tests_and_licences(dists):
    with tarfile.open(dists["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    wanted = (_repo_files("rules") | _repo_files("assets") | _repo_files("tests")
              | {"README.md", "LICENSE", "main.py", "setup.py", "pyproject.toml"})
    assert "tests/ui/test_board.py" in wanted
    missing = sorted(wanted - names)
    assert not missing, f"not in the sdist: {missing[:10]}"
    assert not [n for n in names if n.startswith("game/_data") or "__pycache__" in n]


@pytest.mark.slow
def test_the_installed_wheel_runs_from_any_folder(dists, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_ = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_ / "python"
    env = _clean_env(QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           str(dists["wheel"])], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    away = tmp_path / "elsewhere"                  # not the checkout: nothing to find by accident
    away.mkdir()

    def run(*args: str, exe: str = "closed-loop") -> subprocess.CompletedProcess:
        return subprocess.run([str(bin_ / exe), *args], capture_output=True, text=True, cwd=away,
                              timeout=300, env=env)

    out = run("--version")
    assert (out.returncode, out.stdout.strip()) == (0, f"closed-loop {game.__version__}"), out.stderr
    assert run("--version", exe="closed-loop-gui").returncode == 0
    out = run("rules", "check")
    assert out.returncode == 0 and "the rules are valid" in out.stdout, out.stderr
    assert str(env_dir) in out.stdout and str(ROOT) not in out.stdout
    out = run("simulate", "--games", "3", "--jobs", "1")
    assert out.returncode == 0 and "3 games of 'default'" in out.stdout, out.stderr
    out = run("simulate", "--games", "1", "--jobs", "1", "--save-dir", str(away / "saves"))
    assert out.returncode == 0, out.stderr
    save = next((away / "saves").glob("*.json"))
    out = run("report", str(save), "-o", str(away / "report.html"), "--csv", str(away / "d.csv"))
    assert out.returncode == 0, out.stderr            # lessons.toml and the font travel in the wheel
    page = (away / "report.html").read_text(encoding="utf-8")
    assert "data:font/otf;base64," in page and "复盘要点" in page
    out = run("--bogus")
    assert out.returncode == 2 and "unrecognized arguments: --bogus" in out.stderr
    out = run("golden")                            # a developer command: says so, exit 2
    assert out.returncode == 2 and "developer command" in out.stderr
    out = run("--screenshot", str(away / "board.png"))
    assert out.returncode == 0, out.stderr
    assert (away / "board.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    where = subprocess.run(
        [str(python), "-c", "import game.paths as p, game.ui.fonts as f; "
                            "print(p.RULES_DIR); print(f.font_path()); print(p.CHECKOUT)"],
        capture_output=True, text=True, cwd=away, env=env, timeout=60)
    rules_dir, font, checkout = where.stdout.split("\n")[:3]
    assert rules_dir.startswith(str(env_dir)) and font.startswith(str(env_dir)), where.stdout
    assert Path(font).is_file() and checkout == "None"
    out = subprocess.run([str(python), "-m", "game", "--version"], capture_output=True, text=True,
                         cwd=away, env=env, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"closed-loop {game.__version__}"
