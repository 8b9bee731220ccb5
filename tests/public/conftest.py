"""The public pages' fixture: see tests/public/desk.py."""

from __future__ import annotations

import pytest

from tests.public.desk import Desk, build_desk


@pytest.fixture
def desk(db, settings) -> Desk:
    return build_desk(settings)
