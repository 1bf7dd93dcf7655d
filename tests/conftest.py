"""Shared fixtures: the Baker agreement as the exhibit has it; Hypothesis profiles."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings
from support import BAKER_FILE

from comp_tracker.domain import AgreementFile, load_agreement

# In CI every run draws the same examples, so a red build can be reproduced and a green one is
# not luck; on a developer's machine each run explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def baker() -> AgreementFile:
    return load_agreement(BAKER_FILE)
