"""Hostile or careless rules folders are refused with file, key and reason: never a traceback,
a hang or a RecursionError. One breaker per class of wrong input, each on a copy of rules/;
the same breakers go through ``python main.py rules check``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import RulesError, load_rules, new_game
from game.engine.files import FileReadError, read_regular_file
from game.engine.rules import MAX_FILE_BYTES
from game.testing import ROOT, copy_rules, returns_within

# ------------------------------------------------------------------------------ helpers


def _replace(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}: the breaker needs updating"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, file: str, text: str) -> None:
    with open(folder / file, "a", encoding="utf-8") as fh:
        fh.write(text)


def problems_of(folder: Path):
    error = returns_within(20.0, load_rules, folder).get("error")
    assert isinstance(error, RulesError), f"expected RulesError, got {error!r}"
    return error.problems


def find(problems, file, key, reason_part):
    hits = [p for p in problems if p.file == file and (key is None or p.key == key)
            and reason_part in p.reason]
    assert hits, f"no problem {file}: {key}: ...{reason_part}... in:\n" + "\n".join(map(str, problems))
    return hits[0]


def _text(name):
    return f'name = {{ zh = "{name}", en = "{name}" }}\ntext = {{ zh = "{name}", en = "{name}" }}\n'


def _scenario(old, new):
    return lambda d: _replace(d, "scenarios/default.toml", old, new)


END_TURN_EN = 'en = "{company} ends its turn."'


def _end_turn_en(new):
    """Replace the English text of log.end_turn."""
    return lambda d: _replace(d, "texts.toml", END_TURN_EN, f'en = "{new}"')


def _capability(key):
    return f'\n[capabilities.{key}]\npillar = "storefront"\ncost = 1.0\nwork = 1\n{_text("x")}'


# ------------------------------------------------------------------------------ breakers
# Each: (id, edit(folder), file, key or None, part of the reason)

def _mkfifo(folder, name):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    (folder / name).unlink()
    os.mkfifo(folder / name)


def _symlink(folder, name, target):
    (folder / name).unlink()
    try:
        os.symlink(target, folder / name)
    except (OSError, NotImplementedError):
        pytest.skip("cannot make symbolic links here")


def _chain(folder, n):
    parent = "default"
    for i in range(n):
        (folder / "scenarios" / f"chain_{i:02d}.toml").write_text(f'extends = "{parent}"\n', encoding="utf-8")
        parent = f"chain_{i:02d}"


def _folder_for_file(folder, name):
    (folder / name).unlink()
    (folder / name).mkdir()


def _not_utf8(folder, name):
    path = folder / name
    data = path.read_bytes()
    cut = data.index(b"\n") + 1
    path.write_bytes(data[:cut] + b"# caf\xe9 latin-1\n" + data[cut:])


BREAKERS = [
    # 1. numbers that are not finite
    ("nan_cost", lambda d: _replace(d, "capabilities.toml", "cost = 6.0", "cost = nan"),
     "capabilities.toml", "capabilities.short_video.cost", "finite"),
    ("inf_economy", lambda d: _replace(d, "game.toml", "traffic_per_user = 0.1", "traffic_per_user = inf"),
     "game.toml", "economy.traffic_per_user", "finite"),
    ("minus_inf_market", _scenario("market = 2400.0", "market = -inf"),
     "scenarios/default.toml", "scenario.market", "finite"),
    ("nan_effect", lambda d: _replace(d, "events.toml", 'mult = 1.25 }]', 'mult = nan }]'),
     "events.toml", "events.festival_618.effects[0].mult", "finite"),
    ("nan_cost_mult", lambda d: _replace(d, "companies.toml", "supply_chain = 1.5, logistics = 1.4",
                                         "supply_chain = nan, logistics = 1.4"),
     "companies.toml", "companies.bytedance.cost_mult.supply_chain", "finite"),
    ("inf_deck_weight", _scenario("top_hosts_sign = 2", "top_hosts_sign = inf"),
     "scenarios/default.toml", "deck.weights.top_hosts_sign", "finite"),
    ("nan_link_share", _scenario("share = 0.6", "share = nan"),
     "scenarios/default.toml", "outside_links[0].share", "finite"),
    # 2. sizes with no upper bound
    ("huge_rounds", _scenario("rounds = 12\n", "rounds = 1000000000\n"),
     "scenarios/default.toml", "scenario.rounds", "must be at most 200 (got 1000000000)"),
    ("huge_actions_per_round", _scenario("actions_per_round = 3", "actions_per_round = 100000"),
     "scenarios/default.toml", "scenario.actions_per_round", "must be at most 50"),
    ("year_far_away", _scenario("start_year = 2020", "start_year = 99999"),
     "scenarios/default.toml", "scenario.start_year", "must be at most 2100"),
    ("huge_work", lambda d: _replace(d, "capabilities.toml", "work = 2", "work = 1000000000000"),
     "capabilities.toml", "capabilities.short_video.work", "must be at most 20"),
    ("huge_event_rounds", lambda d: _replace(d, "events.toml", "rounds = 3", "rounds = 100000"),
     "events.toml", "events.pandemic_live_boom.rounds", "must be at most 200"),
    ("huge_per_round", lambda d: _replace(d, "actions.toml", "per_round = 2", "per_round = 99999999"),
     "actions.toml", "actions.buy_traffic.per_round", "must be at most 50"),
    ("huge_number", lambda d: _replace(d, "companies.toml", "capital = 14.0", "capital = " + "9" * 400),
     "companies.toml", "companies.bytedance.capital", "must be at most"),
    ("round_listed_twice", _scenario("rounds = [2, 6, 10]", "rounds = [2, 6, 6, 10]"),
     "scenarios/default.toml", "scheduled[1].rounds", "listed twice"),
    # 3. ids that break save files or text
    ("id_with_colon", lambda d: _append(d, "capabilities.toml", _capability('"own:pay"')),
     "capabilities.toml", "capabilities.own:pay", "lowercase letters"),
    ("id_with_space", lambda d: _append(d, "events.toml", '\n[events."big event"]\n'
                                    'effects = [{ type = "market", mult = 1.1 }]\n' + _text("x")),
     "events.toml", "events.big event", "lowercase letters"),
    ("id_with_control_char", lambda d: _append(d, "capabilities.toml", _capability('"a\\u0007b"')),
     "capabilities.toml", "capabilities.a\\x07b", "lowercase letters"),
    ("id_with_quote", lambda d: _append(d, "pillars.toml", '\n[pillars."o\'k"]\norder = 9\n' + _text("x")),
     "pillars.toml", "pillars.o'k", "lowercase letters"),
    ("scenario_file_name",
     lambda d: (d / "scenarios" / "My Scenario.toml").write_text('extends = "default"\n'),
     "scenarios/My Scenario.toml", "(file)", "lowercase letters"),
    ("fact_tag_newline", lambda d: _append(d, "facts.toml", '"F99\\n" = { zh = "x", en = "x" }\n'),
     "facts.toml", None, "fact tags look like F07"),
    ("empty_event_id", _scenario('event = "festival_618"', 'event = ""'),
     "scenarios/default.toml", "scheduled[1].event", "unknown event ''"),
    ("empty_link_host", _scenario('host = "bytedance"', 'host = ""'),
     "scenarios/default.toml", "outside_links[0].host", "unknown company ''"),
    # 4. text placeholders
    ("unknown_placeholder", _end_turn_en("{player} ends its turn."),
     "texts.toml", "log.end_turn.en", "unknown placeholder {player}"),
    ("placeholders_differ", _end_turn_en("The turn ends."),
     "texts.toml", "log.end_turn", "zh and en must use the same placeholders"),
    ("unbalanced_brace", _end_turn_en("{company ends its turn."),
     "texts.toml", "log.end_turn.en", "not a valid text template"),
    ("lone_closing_brace", _end_turn_en("{company} ends its turn.}"),
     "texts.toml", "log.end_turn.en", "not a valid text template"),
    ("positional", _end_turn_en("{0} ends."),
     "texts.toml", "log.end_turn.en", "plain lowercase name"),
    ("attribute", _end_turn_en("{company.id}."),
     "texts.toml", "log.end_turn.en", "plain lowercase name"),
    ("index", _end_turn_en("{company[0]}."),
     "texts.toml", "log.end_turn.en", "plain lowercase name"),
    ("format_spec", _end_turn_en("{company:.2f}."),
     "texts.toml", "log.end_turn.en", "no '!' or ':' format"),
    ("conversion", _end_turn_en("{company!r}."),
     "texts.toml", "log.end_turn.en", "no '!' or ':' format"),
    ("reason_placeholder", lambda d: _replace(d, "texts.toml", 'en = "At most {limit} per round."',
                                              'en = "At most {limit} per {company}."'),
     "texts.toml", "reasons.per_round_limit.en", "unknown placeholder {company}"),
    ("control_char_in_text", lambda d: _replace(d, "texts.toml", 'en = "The game is over."',
                                                'en = "The game\\u001b[2J is over."'),
     "texts.toml", "reasons.game_over.en", "control character (U+001B)"),
    # 5. a duplicated outside link
    ("duplicate_link", _scenario("[deck]", '[[outside_links]]\nhost = "bytedance"\npartner = "alibaba"\n'
                                             'share = 0.1\nfee_rate = 0.04\n\n[deck]'),
     "scenarios/default.toml", "outside_links[1]", "links bytedance to alibaba a second time"),
    # 6. deep nesting and long extends chains
    ("nested_arrays", lambda d: _append(d, "events.toml", "\ndeep = " + "[" * 5000 + "]" * 5000 + "\n"),
     "events.toml", "(file)", "nested more than 16 levels"),
    ("nested_inline_tables",
     lambda d: _append(d, "pillars.toml", "\ndeep = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"),
     "pillars.toml", "(file)", "nested more than 16 levels"),
    ("nested_dotted_keys", lambda d: _append(d, "actions.toml", "\n" + "a." * 3000 + "b = 1\n"),
     "actions.toml", "(file)", "nested more than 16 levels"),
    ("extends_chain", lambda d: _chain(d, 30),
     "scenarios/chain_29.toml", "extends", "extends chain longer than 16"),
    ("extends_circle", _scenario("[scenario]", 'extends = "no_pandemic"\n[scenario]'),
     "scenarios/default.toml", "extends", "circle"),
    # 7. folders named like rules files
    ("folder_for_file", lambda d: _folder_for_file(d, "capabilities.toml"),
     "capabilities.toml", "(file)", "is a folder, not a file"),
    ("folder_for_scenario", lambda d: (d / "scenarios" / "x.toml").mkdir(),
     "scenarios/x.toml", "(file)", "is a folder, not a file"),
    # 8. not UTF-8
    ("not_utf8", lambda d: _not_utf8(d, "events.toml"),
     "events.toml", "(file)", "not UTF-8 text (byte 0xe9 at offset"),
    # 9. unbounded reads
    ("fifo", lambda d: _mkfifo(d, "events.toml"),
     "events.toml", "(file)", "FIFO"),
    ("link_to_dev_zero", lambda d: _symlink(d, "capabilities.toml", "/dev/zero"),
     "capabilities.toml", "(file)", "leads outside its folder"),
    ("link_out_of_folder", lambda d: _symlink(d, "texts.toml", str(ROOT / "rules" / "texts.toml")),
     "texts.toml", "(file)", "leads outside its folder"),
    ("fifo_inside_via_link", lambda d: (_mkfifo(d, "facts.toml"), _symlink(d, "game.toml", d / "facts.toml")),
     "game.toml", "(file)", "FIFO"),
    ("too_large", lambda d: _append(d, "events.toml", ("# " + "x" * 98 + "\n") * (MAX_FILE_BYTES // 100 + 1)),
     "events.toml", "(file)", f"is larger than {MAX_FILE_BYTES:,} bytes"),
]


@pytest.fixture
def folder(tmp_path):
    return copy_rules(tmp_path / "rules")


@pytest.mark.parametrize("name,edit,file,key,reason", BREAKERS, ids=[b[0] for b in BREAKERS])
def test_wrong_input_is_refused_with_file_key_and_reason(folder, name, edit, file, key, reason):
    edit(folder)
    find(problems_of(folder), file, key, reason)


def test_a_valid_link_inside_the_folder_is_read(folder):
    (folder / "facts2.txt").write_bytes((folder / "facts.toml").read_bytes())
    _symlink(folder, "facts.toml", folder / "facts2.txt")
    assert load_rules(folder).facts


def test_a_utf8_bom_is_accepted(folder):
    path = folder / "events.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_rules(folder).events


def test_missing_or_wrong_rules_folder(tmp_path):
    with pytest.raises(RulesError, match="no such folder"):
        load_rules(tmp_path / "nope")
    (tmp_path / "file").write_text("x")
    with pytest.raises(RulesError, match="is a file, not a folder"):
        load_rules(tmp_path / "file")


def test_scenarios_as_a_file(folder):
    import shutil

    shutil.rmtree(folder / "scenarios")
    (folder / "scenarios").write_text("x")
    find(problems_of(folder), "scenarios", "(folder)", "not a file")


def test_many_problems_at_once(folder):
    """Different classes in one folder: all reported together."""
    for name in ("nan_cost", "huge_rounds", "id_with_colon", "unknown_placeholder", "duplicate_link"):
        edit = next(b[1] for b in BREAKERS if b[0] == name)
        edit(folder)
    problems = problems_of(folder)
    files = {p.file for p in problems}
    assert {"capabilities.toml", "scenarios/default.toml", "texts.toml"} <= files


# ------------------------------------------------------------------------------ the command line

CLI_CASES = ["nan_cost", "huge_rounds", "id_with_colon", "unknown_placeholder", "duplicate_link",
             "nested_arrays", "extends_chain", "folder_for_file", "not_utf8", "fifo", "link_to_dev_zero",
             "too_large"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_rules_check_names_the_file_and_exits_1(folder, name):
    _, edit, file, key, reason = next(b for b in BREAKERS if b[0] == name)
    edit(folder)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "rules", "check", str(folder)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out, out
    assert f"{file}: {key or ''}" in out and reason in out, out


def test_rules_check_on_a_missing_folder(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "rules", "check", str(tmp_path / "nope")],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and "no such folder" in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------------------ read_regular_file

def test_read_regular_file_refuses_what_is_not_a_regular_file(tmp_path):
    (tmp_path / "ok").write_bytes(b"abc")
    assert read_regular_file(tmp_path / "ok", 3) == b"abc"
    with pytest.raises(FileReadError, match="larger than 2 bytes"):
        read_regular_file(tmp_path / "ok", 2)
    with pytest.raises(FileReadError, match="is a folder"):
        read_regular_file(tmp_path, 10)
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "missing", 10)
    if os.path.exists("/dev/zero"):
        with pytest.raises(FileReadError, match="is a device") as info:
            read_regular_file("/dev/zero", 10)
        assert isinstance(info.value, OSError) and info.value.filename == "/dev/zero"
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        with pytest.raises(FileReadError, match="FIFO"):
            read_regular_file(tmp_path / "fifo", 10)


def test_read_regular_file_links(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir(), outside.mkdir()
    (outside / "f").write_bytes(b"x")
    (inside / "g").write_bytes(b"y")
    try:
        os.symlink(outside / "f", inside / "to_out")
        os.symlink(inside / "g", inside / "to_in")
    except (OSError, NotImplementedError):
        pytest.skip("cannot make symbolic links here")
    assert read_regular_file(inside / "to_out", 10) == b"x"
    assert read_regular_file(inside / "to_in", 10, within=inside) == b"y"
    with pytest.raises(FileReadError, match="outside its folder"):
        read_regular_file(inside / "to_out", 10, within=inside)
    with pytest.raises(FileReadError, match="symbolic link"):
        read_regular_file(inside / "to_in", 10, follow_symlinks=False)


# ------------------------------------------------------------------------------ the texts' fields

def test_the_engine_fills_exactly_the_fields_the_loader_allows(rules):
    """LOG_FIELDS and REASON_FIELDS (what the loader checks placeholders against) match what the
    engine really passes: every key's params, over a few games, are among its fields."""
    from game.engine.text import LOG_FIELDS, REASON_FIELDS

    seen_log: dict[str, set] = {}
    seen_reason: dict[str, set] = {}
    for sid in rules.scenarios:
        for seed in range(2):
            state = new_game(rules, sid, seed)
            step = 0
            while not state.is_terminal():
                for a in state.candidate_actions():
                    reason = state.why_illegal(a)
                    if reason is not None:
                        seen_reason.setdefault(reason.code, set()).update(reason.params)
                legal = state.legal_actions()
                state.apply_action(legal[(seed * 7 + step * 13) % len(legal)])
                step += 1
            for entry in state.log:
                fields = set(entry.params) | ({"company"} if entry.company is not None else set())
                seen_log.setdefault(entry.key, set()).update(fields)
    for key, fields in seen_log.items():
        assert fields <= LOG_FIELDS[key], (key, fields - LOG_FIELDS[key])
    for code, fields in seen_reason.items():
        assert fields <= REASON_FIELDS[code], (code, fields - REASON_FIELDS[code])
    assert len(seen_log) > len(LOG_FIELDS) // 2 and len(seen_reason) > 5
