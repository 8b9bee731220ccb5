"""Text fields that take text only.

DRF's CharField turns a number into a string ("text": 123 is stored as "123"),
which hides client bugs. Every text field of the API is one of these, through
``BlankAwareModelSerializer``'s field mapping and the explicit declarations.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}


class StringsOnly:
    default_error_messages = {"not_a_string": "Send text here (a JSON string), not {kind}."}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("not_a_string", kind=_JSON_KINDS.get(type(data), "that"))  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class CharField(StringsOnly, serializers.CharField):
    pass


class URLField(StringsOnly, serializers.URLField):
    pass


class EmailField(StringsOnly, serializers.EmailField):
    pass


class SlugField(StringsOnly, serializers.SlugField):
    pass


STRICT_TEXT_FIELDS: dict[type[models.Field], type[serializers.Field]] = {
    models.CharField: CharField,
    models.TextField: CharField,
    models.URLField: URLField,
    models.EmailField: EmailField,
    models.SlugField: SlugField,
}
