"""Before Qt starts on a Linux desktop: name the missing system libraries instead of an abort.

Qt's xcb plugin (the X11 window system) needs a few libraries that minimal Linux installs lack;
without them Qt prints a cryptic message and aborts the process. We look first and say what to
install.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# library name for find_library -> Debian/Ubuntu package
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def missing_window_libraries() -> list[str]:
    """Debian package names of the libraries Qt would need to open an X11 window, if missing."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb"):
        return []
    if not os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") and not platform:
        return []
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def explain_missing(packages: list[str]) -> str:
    return ("Closed Loop cannot open a window: Qt needs system libraries this machine lacks.\n"
            f"On Debian or Ubuntu: sudo apt install {' '.join(packages)}\n"
            f"(Or run headless: {_prog()} --help lists the commands.)")


def _prog() -> str:
    import sys

    cli = sys.modules.get("game.cli")
    return getattr(cli, "PROG", "closed-loop")
