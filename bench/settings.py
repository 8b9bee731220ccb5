"""The production settings plus one bare view to compare the API with (``bench/urls.py``)."""

from __future__ import annotations

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
