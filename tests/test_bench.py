"""The bench: our figures and, with a probe, the probe's rate and our ratio to it, in one run."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.sim.bench import load_probe

PROBE = '''
import random
def play(seed, chooser):
    n = 0
    for _ in range(50):
        n += 1
    return n
'''


def test_bench_with_a_probe_prints_both_rates_and_the_ratio(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    out = tmp_path / "engine.json"
    run = subprocess.run([sys.executable, "main.py", "bench", "--seconds", "0.3", "--probe", str(probe),
                          "--json", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    assert json.loads(out.read_text()) == printed
    for key in ("random_actions_per_s", "probe_actions_per_s", "checked_actions_per_s", "rollout_actions_per_s"):
        assert printed[key] > 0, key
    # (the stub probe is far faster than any engine, so the ratios may round to 0.000)
    assert printed["random_play_mode"] == "rollout"
    assert printed["random_actions_per_s"] == printed["rollout_actions_per_s"]
    assert printed["probe_ratio"] == pytest.approx(printed["rollout_actions_per_s"] / printed["probe_actions_per_s"],
                                                   abs=1e-3)
    assert printed["checked_probe_ratio"] == pytest.approx(
        printed["checked_actions_per_s"] / printed["probe_actions_per_s"], abs=1e-3)


def test_bench_without_a_probe_prints_ours_alone(tmp_path):
    out = tmp_path / "engine.json"
    run = subprocess.run([sys.executable, "main.py", "bench", "--seconds", "0.2", "--json", "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    assert "probe_actions_per_s" not in printed and "probe_ratio" not in printed
    assert printed["random_actions_per_s"] > 0


def test_a_missing_or_bad_probe_is_refused_clearly(tmp_path):
    run = subprocess.run([sys.executable, "main.py", "bench", "--probe", str(tmp_path / "nope.py")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "nope.py" in run.stderr and "Traceback" not in run.stderr
    bad = tmp_path / "bad.py"
    bad.write_text("x = 1\n")
    with pytest.raises(ImportError, match="play"):
        load_probe(bad)


def test_the_recorded_figures_are_in_the_repo():
    figures = json.loads(Path("benchmarks/engine.json").read_text())
    assert figures["random_actions_per_s"] > 0 and figures["probe_ratio"] > 0
