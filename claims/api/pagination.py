"""Keyset ("cursor") pagination on (ordering field, id): no COUNT(*), no OFFSET.

A cursor names the last row seen as (value, id), so rows inserted meanwhile
never shift a page, and a deep page costs the same as the first (an index
range scan). Views list what clients may order by in ``keyset_orderings``
(public name -> model field); ``id`` always breaks ties, in the same direction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100
CURSOR_SALT = "claims.api.cursor"


def rows_after(queryset: QuerySet, field: str, value: Any, pk: int, *, descending: bool) -> QuerySet:
    """Rows after (value, pk) in (field, id) order.

    Written as ``field <= value AND (field < value OR id < pk)`` rather than a
    plain OR, so PostgreSQL can start its index range scan at the cursor.
    """
    op, op_eq = ("lt", "lte") if descending else ("gt", "gte")
    if field == "id":
        return queryset.filter(**{f"id__{op}": pk})
    return queryset.filter(
        Q(**{f"{field}__{op_eq}": value}) & (Q(**{f"{field}__{op}": value}) | Q(**{f"id__{op}": pk}))
    )


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"
    max_page_size = MAX_PAGE_SIZE

    def _orderings(self, view: Any) -> tuple[dict[str, str], str]:
        return getattr(view, "keyset_orderings", {"id": "id"}), getattr(view, "keyset_default", "-id")

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return api_settings.PAGE_SIZE or 50
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": "A whole number from 1 to 100."}) from None
        if size < 1:
            raise ValidationError({"page_size": "A whole number from 1 to 100."})
        return min(size, self.max_page_size)  # above the cap: the cap, as DRF does

    def _decode(self, raw: str, ordering: str, model: Any, field: str) -> tuple[Any, int, bool]:
        # Cursors are signed with the secret key: any cursor we did not issue is refused here,
        # before its values can reach a query. The checks after it are belts and braces.
        try:
            data = signing.loads(raw, salt=CURSOR_SALT)
            if not isinstance(data, dict) or data.get("o") != ordering:
                raise ValueError("cursor of another ordering")
            pk = data["i"]
            if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**63:
                raise ValueError("not an id")
            value = model._meta.get_field(field).to_python(data["v"]) if field != "id" else pk
            if isinstance(value, datetime):
                value = value.astimezone(UTC)  # PostgreSQL refuses offsets past ±15:59
            if value is None or "\x00" in str(value):
                raise ValueError("empty position")
            return value, pk, data.get("r") is True
        except (signing.BadSignature, ValueError, TypeError, KeyError, OverflowError, DjangoValidationError):
            raise ValidationError(
                {"cursor": "Invalid cursor; use the next/previous links as given, with the same ordering."}
            ) from None

    def _encode(self, obj: Any, field: str, reverse: bool) -> str:
        value = getattr(obj, field)
        payload = {"o": self.ordering, "v": value.isoformat() if hasattr(value, "isoformat") else value, "i": obj.pk}
        if reverse:
            payload["r"] = True
        return signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any]:
        orderings, default = self._orderings(view)
        self.request = request
        self.ordering = request.query_params.get(self.ordering_query_param) or default
        name = self.ordering.removeprefix("-")
        if name not in orderings:
            allowed = ", ".join(sorted(orderings))
            raise ValidationError({"ordering": f"Order by one of: {allowed} (prefix - for descending)."})
        self.field = field = orderings[name]
        descending = self.ordering.startswith("-")
        page_size = self._page_size(request)
        raw_cursor = request.query_params.get(self.cursor_query_param)
        position = self._decode(raw_cursor, self.ordering, queryset.model, field) if raw_cursor else None
        reverse = bool(position and position[2])
        # Walking backwards: flip the direction, take the rows before the cursor, flip them back.
        walk_desc = descending != reverse
        sign = "-" if walk_desc else ""
        keys = [f"{sign}{field}", f"{sign}id"] if field != "id" else [f"{sign}id"]
        queryset = queryset.order_by(*keys)
        if position:
            queryset = rows_after(queryset, field, position[0], position[1], descending=walk_desc)
        rows = list(queryset[: page_size + 1])
        more = len(rows) > page_size
        rows = rows[:page_size]
        if reverse:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = position is not None, more
        self.rows = rows
        return rows

    def _link(self, obj: Any, reverse: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(obj, self.field, reverse))

    def get_next_link(self) -> str | None:
        return self._link(self.rows[-1], reverse=False) if self.has_next and self.rows else None

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:  # walked past the end: back to the start
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self._link(self.rows[0], reverse=True)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        orderings, default = self._orderings(view)
        choices = sorted([*orderings, *(f"-{name}" for name in orderings)])
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Position from a previous response's next/previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {api_settings.PAGE_SIZE}; larger values are capped at "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": f"Sort order, ties broken by id in the same direction (default {default}).",
                "schema": {"type": "string", "enum": choices},
            },
        ]
