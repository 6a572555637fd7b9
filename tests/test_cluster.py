"""simulate and tournament on a Dask cluster (issue 13, item 4): a local cluster the test
starts gives results identical to the local run for the same seed."""

from __future__ import annotations

import json

import pytest

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


def test_simulate_on_a_cluster_matches_the_local_run(cluster, capsys):
    from game.cli import main
    args = ["simulate", "--games", "40", "--seed", "5", "--json"]
    assert main([*args, "--jobs", "1"]) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*args, "--cluster", cluster]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote == local and local["games"] == 40


def test_tournament_on_a_cluster_matches_the_local_run(cluster, capsys):
    from game.cli import main
    args = ["tournament", "--games", "4", "--mix-games", "2", "--seed", "3", "--json",
            "--archetypes", "heuristic,balanced,ads_only"]
    assert main([*args, "--jobs", "1"]) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*args, "--cluster", cluster]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote["seats"] == local["seats"] and remote["equilibrium"] == local["equilibrium"]


def test_an_unreachable_cluster_is_a_clear_error(capsys):
    from game.cli import main
    code = main(["simulate", "--games", "2", "--cluster", "tcp://127.0.0.1:9", "--json"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach the Dask cluster at tcp://127.0.0.1:9" in err
