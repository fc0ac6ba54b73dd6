"""The API's Pydantic models: what each resource reads as, and the shared envelopes.

A resource's model is built from its peewee model and the list of columns the API shows
(`row_model`), so a column's type and nullability are stated once, in registry.models; the
choices a column may hold are given here as Literal types. Instants are UTC with an offset
(RFC 3339), dates are ISO days, and a foreign key reads as `<name>_id`.
"""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    TextField,
)
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
    field_validator,
)
from werkzeug.datastructures import FileStorage

from registry.fields import DateField, DateTimeField
from registry.models import JSONListField

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class Strict(BaseModel):
    """A request model: members it does not name are refused, not ignored; so is a NUL
    character in any text (PostgreSQL cannot store one; no form field ever needs it)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text may not contain a NUL character")
        return value


class PageQuery(Strict):
    """Cursor pagination: `cursor` from the previous page's `next_cursor`, at most `limit` items."""

    cursor: Annotated[str | None, Field(max_length=200, description=(
        "The `next_cursor` of the previous page; omit for the first page."))] = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Items per page.")] = \
        DEFAULT_LIMIT


Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
# The forms take any date; dates outside these years are typing errors (and their instants
# have no RFC 3339 offset in the time zone's history).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plausible(day):
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"use a date between {FIRST_DAY} and {LAST_DAY}")
    return day


def _written_as_text(value):
    # Pydantic would read a number (or "1700000000") as a Unix time; a date is "YYYY-MM-DD".
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("write the date as YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_written_as_text), AfterValidator(_plausible)]


def _a_file(value):
    if not isinstance(value, FileStorage):
        raise ValueError("send the PDF as a file part of the multipart body")
    return value


# A file part of a multipart/form-data body: the PDF is checked by content afterwards
# (registry.documents.check_upload), as a web form's upload is.
Pdf = Annotated[Any, AfterValidator(_a_file), WithJsonSchema({
    "type": "string", "format": "binary", "contentMediaType": "application/pdf",
    "description": "One PDF file (checked by its content, not its name or media type)."})]


def _python_type(field):
    if isinstance(field, ForeignKeyField):
        return int
    if isinstance(field, JSONListField):
        return list[str]
    if isinstance(field, DateTimeField):
        return datetime
    if isinstance(field, DateField):
        return date
    if isinstance(field, BooleanField):
        return bool
    if isinstance(field, IntegerField | BigIntegerField):
        return int
    if isinstance(field, CharField | TextField):
        return str
    raise TypeError(f"no API type for {field!r}")


def api_name(field):
    """Return the member name of a column: `<name>_id` for a foreign key."""
    return f"{field.name}_id" if isinstance(field, ForeignKeyField) else field.name


def row_model(name, model, columns, choices=None, extra=None):
    """Return a Pydantic model `name` for `columns` of the peewee `model` (plus `id`)."""
    choices = choices or {}
    members = {"id": (int, ...)}
    for column in columns:
        field = model._meta.fields[column]
        kind = Literal[choices[column]] if column in choices else _python_type(field)
        members[api_name(field)] = (kind | None, ...) if field.null else (kind, ...)
    members.update(extra or {})
    return create_model(name, **members)


def page_model(item_model):
    """Return the model of a page of `item_model`s."""
    return create_model(f"{item_model.__name__}Page", items=(list[item_model], ...),
                        next_cursor=(str | None, Field(..., description=(
                            "Pass as `cursor` for the next page; null on the last page."))))


def _utc(value):
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def row_values(row, model_class):
    """Return the members of `model_class` read from a peewee row (naive instants are UTC)."""
    values = {}
    for name in model_class.model_fields:
        column = name[:-3] if name.endswith("_id") and name != "id" else name
        if name.endswith("_id") and name != "id":
            value = getattr(row, f"{column}_id", None)
            if value is None and not hasattr(row, f"{column}_id"):
                value = getattr(row, name, None)
        else:
            value = getattr(row, name, None)
        values[name] = _utc(value)
    return values


def serialise(row, model_class, **extra):
    """Return `row` as its API model (validated: the document's schema holds for it)."""
    return model_class.model_validate({**row_values(row, model_class), **extra})


class Problem(BaseModel):
    """An error (RFC 9457 problem details)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: dict[str, list[str]] | None = Field(None, description=(
        "For 422: the messages of each invalid member, by its name."))
