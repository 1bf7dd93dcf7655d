"""Forms that ask the database off the UI thread: what they offer, their previews, their saves.

A form (recording a payment, a termination, a clone, a void) first needs the agreement as it
stands: its installments, its employee, its calendar. On PostgreSQL over a network that read can
take a noticeable time, and a read on the UI thread would freeze the whole terminal meanwhile. A
:class:`ReadsFirst` screen shows one "Reading..." line, reads in a worker thread (:meth:`read`),
then composes the real form (:meth:`compose_form`) and calls :meth:`ready`.

A refusal while reading (the agreement is not found, say) is kept in ``read_error``: the form is
still drawn (from whatever it has) and :meth:`ready` gets to say why it cannot be used.

After that, every preview and every save goes through :meth:`OffThread.off_thread`: the services
are asked in a worker thread and the answer is shown on the UI thread, the latest one only (a
preview asked before the next key was typed is dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeAlias, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from comp_tracker.domain import AgreementError
from comp_tracker.services.context import ServiceError

from ..tracker import ReachesTracker

#: What the services refuse: both carry ``field`` and a one-line ``message``.
Refusal: TypeAlias = AgreementError | ServiceError
#: The same, for ``except``.
REFUSALS = (AgreementError, ServiceError)

ResultT = TypeVar("ResultT")
AnswerT = TypeVar("AnswerT")


class OffThread(ReachesTracker, ModalScreen[ResultT], Generic[ResultT]):
    """A modal form that asks the services off the UI thread (:meth:`off_thread`)."""

    def __init__(self) -> None:
        super().__init__()
        #: How many times each group of :meth:`off_thread` was asked (the latest is answered).
        self._asked: dict[str, int] = {}

    def off_thread(
        self,
        group: str,
        ask: Callable[[], AnswerT],
        then: Callable[[AnswerT | Refusal], None],
    ) -> None:
        """Ask the services in a worker thread, then hand the answer (or the refusal) to
        ``then`` on the UI thread. Only the latest call of a ``group`` is answered: a preview
        asked before another key was typed is dropped when it arrives."""
        asked = self._asked[group] = self._asked.get(group, 0) + 1

        def run() -> None:
            answer: AnswerT | Refusal
            try:
                answer = ask()
            except REFUSALS as exc:
                answer = exc
            self.app.call_from_thread(self._answer, group, asked, then, answer)

        self.run_worker(run, thread=True, group=group, name=group)

    def drop(self, group: str) -> None:
        """Drop the answer still to come of ``group`` (the fields changed since it was asked)."""
        self._asked[group] = self._asked.get(group, 0) + 1

    def _answer(
        self,
        group: str,
        asked: int,
        then: Callable[[AnswerT | Refusal], None],
        answer: AnswerT | Refusal,
    ) -> None:
        # Both the asking and the answering happen on the UI thread: no race between them.
        if self.is_attached and self._asked.get(group) == asked:
            then(answer)


class ReadsFirst(OffThread[ResultT]):
    """A modal form drawn once :meth:`read` has run in a worker thread."""

    #: What the one line says while reading.
    READING = "Reading the agreement…"
    #: The dialog's classes while reading (the form's own, so it opens where the form will be).
    DIALOG_CLASSES = "dialog"

    read_error: Refusal | None = None
    #: False until the read is done; ``is_ready``, until the form is drawn and :meth:`ready` ran.
    has_read = False
    is_ready = False

    def read(self) -> None:
        """Read what the form needs (in a worker thread: no widget may be touched here). May
        raise one of :data:`REFUSALS`, which goes to ``read_error``."""

    def compose_form(self) -> ComposeResult:
        """The form itself, composed once :meth:`read` is done."""
        yield from ()

    def ready(self) -> None:
        """The form is drawn: focus its first field, show ``read_error`` or a first preview."""

    # -- the mechanism ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.has_read:
            yield from self.compose_form()
            return
        with Vertical(classes=f"{self.DIALOG_CLASSES} -reading"):
            yield Static(self.READING, classes="dialog-help", id="reading")

    def on_mount(self) -> None:
        if not self.has_read:
            self._read()

    @work(thread=True, exclusive=True, group="form-read")
    def _read(self) -> None:
        error: Refusal | None = None
        try:
            self.read()
        except REFUSALS as exc:
            error = exc
        self.app.call_from_thread(self._have_read, error)

    def _have_read(self, error: Refusal | None) -> None:
        if not self.is_attached:
            return  # closed while reading
        self.read_error = error
        self.has_read = True
        self.call_next(self._draw)

    async def _draw(self) -> None:
        await self.recompose()
        self.ready()
        self.is_ready = True
