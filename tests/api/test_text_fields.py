"""Text fields take text only: a number, boolean, list or object sent for one is a 400 naming it.

The class, not the instance: every writable text field of every serializer in
``claims.api`` must be one of ``claims.api.fields``' text-only fields.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from rest_framework import serializers

import claims.api
from claims.api.fields import StringsOnly
from tests.factories import ClaimFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _api_serializers() -> list[type[serializers.Serializer]]:
    found = []
    for info in pkgutil.iter_modules(claims.api.__path__, prefix="claims.api."):
        module = importlib.import_module(info.name)
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, serializers.Serializer)
            and cls.__module__ == module.__name__
            # Abstract bases (a ModelSerializer without Meta) are checked through their subclasses.
            and not (issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta"))
        ]
    return found


def _text_fields(field: serializers.Field, name: str):
    if isinstance(field, serializers.ListField):
        yield from _text_fields(field.child, f"{name}[]")
    elif isinstance(field, serializers.CharField):
        yield name, field


def test_every_writable_text_field_of_the_api_takes_text_only():
    plain = []
    checked = 0
    for cls in _api_serializers():
        for name, field in cls().fields.items():
            if field.read_only:
                continue
            for where, text_field in _text_fields(field, name):
                checked += 1
                if not isinstance(text_field, StringsOnly):
                    plain.append(f"{cls.__module__}.{cls.__name__}.{where}")
    assert checked > 20  # the walk still finds the API's text fields
    assert not plain, f"text fields that would store a number as text: {plain}"


@pytest.mark.parametrize("value", [123, 1.5, True, ["x"], {"x": 1}])
def test_a_non_string_for_a_text_field_is_a_400_naming_it(editor_api, value):
    claimant = OrganisationFactory()
    answer = editor_api.post("/api/claims/", {"text": value, "claimant": claimant.pk}, format="json")
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["text"]
    assert "Send text here" in answer.json()["errors"][0]["message"]


def test_numbers_are_refused_on_model_and_hand_declared_fields_alike(editor_api):
    claim = ClaimFactory()
    etag = editor_api.get(f"/api/claims/{claim.pk}/")["ETag"]
    cases = [
        ("/api/claimants/", {"name": 42, "kind": "organisation"}, "name"),
        ("/api/sources/", {"name": "Wire", "kind": "web", "url": 7}, "url"),
        ("/api/intakes/", {"text": 0}, "text"),
        (f"/api/claims/{claim.pk}/status/", {"status": "disputed", "rationale": 5}, "rationale"),
    ]
    for path, body, field in cases:
        answer = editor_api.post(path, body, format="json", HTTP_IF_MATCH=etag)
        assert answer.status_code == 400, (path, answer.content)
        assert field in [e["field"] for e in answer.json()["errors"]], (path, answer.json())
