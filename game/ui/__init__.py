"""The Qt desktop app of Closed Loop: a view/controller over the engine.

The GUI only reads a :class:`game.engine.GameState` and sends it actions; it never changes the
state by hand. Start it with :func:`game.ui.app.run_app`.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every Qt call that returns
nothing (it assumes Python 3.12's immortal ``None``) and aborts after a few thousand calls;
pyproject.toml keeps Python 3.11 on PySide6 < 6.12, and tests/ui/test_qt_bindings.py checks it.
"""
