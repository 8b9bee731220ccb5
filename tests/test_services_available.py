"""The full suite runs on the real services; it fails (never skips) when they are missing."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql", f"DATABASE_URL must point at PostgreSQL, got {connection.vendor}"


def test_redis_is_the_broker_and_answers():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "REDIS_URL must be set for the full suite"
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping() is True
