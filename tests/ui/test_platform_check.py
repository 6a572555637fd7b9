"""A Linux desktop without Qt's X11 libraries gets the apt command, not an abort."""

import ctypes.util

from game.ui import platform_check


def test_missing_xcb_libraries_are_named_as_packages(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else "x")
    assert platform_check.missing_window_libraries() == ["libxcb-cursor0"]
    assert "sudo apt install libxcb-cursor0" in platform_check.explain_missing(["libxcb-cursor0"])


def test_offscreen_needs_no_window_libraries(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert platform_check.missing_window_libraries() == []
