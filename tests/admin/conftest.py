"""Fixtures for the admin tests: plain static files, more logged-in clients, and form scraping."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client


@pytest.fixture(autouse=True)
def plain_static_storage(settings) -> None:
    # Admin pages name static files; the manifest storage needs collectstatic,
    # which a test run does not do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def checker_client(fact_checker) -> Client:
    return _client_for(fact_checker)


@pytest.fixture
def viewer_client(viewer) -> Client:
    return _client_for(viewer)


def form_data(response: HttpResponse, form_id: str) -> dict[str, Any]:
    """What a browser would submit from the form ``form_id`` of a rendered page, unchanged."""
    assert response.status_code == 200, response.status_code
    document = lxml.html.fromstring(response.content.decode())
    (form,) = document.xpath(f'//form[@id="{form_id}"]')
    data: dict[str, Any] = {}
    for name, value in form.form_values():
        if name in data:  # repeated names (selected rows) are submitted as a list
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data


def change_form(client: Client, url: str, button: str = "_save", **changes: Any) -> dict[str, Any]:
    """The claim change form as loaded from ``url``, with ``changes`` applied and a save button pressed.

    ``button="_continue"`` is "Save and continue editing": the answer is the change page again.
    """
    data = form_data(client.get(url), "claim_form")
    data.update(changes)
    data[button] = "Save"
    return data


def messages_of(response: HttpResponse) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def inline_rows(response: HttpResponse, group_id: str) -> list[dict[str, str]]:
    """The rows of a tabular inline as shown: ``{"who": "editor", ...}`` by column."""
    document = lxml.html.fromstring(response.content.decode())
    rows = []
    for tr in document.xpath(f'//div[@id="{group_id}"]//tbody/tr[contains(@class, "form-row")]'):
        cells = {}
        for td in tr.xpath("./td[starts-with(@class, 'field-')]"):
            name = td.get("class").split()[0].removeprefix("field-")
            cells[name] = " ".join(td.text_content().split())
        if cells:
            rows.append(cells)
    return rows
