"""The README's example of testing what the board shows for a rule, in a few lines."""

from game.engine import Action
from game.testing import start


def test_launch_is_greyed_out_with_the_missing_loop_links(board_on):
    state = start("default", seed=1, bytedance=dict(capital=80.0, built=["mall_page"]))
    window = board_on(state)                               # the real main window, offscreen
    button = window.action_bar.buttons[Action("launch_app")]
    assert not button.isEnabled()                          # no closed loop yet
    assert state.explain(state.why_illegal("launch_app"), "en") in button.toolTip()
    assert window.scenes["bytedance"].nodes["mall_page"].look.state == "built"
