"""The facilitator's debrief, headless: lesson cards, turning points, the decision history, the
session report (HTML) and the grading export (CSV), all computed from a game's own log, records
and replay. No Qt here: the app's debrief and ``python main.py report`` both use it."""

from __future__ import annotations

from .forecasts import Forecast, ForecastScore, read_forecasts, score
from .lessons import LessonCard, lesson_cards, winner_text
from .report import ReportGame, build_report, write_report
from .texts import LessonTexts, load_lessons
from .timeline import CsvGame, Decision, TurningPoint, decisions, decisions_csv, turning_points

__all__ = ["CsvGame", "Decision", "Forecast", "ForecastScore", "LessonCard", "LessonTexts",
           "ReportGame", "TurningPoint", "build_report", "decisions", "decisions_csv",
           "lesson_cards", "load_lessons", "read_forecasts", "score", "turning_points",
           "winner_text", "write_report"]
