"""The question asked before a step that cannot be taken back: what it does, the button that
does it (in the warning colour) and Cancel, which has the focus, as Escape does. True for yes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..widgets.buttons import form_buttons


class ConfirmModal(ModalScreen[bool]):
    """Subclasses name the question (``QUESTION``), the button (``YES``, its id ``YES_ID``) and
    what the step does (:meth:`compose_body`)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    QUESTION: ClassVar[str]
    YES: ClassVar[str]
    YES_ID: ClassVar[str]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.QUESTION, classes="dialog-title")
            yield from self.compose_body()
            yield form_buttons(self.YES, id=self.YES_ID, action="yes", variant="warning")

    def compose_body(self) -> ComposeResult:
        """What the step does, between the question and the buttons."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
