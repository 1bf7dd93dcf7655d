"""Shared fixtures: the Baker agreement as the exhibit has it."""

from __future__ import annotations

import pytest
from support import BAKER_FILE

from comp_tracker.domain import AgreementFile, load_agreement


@pytest.fixture(scope="session")
def baker() -> AgreementFile:
    return load_agreement(BAKER_FILE)
