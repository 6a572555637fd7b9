"""The Qt desktop app of Closed Loop: a view/controller over the engine.

The GUI only reads a :class:`game.engine.GameState` and sends it actions; it never changes the
state by hand. Start it with :func:`game.ui.app.run_app`.
"""
