"""The facilitator's debrief, headless (issue 14): lesson cards from the game's own log, an
honest winner text, turning points, the decision history and its CSV, and the session report."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from game.debrief import (
    CsvGame, ReportGame, build_report, decisions, decisions_csv, lesson_cards, load_lessons,
    turning_points, winner_text,
)
from game.engine import RulesError, load_rules
from game.saves import save_game
from game.sim.simulate import play_game


@pytest.fixture(scope="module")
def texts(rules):
    return load_lessons(rules)


@pytest.fixture(scope="module")
def game(rules):
    return play_game(rules, "default", 3, ["heuristic"] * 3)


def _link_gmv(state, host, rounds):
    return sum(float(e.params["gmv"]) for e in state.log
               if e.key == "link_fees" and e.company == host and e.round in rounds)


def test_lessons_file_is_checked_like_the_rules(tmp_path, rules):
    bad = tmp_path / "rules"
    shutil.copytree(rules.source_dir, bad)
    text = (bad / "lessons.toml").read_text(encoding="utf-8")
    text = text.replace('source = ["F03", "F34"]', 'source = ["F03", "F99"]')
    text = text.replace("{link_total}", "{link_totl}", 1)
    text = text.replace('title = { zh = "电子面单：费用之外是数据", en = "E-waybills: the data behind the fee" }',
                        'title = { zh = "电子面单：费用之外是数据" }')
    (bad / "lessons.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_lessons(load_rules(bad))
    where = {(p.file, p.key) for p in err.value.problems}
    assert ("lessons.toml", "cards.ban.source") in where
    assert ("lessons.toml", "cards.ban.never.zh") in where
    assert ("lessons.toml", "cards.waybill.title") in where
    assert all(p.reason for p in err.value.problems)


def test_the_ban_card_reports_what_the_log_says(rules, texts, game):
    bans = [e for e in game.log if e.key == "ban_links"]
    assert bans, "seed 3's heuristic ByteDance bans the links"
    ban = bans[0]
    card = next(c for c in lesson_cards(rules, game, texts, "en") if c.key == "ban")
    assert [t for t, _ in card.facts] == ["F03", "F34"]
    line = card.lines[0]
    y, q = game.scenario.quarter_label(ban.round)
    assert line.startswith(f"ByteDance banned outside links in {y} Q{q}.")
    before = range(max(1, ban.round - 2), ban.round)
    per_quarter = _link_gmv(game, "bytedance", before) / len(before)
    from game.engine import format_money
    assert format_money(rules, per_quarter, "en") in line
    assert len(card.questions) >= 2


def test_without_a_ban_the_card_counts_the_gmv_sent_out(rules, texts):
    state = play_game(rules, "no_link_ban", 3, ["heuristic"] * 3)
    card = next(c for c in lesson_cards(rules, state, texts, "en") if c.key == "ban")
    from game.engine import format_money
    total = _link_gmv(state, "bytedance", range(1, 100))
    assert total > 0
    assert f"{format_money(rules, total, 'en')} of GMV went through ByteDance's live rooms" in card.lines[0]


def test_every_card_in_both_languages(rules, texts, game):
    for lang in ("zh", "en"):
        cards = lesson_cards(rules, game, texts, lang)
        assert [c.key for c in cards] == ["ban", "waybill", "ux", "loop"]
        for c in cards:
            assert c.title and c.lines and c.facts and c.questions
            assert not any("{" in line for line in c.lines)      # every placeholder filled
    loop = next(c for c in lesson_cards(rules, game, texts, "en") if c.key == "loop")
    assert any("started with its loop closed" in line for line in loop.lines)   # Taobao


def test_the_winner_text_says_early_only_when_it_was(rules, texts, game):
    text = winner_text(rules, game, texts, "en")
    winner = game.company(game.winner_id)
    assert f"{winner.points:.1f} points" in text and "early" not in text
    # the same game, told as a target reached two quarters before the last
    game2 = play_game(rules, "default", 3, ["heuristic"] * 3)
    game2.win_reason = "target"
    while game2.records and game2.records[-1].round > game2.scenario.rounds - 2:
        game2.records.pop()
    assert "2 quarters before the last" in winner_text(rules, game2, texts, "en")
    from game.engine import new_game
    assert winner_text(rules, new_game(rules, "default", 3), texts, "en") == "The game is not over yet."


def test_decisions_replay_every_action_with_its_cost_and_effect(rules, game):
    ds = decisions(rules, game, "en", reasons={1: "payment first"})
    assert [d.action for d in ds] == [str(a) for a in game.history]
    assert ds[0].reason == "payment first" and ds[1].reason == ""
    builds = [d for d in ds if d.kind == "build"]
    assert builds and all(d.capital > 0 for d in builds)
    first = builds[0]
    cap = rules.name_of("capability", first.action.split(":")[1], "en")
    assert any(cap in e for e in first.effects)
    assert all(d.company in game.players for d in ds)


def test_decisions_csv_is_one_row_per_decision(rules, game):
    text = decisions_csv(rules, [CsvGame(game, "table1", {"tencent": "Team T"}, {2: "why not"})], "zh")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "save" and "capital (亿元)" in header
    real = [a for a in game.history if rules.action(a.id).kind != "end_turn"]
    assert len(body) == len(real)
    assert {r[header.index("team")] for r in body if r[header.index("company")] == "tencent"} == {"Team T"}
    assert {r[header.index("team")] for r in body if r[header.index("company")] == "alibaba"} == {"阿里巴巴"}
    assert any(r[-1] == "why not" for r in body)


def test_turning_points_follow_the_log(rules, texts, game):
    points = turning_points(rules, game, texts, "en")
    kinds = [p.kind for p in points]
    assert "ban_links" in kinds and "loop_closed" in kinds and "leader" in kinds
    assert [p.round for p in points] == sorted(p.round for p in points)
    leaders = [p.company for p in points if p.kind == "leader"]
    final = max(game.records[-1].companies, key=lambda c: game.records[-1].companies[c]["points"])
    assert leaders[-1] == final


def test_report_is_self_contained_and_shows_every_part(rules, texts, game):
    other = play_game(rules, "default", 4, ["heuristic", "heuristic", "random"])
    page = build_report(rules, [ReportGame(game, "table-1", {"bytedance": "Red"}), ReportGame(other, "table-2")],
                        "en", texts)
    assert page.startswith("<!DOCTYPE html>")
    assert "The whole class" in page and "table-1" in page and "table-2" in page
    assert "Red (ByteDance)" in page
    for card in lesson_cards(rules, game, texts, "en"):
        assert card.title in page
    assert page.count("<svg") == 4             # points and GMV for each game
    assert winner_text(rules, game, texts, "en") in page
    # nothing fetched from the network: no scripts, no external sources
    assert "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    zh = build_report(rules, [ReportGame(game, "一桌")], "zh", texts)
    assert "@font-face" in zh and "data:font/otf;base64," in zh       # Chinese shows anywhere
    assert "全班对比" not in zh                                        # one game: no class view


def test_report_command_writes_html_and_csv(tmp_path, rules, game, capsys):
    from game.cli import main
    save = tmp_path / "t1.json"
    save_game(game, save, {"controllers": {}, "teams": {"alibaba": "Blue"}, "reasons": {"1": "x"}})
    out, table = tmp_path / "r.html", tmp_path / "d.csv"
    assert main(["report", str(save), "-o", str(out), "--csv", str(table), "--lang", "en"]) == 0
    assert "Blue (Alibaba)" in out.read_text(encoding="utf-8")
    assert "Blue" in table.read_text(encoding="utf-8-sig")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["report", str(broken), "-o", str(tmp_path / "x.html")]) == 1
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_forecasts_are_scored_against_the_game(rules, game):
    from game.debrief.forecasts import Forecast, outcome, read_forecasts, score
    o = outcome(game)
    first = next(e.company for e in game.log if e.key == "loop_closed")
    assert o.loop_first == first
    wrong = next(c for c in game.players if c != first)
    actual = game.company("tencent").gmv_total
    forecasts, problems = read_forecasts(game, {"forecasts": {
        "bytedance": {"loop_first": first, "ban_pays": o.ban_pays},
        "alibaba": {"loop_first": wrong, "round": 4},
        "tencent": {"gmv_end": actual * 1.5},
        "nobody": {"loop_first": first},
        "bad": "x"}})
    assert len(forecasts) == 3 and len(problems) == 2
    assert any("meta.forecasts.nobody" in p for p in problems)
    scores = {s.forecast.team: s for s in score(game, forecasts)}
    assert scores["bytedance"].loop_first == 1.0 and scores["bytedance"].total == pytest.approx(
        1.0 + (1.0 if o.ban_pays is not None else 0.0))
    assert scores["alibaba"].loop_first == 0.0 and scores["alibaba"].forecast.round == 4
    assert scores["tencent"].gmv_end == pytest.approx(0.5)
    assert scores["tencent"].loop_first is None
    page = build_report(rules, [ReportGame(game, "t", forecasts=[Forecast("tencent", 0, None, actual, None)])], "en")
    assert "Forecasts and what happened" in page


def test_the_ban_pays_when_the_banners_counted_gmv_rises(rules, game):
    from game.debrief.forecasts import outcome
    ban = next(e for e in game.log if e.key == "ban_links")
    host = ban.company
    share = {game.players[s.host]: s.link.points_share for s in game.links}[host]

    def counted(r):
        rec = next(x for x in game.records if x.round == r)
        link = sum(float(e.params["gmv"]) for e in game.log
                   if e.key == "link_fees" and e.company == host and e.round == r)
        return rec.companies[host]["gmv"] + share * link
    before = [counted(r) for r in range(max(1, ban.round - 2), ban.round)]
    after = [counted(r) for r in range(ban.round + 1, ban.round + 3)]
    assert outcome(game).ban_pays == (sum(after) / len(after) > sum(before) / len(before))
    no_ban = play_game(rules, "no_link_ban", 3, ["heuristic"] * 3)
    assert outcome(no_ban).ban_pays is None
