"""Every form's Cancel button closes it, writing nothing, and its Save (or the question's yes)
is the button that does what the form is for: each runs its screen's action
(``tui/widgets/buttons.py``), so a form that forgot one would leave a dead button."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import BAKER, HECLA
from textual.screen import ModalScreen
from textual.widgets import Button
from ui_support import SMALL, click, on_screen, settle

from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.tui.modals.amend import AmendModal
from comp_tracker.tui.modals.change_control import ChangeInControlModal
from comp_tracker.tui.modals.clone import CloneModal
from comp_tracker.tui.modals.export import ExportModal
from comp_tracker.tui.modals.export_file import ReplaceFileModal
from comp_tracker.tui.modals.new_agreement import NewAgreementModal
from comp_tracker.tui.modals.payment import PaymentModal
from comp_tracker.tui.modals.terminate import TerminateModal
from comp_tracker.tui.modals.void import VoidModal
from comp_tracker.tui.modals.whatif_parts import ConfirmRecordModal

FORMS: dict[str, Callable[[Path], ModalScreen[Any]]] = {
    "payment": lambda _home: PaymentModal(BAKER),
    "termination": lambda _home: TerminateModal(BAKER),
    "change in control": lambda _home: ChangeInControlModal(HECLA),
    "amendment": lambda _home: AmendModal(BAKER),
    "void": lambda _home: VoidModal(BAKER),
    "clone": lambda _home: CloneModal(BAKER),
    "new agreement": lambda _home: NewAgreementModal(),
    "export": lambda home: ExportModal(home),
    "replace the file": lambda home: ReplaceFileModal(home / "q3.csv"),
    "record the what-if": lambda _home: ConfirmRecordModal(["Payment of 1.00 on 2002-07-01"]),
}


@pytest.mark.parametrize("name", FORMS)
async def test_cancel_closes_the_form_and_writes_nothing(app, context, tmp_path, name):
    audit_before = history_of(context, BAKER).audit
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        home = on_screen(pilot)
        results: list[Any] = []
        form = FORMS[name](tmp_path)
        pilot.app.push_screen(form, results.append)
        await settle(pilot)
        assert on_screen(pilot) is form
        form.query_one("#cancel", Button).scroll_visible(animate=False)
        await settle(pilot)
        await click(pilot, "#cancel")
        await settle(pilot)
        assert on_screen(pilot) is home
        assert results == [False]
    assert history_of(context, BAKER).audit == audit_before


@pytest.mark.parametrize(
    ("form", "yes"),
    [
        (ReplaceFileModal(Path("q3.csv")), "#replace"),
        (ConfirmRecordModal(["Payment of 1.00 on 2002-07-01"]), "#confirm"),
    ],
    ids=["replace the file", "record the what-if"],
)
async def test_the_questions_yes_answers_true(app, form, yes):
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        results: list[Any] = []
        pilot.app.push_screen(form, results.append)
        await settle(pilot)
        await click(pilot, yes)
        await settle(pilot)
        assert results == [True]
