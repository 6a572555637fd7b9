"""Predict, then reveal: the forecast dialog writes what the report reads and scores."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox

from game.debrief.forecasts import read_forecasts
from game.engine import load_rules, new_game
from game.ui.forecast import ForecastDialog

pytestmark = pytest.mark.gui


def test_forecasts_round_trip_into_what_the_report_reads(qtbot, qapp):
    rules = load_rules("rules")
    state = new_game(rules, "default", 2)
    d = ForecastDialog(state, "zh", teams={"bytedance": "红队"})
    qtbot.addWidget(d)
    loop = d.findChild(QComboBox, "forecastLoop_bytedance")
    loop.setCurrentIndex(loop.findData("tencent"))
    d.findChild(QDoubleSpinBox, "forecastGmv_bytedance").setValue(30000)    # 30,000亿元
    d.findChild(QComboBox, "forecastBan_alibaba").setCurrentIndex(2)        # "no"
    got = d.forecasts()
    assert got == {"bytedance": {"round": 0, "loop_first": "tencent", "gmv_end": 3000.0},
                   "alibaba": {"round": 0, "ban_pays": False}}
    forecasts, problems = read_forecasts(state, {"forecasts": got})
    assert not problems and {f.team for f in forecasts} == {"bytedance", "alibaba"}
    again = ForecastDialog(state, "en", existing=got)
    qtbot.addWidget(again)
    assert again.forecasts() == got                   # reopened, it shows what was entered
