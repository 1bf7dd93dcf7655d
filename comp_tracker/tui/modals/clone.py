"""Clone an agreement (``l`` on an agreement) for other employees of the same company.

Each clone is a "substantially identical" agreement: the same terms and installments, none of the
events, an id made from the template's and the employee's name, and a link to the template. The
names are typed one per line; the preview lists the agreements that will be created, and a name
that cannot be used (empty, named twice, the template's own employee, someone who already has
this agreement) is refused beside the field before anything is written.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from comp_tracker.domain import AgreementError
from comp_tracker.domain.planner import clone_names
from comp_tracker.services.agreements.creating import clone_agreement
from comp_tracker.services.agreements.reading import show
from comp_tracker.services.context import ServiceError
from comp_tracker.services.events.whatif import ClonePreview, preview_clones

from ..tracker import Tracker, tracker_of
from ..widgets.text import money


class CloneModal(ModalScreen[bool]):
    """Names one per line, a preview of the agreements to create, Create and Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Create"),
    ]

    def __init__(self, agreement_key: str) -> None:
        super().__init__()
        self.agreement = agreement_key
        self.previews: list[ClonePreview] = []
        self._submitted = False

    @property
    def tracker(self) -> Tracker:
        return tracker_of(self)

    def compose(self) -> ComposeResult:
        terms = show(self.tracker.context, self.agreement, self.tracker.as_of).terms
        with Vertical(classes="dialog clone-form"):
            yield Static(f"Clone {self.agreement}", classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                yield Static(
                    f"The same agreement ({terms.company}, effective {terms.effective}, "
                    f"{len(terms.installments)} installments) for other employees: terms and "
                    "installments copied, no events. Nothing is created until Create (Ctrl+S); "
                    "Escape leaves.",
                    classes="dialog-help",
                )
                yield Label(f"New employees of {terms.company}, one name a line")
                yield TextArea(id="names", soft_wrap=False, show_line_numbers=False)
                yield Static("", id="names-error", classes="field-error -empty")
                yield Static("", id="preview", classes="preview")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create agreements", variant="primary", id="save", disabled=True)
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#names", TextArea).focus()
        self._check()

    def on_text_area_changed(self) -> None:
        self._check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    @property
    def names(self) -> list[str]:
        return clone_names(self.query_one("#names", TextArea).text)

    def _set_error(self, message: str | None) -> None:
        error = self.query_one("#names-error", Static)
        error.update(message or "")
        error.set_class(not message, "-empty")

    def _check(self) -> list[ClonePreview] | None:
        """Check the names; show the error beside them or the preview. The previews, or None."""
        names = self.names
        preview = self.query_one("#preview", Static)
        save = self.query_one("#save", Button)
        self.previews = []
        if not names and not self._submitted:
            self._set_error(None)
            preview.update("Type a name to see the agreement it will create.")
            save.disabled = True
            return None
        try:
            previews = preview_clones(self.tracker.context, self.agreement, names)
        except (ServiceError, AgreementError) as exc:
            self._set_error(exc.message)
            preview.update("Nothing will be created until every name can be used.")
            save.disabled = True
            return None
        self._set_error(None)
        self.previews = previews
        text = Text(f"Will create {len(previews)} agreement(s):\n", style="bold")
        for item in previews:
            installments = ", ".join(
                f"{money(i.amount)} on {i.due}" for i in item.terms.installments
            )
            text.append(f"{item.agreement}", style="bold")
            text.append(f" for {item.employee}: {installments}\n", style="")
        text.rstrip()
        preview.update(text)
        save.disabled = False
        return previews

    def action_save(self) -> None:
        self._submitted = True
        if self._check() is None:
            return
        names = self.names
        try:
            created = clone_agreement(self.tracker.context, self.agreement, names)
        except (ServiceError, AgreementError) as exc:
            self._set_error(f"Nothing was created: {exc.message}")
            return
        ids = ", ".join(item.agreement for item in created)
        self.app.notify(f"Created {len(created)} agreement(s): {ids}.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
