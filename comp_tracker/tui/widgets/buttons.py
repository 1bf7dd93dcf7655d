"""The row of buttons at the foot of every form: the one that does what the form is for, and
Cancel. Each runs the screen's action (``action_<name>``; Cancel runs ``action_cancel``, as
Escape does), so a form never has to tell its buttons apart."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Button
from textual.widgets.button import ButtonVariant


def form_buttons(
    label: str,
    *,
    id: str = "save",
    action: str | None = None,
    variant: ButtonVariant = "primary",
    disabled: bool = False,
    cancel: str = "Cancel",
) -> Horizontal:
    """``label``'s button (``id``; it runs ``action``, by default the action named as its id),
    then ``cancel``'s."""
    return Horizontal(
        Button(label, variant=variant, id=id, disabled=disabled, action=f"screen.{action or id}"),
        Button(cancel, id="cancel", action="screen.cancel"),
        classes="dialog-buttons",
    )
