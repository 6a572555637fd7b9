"""Saves: JSON round trip, atomic writing, and refusal of broken files with a clear message."""

import json
import os

import pytest

from game import saves
from game.engine import SaveError
from game.engine.serialize import dumps, loads
from game.saves import load_game, save_game
from game.sim.simulate import play_game
from game.testing import digest, returns_within, start


@pytest.fixture
def played(rules):
    """A game some way in: two rounds of heuristic play plus a few actions."""
    from game.players import make_player

    state = start(seed=9)
    players = [make_player("heuristic", i) for i in range(len(state.players))]
    while state.round < 3:
        state.apply_action(players[state.current].choose(state))
    state.apply_action(players[state.current].choose(state))
    return state


def test_round_trip_in_memory(rules, played):
    loaded = loads(rules, dumps(played))
    assert loaded.snapshot() == played.snapshot()
    a, b = digest(loaded), digest(played)
    assert a == b


def test_round_trip_on_disk_with_meta(rules, played, tmp_path):
    path = save_game(played, tmp_path / "sub" / "game.json", {"players": {"x": "human"}})
    state, meta = load_game(rules, path)
    assert state.snapshot() == played.snapshot()
    assert meta.extra == {"players": {"x": "human"}}      # keys the app does not know are kept
    assert meta.controllers == {cid: "human" for cid in played.players}
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("rules_version", "scenario", "seed", "actions", "snapshot"):
        assert key in data


def test_finished_game_round_trip(rules, tmp_path):
    state = play_game(rules, "default", 2, ["heuristic", "random", "heuristic"])
    loaded, _ = load_game(rules, save_game(state, tmp_path / "done.json"))
    assert loaded.is_terminal() and loaded.winner_id == state.winner_id
    assert loaded.snapshot() == state.snapshot()


def test_atomic_save_keeps_the_old_file_on_failure(rules, played, tmp_path, monkeypatch):
    path = save_game(played, tmp_path / "game.json")
    good = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves.os, "replace", broken_replace)
    played.apply_action(played.legal_actions()[0])
    with pytest.raises(OSError):
        save_game(played, path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"], "a temporary file was left"


def test_atomic_save_when_writing_fails(rules, played, tmp_path, monkeypatch):
    path = save_game(played, tmp_path / "game.json")
    good = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(saves.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save_game(played, path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]


def _edit(played, change):
    data = json.loads(dumps(played))
    change(data)
    return json.dumps(data)


def _refused(rules, text, *parts):
    with pytest.raises(SaveError) as info:
        loads(rules, text)
    msg = str(info.value)
    for part in parts:
        assert part in msg, msg
    return msg


def test_refuses_non_json(rules):
    _refused(rules, "this is not json {", "not valid JSON")


def test_refuses_non_object(rules):
    _refused(rules, "[1, 2, 3]", "JSON object")


def test_refuses_wrong_format(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(format="something-else")), "not a Closed Loop save")


def test_refuses_newer_format_version(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(format_version=999)), "format 999")


def test_refuses_wrong_rules_version(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(rules_version="0.0.0-other")),
             "0.0.0-other", rules.version)


def test_refuses_unknown_scenario(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(scenario="no_such_scenario")),
             "unknown scenario 'no_such_scenario'")


def test_refuses_missing_field(rules, played):
    _refused(rules, _edit(played, lambda d: d.pop("seed")), "'seed'")


def test_refuses_wrong_type(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(seed="seven")), "'seed'")


def test_refuses_illegal_action_in_list(rules, played):
    def change(d):
        d["actions"].insert(1, "build:no_such_capability")
    msg = _refused(rules, _edit(played, change), "action #2", "build:no_such_capability", "cannot be replayed")
    assert "unknown_capability" in msg


def test_refuses_malformed_action(rules, played):
    _refused(rules, _edit(played, lambda d: d["actions"].insert(0, 42)), "action #1")


def test_refuses_tampered_snapshot(rules, played):
    def change(d):
        cid = next(iter(d["snapshot"]["companies"]))
        d["snapshot"]["companies"][cid]["capital"] += 100.0
    msg = _refused(rules, _edit(played, change), "does not match", "capital")
    assert "edited or is damaged" in msg


def test_refuses_tampered_seed_of_a_finished_game(rules):
    state = play_game(rules, "default", 2, ["heuristic"] * 3)
    msg = _refused(rules, _edit(state, lambda d: d.update(seed=d["seed"] + 1)))
    assert "does not match" in msg or "cannot be replayed" in msg, msg


def test_refuses_tampered_seed_mid_game(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(seed=d["seed"] + 1)), "does not match")


def test_refuses_truncated_file(rules, played, tmp_path):
    path = save_game(played, tmp_path / "game.json")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SaveError) as info:
        load_game(rules, path)
    assert str(path) in str(info.value) and "not valid JSON" in str(info.value)


def test_refuses_missing_file(rules, tmp_path):
    with pytest.raises(SaveError) as info:
        load_game(rules, tmp_path / "nowhere.json")
    assert "cannot be read" in str(info.value)


def test_refuses_unknown_company(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(companies=["nobody"])), "companies")


def test_no_pickle_or_eval_in_saves():
    import inspect

    from game.engine import serialize

    for mod in (serialize, saves):
        src = inspect.getsource(mod)
        assert "import pickle" not in src and "eval(" not in src


@pytest.mark.parametrize("text,words", [
    ('{"format": "closed-loop-save", "seed": ' + "9" * 5000 + "}", "not valid JSON"),
    ("[" * 200_000, "nested too deeply"),
])
def test_refuses_pathological_json_with_a_save_error(rules, tmp_path, text, words):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SaveError) as info:
        load_game(rules, path)
    assert words in str(info.value)


def test_refuses_a_negative_seed(rules, played):
    _refused(rules, _edit(played, lambda d: d.update(seed=-1)), "'seed'")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(rules, tmp_path):
    fifo = tmp_path / "save.json"
    os.mkfifo(fifo)
    outcome = returns_within(20.0, load_game, rules, fifo)
    assert isinstance(outcome.get("error"), SaveError)
    assert "FIFO" in str(outcome["error"]) and str(fifo) in str(outcome["error"])


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_link_to_a_device_is_refused_at_once(rules, tmp_path):
    link = tmp_path / "save.json"
    link.symlink_to("/dev/zero")
    outcome = returns_within(20.0, load_game, rules, link)
    assert isinstance(outcome.get("error"), SaveError)
    assert "device" in str(outcome["error"])


def test_stale_temporaries_of_a_save_are_removed_on_the_next_save(rules, played, tmp_path):
    target = tmp_path / "class.json"
    stale = tmp_path / ".class.json.x1y2.tmp"
    stale.write_text("{half", encoding="utf-8")
    os.utime(stale, (1, 1))
    other = tmp_path / ".other.json.x1y2.tmp"       # another file's: not ours to remove
    other.write_text("{half", encoding="utf-8")
    os.utime(other, (1, 1))
    save_game(played, target)
    assert not stale.exists() and other.exists()
