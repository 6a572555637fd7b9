"""Fuzzing the rules loader: a mutated copy of rules/ is either refused with a RulesError that
names a file of the folder, or it loads and is playable (the conformance run passes, every text
renders in both languages, a save writes and loads back). Anything else is a loader bug: it let
through rules that break the game.

Mutations work on the parsed data (replace a value with one of another type, NaN, inf, a huge
or negative number, an empty or control-character string; delete a key; duplicate an array
entry; add an unknown key; rename an id; nest a value deeply), written back with a tiny TOML
writer, or on the bytes (corrupt, not UTF-8, truncate, nest thousands of levels deep).
Derandomized, so every run checks the same folders.
"""

from __future__ import annotations

import datetime
import math
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from game.engine import RulesError, load_rules, new_game, render_log, render_reason
from game.engine.text import LOG_FIELDS, REASON_FIELDS, format_money
from game.testing import RULES_DIR

MAIN_FILES = ["game.toml", "pillars.toml", "capabilities.toml", "companies.toml", "actions.toml",
              "events.toml", "facts.toml", "texts.toml"]
FILES = MAIN_FILES + sorted(f"scenarios/{p.name}" for p in (RULES_DIR / "scenarios").glob("*.toml"))
ORIGINAL = {f: (RULES_DIR / f).read_bytes() for f in FILES}
PARSED = {f: tomllib.loads(b.decode("utf-8")) for f, b in ORIGINAL.items()}


# ------------------------------------------------------------------------------ a tiny TOML writer

def _toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_string(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    raise TypeError(type(v))


def to_toml(data: dict) -> str:
    """Every top-level key as ``key = value`` with inline tables: valid TOML for any data."""
    return "".join(f"{_toml_string(k)} = {_toml_value(v)}\n" for k, v in data.items())


# ------------------------------------------------------------------------------ mutations

WEIRD = st.one_of(
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 10 ** 30, 2 ** 63, 10 ** 400, -1, -1e300,
                     1e300, 0, 0.0, "", "\x07bell", "a:b", "x y", "{0}", "{nope}", "}{", True, [], {},
                     [1, "a"], {"a": 1}, ["shop", "shop"], "#12345", 99, 201]),
    st.integers(-3, 250),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.text(max_size=6),
)
PLAUSIBLE_NUMBERS = st.one_of(
    st.sampled_from([0, 0.0, 1, 2, 3, 0.5, 0.99, 1.0, 12, 50, 100.0, 199, 200, 1000.0, 1e6, 1e12]),
    st.integers(0, 60),
    st.floats(min_value=0.0, max_value=100.0),
)
NEW_KEYS = st.sampled_from(["Bad Id", "x:y", "a\x07", "ok_new", "", "F1", "中文", "build", "default",
                           "F99"])


def _paths(node, prefix=()):
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    out = []
    for k, v in items:
        out.append(prefix + (k,))
        out.extend(_paths(v, prefix + (k,)))
    return out


def _parent(data, path):
    node = data
    for k in path[:-1]:
        node = node[k]
    return node


def _mutate_data(draw, data: dict) -> str:
    kind = draw(st.sampled_from(["plausible"] * 4 + ["replace"] * 2 + ["delete", "duplicate", "unknown_key",
                                                                       "rename", "nest"]))
    paths = _paths(data)
    if not paths:
        data["zz"] = 1
        return "add zz"
    path = draw(st.sampled_from(paths))
    parent, last = _parent(data, path), path[-1]
    if kind == "plausible":
        # A value of the same type, so that more mutated folders load and get played.
        leaves = [p for p in paths if isinstance(_parent(data, p)[p[-1]], (int, float, str))]
        if not leaves:
            return "nothing plausible"
        path = draw(st.sampled_from(leaves))
        parent, last = _parent(data, path), path[-1]
        old = parent[last]
        if isinstance(old, bool):
            value = not old
        elif isinstance(old, (int, float)):
            value = draw(PLAUSIBLE_NUMBERS)
            value = int(value) if isinstance(old, int) and value < 2 ** 63 else value
        else:  # another string of the same file: an id that exists, or a text
            strings = [v for p in leaves if isinstance(v := _parent(data, p)[p[-1]], str)]
            value = draw(st.sampled_from(strings + [""]))
        parent[last] = value
        return f"set {path} to {value!r}"
    if kind == "replace":
        value = draw(WEIRD)
        parent[last] = value
        return f"replace {path} with {value!r}"
    if kind == "delete":
        del parent[last]
        return f"delete {path}"
    if kind == "duplicate":
        lists = [p for p in paths if isinstance(_parent(data, p)[p[-1]], list) and _parent(data, p)[p[-1]]]
        if not lists:
            return "nothing to duplicate"
        p = draw(st.sampled_from(lists))
        lst = _parent(data, p)[p[-1]]
        i = draw(st.integers(0, len(lst) - 1))
        lst.insert(i, lst[i])
        return f"duplicate {p}[{i}]"
    if kind == "unknown_key":
        target = parent if isinstance(parent, dict) else data
        target["zz_unknown"] = draw(WEIRD)
        return f"unknown key beside {path}"
    if kind == "rename":
        if not isinstance(parent, dict):
            return "nothing to rename"
        new = draw(NEW_KEYS)
        parent[new] = parent.pop(last)
        return f"rename {path} to {new!r}"
    depth = draw(st.sampled_from([1, 3, 15, 16, 40]))
    value = parent[last]
    for _ in range(depth):
        value = [value]
    parent[last] = value
    return f"nest {path} {depth} deep"


def _mutate_bytes(draw, blob: bytes) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["corrupt", "latin1", "truncate", "deep"]))
    if kind == "corrupt" and blob:
        out = bytearray(blob)
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] = draw(st.integers(0, 255))
        return bytes(out), "corrupt bytes"
    if kind == "latin1":
        i = draw(st.integers(0, len(blob)))
        return blob[:i] + b"caf\xe9" + blob[i:], f"latin-1 byte at {i}"
    if kind == "truncate":
        i = draw(st.integers(0, len(blob)))
        return blob[:i], f"truncated at {i}"
    n = draw(st.sampled_from([17, 3000]))
    return blob + b"\nzz_deep = " + b"[" * n + b"]" * n + b"\n", f"{n} nested arrays"


def _mutated_folder(draw, dest: Path) -> list[str]:
    shutil.copytree(RULES_DIR, dest)
    data = {f: tomllib.loads(ORIGINAL[f].decode("utf-8")) for f in FILES}  # fresh copies
    blobs: dict[str, bytes] = {}
    done = []
    for _ in range(draw(st.integers(1, 3))):
        f = draw(st.sampled_from(FILES))
        if draw(st.integers(0, 4)) == 0:
            blob, what = _mutate_bytes(draw, blobs.get(f, ORIGINAL[f]))
            blobs[f] = blob
        else:
            what = _mutate_data(draw, data[f])
            blobs[f] = to_toml(data[f]).encode("utf-8")
        done.append(f"{f}: {what}")
    for f, blob in blobs.items():
        (dest / f).write_bytes(blob)
    return done


# ------------------------------------------------------------------------------ playable?

def _check_playable(folder: Path, rules, seed: int) -> None:
    from game.saves import load_game, save_game
    from game.sim.conformance import run_conformance

    report = run_conformance(folder, games=1, seed=seed, heuristic_games=1)
    assert report.ok, "rules load but fail the conformance run:\n" + "\n".join(report.lines)

    for lang in ("zh", "en"):
        for table, fields in ((rules.reasons, REASON_FIELDS), (rules.log_texts, LOG_FIELDS)):
            for key, text in table.items():
                text.get(lang).format(**{f: "v" for f in fields.get(key, ())})
        for kind, ids in (("capability", [c.id for c in rules.capabilities]),
                          ("action", [a.id for a in rules.actions]), ("company", rules.companies),
                          ("event", rules.events), ("pillar", rules.pillars), ("power", rules.powers),
                          ("scenario", rules.scenarios)):
            for item in ids:
                assert isinstance(rules.name_of(kind, item, lang), str)
        format_money(rules, 12.5, lang)

    with tempfile.TemporaryDirectory() as tmp:
        for sid in rules.scenarios:
            state = new_game(rules, sid, seed)
            step = 0
            while not state.is_terminal() and step < 60:
                for a in state.candidate_actions()[:20]:
                    reason = state.why_illegal(a)
                    if reason is not None:
                        for lang in ("zh", "en"):
                            render_reason(rules, reason, lang)
                legal = state.legal_actions()
                state.apply_action(legal[(seed + step * 7) % len(legal)])
                step += 1
            for entry in state.log:
                for lang in ("zh", "en"):
                    render_log(rules, entry, lang)
            path = save_game(state, Path(tmp) / f"{sid}.json")
            loaded, _ = load_game(rules, path)
            assert loaded.snapshot() == state.snapshot()


# ------------------------------------------------------------------------------ the tests

def test_the_toml_writer_round_trips_the_real_rules(tmp_path):
    dest = tmp_path / "rules"
    shutil.copytree(RULES_DIR, dest)
    for f, data in PARSED.items():
        (dest / f).write_text(to_toml(data), encoding="utf-8")
    original, written = load_rules(RULES_DIR), load_rules(dest)
    for name in ("economy", "capabilities", "actions", "companies", "events", "scenarios", "reasons",
                 "log_texts", "facts", "pillars", "powers"):
        assert getattr(written, name) == getattr(original, name), name


# No shrinking: an example takes up to a second, and the failure message lists the mutations.
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_rules_are_refused_or_playable(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "rules"
        mutations = _mutated_folder(data.draw, folder)
        note = "mutations:\n  " + "\n  ".join(mutations)
        try:
            rules = load_rules(folder)
        except RulesError as exc:
            assert exc.problems and str(exc), note
            names = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
            names |= {"scenarios/", str(folder)}
            for p in exc.problems:
                assert p.file in names and p.key and p.reason, \
                    f"{note}\nproblem {p} names no file of the folder"
            return
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{note}\nload_rules raised {type(exc).__name__}: {exc}")
        try:
            _check_playable(folder, rules, seed=len(mutations))
        except AssertionError as exc:
            pytest.fail(f"{note}\n{exc}")
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{note}\nthe rules load but playing them raised {type(exc).__name__}: {exc}")
