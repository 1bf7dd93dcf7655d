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
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static, TextArea

from comp_tracker.domain import Terms
from comp_tracker.domain.planner import clone_names
from comp_tracker.services.agreements.creating import clone_agreement
from comp_tracker.services.agreements.importing import Imported
from comp_tracker.services.agreements.reading import show
from comp_tracker.services.events.whatif import ClonePreview, preview_clones

from ..widgets.buttons import form_buttons
from ..widgets.text import money
from .reading import ReadsFirst, Refusal


class CloneModal(ReadsFirst[bool]):
    """Names one per line, a preview of the agreements to create, Create and Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Create"),
    ]
    DIALOG_CLASSES = "dialog clone-form"

    def __init__(self, agreement_key: str) -> None:
        super().__init__()
        self.agreement = agreement_key
        self.terms: Terms | None = None
        self.previews: list[ClonePreview] = []
        self._submitted = False
        #: Create was pressed: create once the preview of the names comes back usable.
        self._save_asked = False

    def read(self) -> None:
        self.terms = show(self.tracker.context, self.agreement, self.tracker.as_of).terms

    def compose_form(self) -> ComposeResult:
        terms = self.terms
        company = terms.company if terms else "the company"
        with Vertical(classes=self.DIALOG_CLASSES):
            yield Static(f"Clone {self.agreement}", classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                yield Static(
                    f"The same agreement ({terms.company}, effective {terms.effective}, "
                    f"{len(terms.installments)} installments) for other employees: terms and "
                    "installments copied, no events. Nothing is created until Create (Ctrl+S); "
                    "Escape leaves."
                    if terms
                    else "",
                    classes="dialog-help",
                )
                yield Label(f"New employees of {company}, one name a line")
                yield TextArea(id="names", soft_wrap=False, show_line_numbers=False)
                yield Static("", id="names-error", classes="field-error -empty")
                yield Static("", id="preview", classes="preview")
            yield form_buttons("Create agreements", disabled=True)

    def ready(self) -> None:
        self.query_one("#names", TextArea).focus()
        if self.read_error is not None:
            self._set_error(self.read_error.message)
            return
        self._check()

    def on_text_area_changed(self) -> None:
        if self.is_ready:
            self._check()

    @property
    def names(self) -> list[str]:
        return clone_names(self.query_one("#names", TextArea).text)

    def _set_error(self, message: str | None) -> None:
        error = self.query_one("#names-error", Static)
        error.update(message or "")
        error.set_class(not message, "-empty")

    def _check(self) -> None:
        """Check the names (off the UI thread); the error beside them, or the preview."""
        names = self.names
        self.previews = []
        self.drop("preview")
        self.query_one("#save", Button).disabled = True
        if self.read_error is not None:
            self._save_asked = False
            return
        if not names and not self._submitted:
            self._save_asked = False
            self._set_error(None)
            self.query_one("#preview", Static).update(
                "Type a name to see the agreement it will create."
            )
            return
        self.off_thread(
            "preview",
            lambda: preview_clones(self.tracker.context, self.agreement, names),
            lambda answer: self._have_preview(names, answer),
        )

    def _have_preview(self, names: list[str], answer: list[ClonePreview] | Refusal) -> None:
        preview = self.query_one("#preview", Static)
        if not isinstance(answer, list):
            self._save_asked = False
            self._set_error(answer.message)
            preview.update("Nothing will be created until every name can be used.")
            return
        self._set_error(None)
        self.previews = answer
        text = Text(f"Will create {len(answer)} agreement(s):\n", style="bold")
        for item in answer:
            installments = ", ".join(
                f"{money(i.amount)} on {i.due}" for i in item.terms.installments
            )
            text.append(f"{item.agreement}", style="bold")
            text.append(f" for {item.employee}: {installments}\n", style="")
        text.rstrip()
        preview.update(text)
        self.query_one("#save", Button).disabled = False
        if self._save_asked:
            self._create(names)

    def action_save(self) -> None:
        """Check the names once more, then create the agreements, both off the UI thread."""
        if not self.is_ready:
            return
        self._submitted = True
        self._save_asked = True
        self._check()

    def _create(self, names: list[str]) -> None:
        self._save_asked = False
        self.query_one("#save", Button).disabled = True

        def created(answer: list[Imported] | Refusal) -> None:
            if not isinstance(answer, list):
                self._set_error(f"Nothing was created: {answer.message}")
                self.query_one("#save", Button).disabled = False
                return
            ids = ", ".join(item.agreement for item in answer)
            self.app.notify(f"Created {len(answer)} agreement(s): {ids}.")
            self.dismiss(True)

        self.off_thread(
            "save", lambda: clone_agreement(self.tracker.context, self.agreement, names), created
        )

    def action_cancel(self) -> None:
        self.dismiss(False)
