"""The read-only side of every stored resource: a page of a list, and one item by id.

Each resource is a `Resource` (model, API schema, filters, who may read it); `register` adds
its two operations. A subcontractor user's token sees only its own company's rows, through the
portal's scoping functions (registry.portal.access); any parameter that names another company
is refused as the portal refuses it.
"""

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from registry.api import pagination
from registry.api.endpoints import json_response, operation
from registry.api.problems import Problem
from registry.api.schemas import PageQuery, page_model, serialise
from registry.portal.access import current_subcontractor, own_incidents, refuse_foreign_parameters


@dataclass(frozen=True)
class Resource:
    """One stored resource the API reads."""

    path: str
    singular: str
    tag: str
    model: type
    schema: type
    filters: type = PageQuery
    roles: tuple = ()
    tenant: str | None = None  # how a subcontractor user's rows are found: a column, "incident"
    label: str = ""  # one item, as people say it ("DPA", "subject request")

    @property
    def one(self):
        return self.label or self.singular.replace("_", " ")

    @property
    def page_schema(self):
        return page_model(self.schema)


def filter_model(name, **members):
    """Return a PageQuery with optional equality filters `members` (name -> type)."""
    from pydantic import create_model

    fields = {member: (kind | None, None) for member, kind in members.items()}
    return create_model(name, __base__=PageQuery, **fields)


def etag_of(row):
    """Return the strong entity tag of a versioned row (its row_version)."""
    return f'"r{row.row_version}"' if hasattr(row, "row_version") else None


def scoped(resource, query):
    """Narrow `query` to what the current token's owner may read."""
    if current_user.role != "subcontractor":
        return query
    refuse_foreign_parameters()
    company = current_subcontractor()
    if resource.tenant == "incident":
        own = own_incidents(company).select(resource.model.id)
        return query.where(resource.model.id.in_(own))
    if resource.tenant is None:
        abort(403)
    return query.where(getattr(resource.model, resource.tenant) == company.id)


def _filtered(resource, query, filters):
    model = resource.model
    for name in type(filters).model_fields:
        value = getattr(filters, name)
        if name in ("cursor", "limit") or value is None:
            continue
        column = getattr(model, name[:-3] if name.endswith("_id") else name)
        query = query.where(column == value)
    return query


def get_row(resource, row_id):
    """Return the row `row_id` the token's owner may read, or answer 404."""
    row = scoped(resource, resource.model.select()).where(resource.model.id == row_id).first()
    if row is None:
        raise Problem(404)
    return row


def row_response(resource, row, status=200, headers=None):
    """Answer with one row as its schema, with the ETag of its version."""
    return json_response(serialise(row, resource.schema), status, headers, etag_of(row))


def register(blueprint, resource):
    """Add the list and get operations of `resource` to `blueprint`."""
    item_name = f"get_{resource.singular}"
    id_name = f"{resource.singular}_id"

    def list_view(query):
        rows = _filtered(resource, scoped(resource, resource.model.select()), query)
        page, next_cursor, headers = pagination.keyset(rows, resource.model, query)
        body = {"items": [serialise(row, resource.schema).model_dump(mode="json")
                          for row in page], "next_cursor": next_cursor}
        return json_response(body, headers=headers)

    def item_view(**path):
        return row_response(resource, get_row(resource, path[id_name]))

    list_view.__name__, item_view.__name__ = f"list_{resource.path}", item_name
    title = resource.path.replace("_", " ").replace("dpas", "DPAs")
    operation(blueprint, "GET", f"/{resource.path.replace('_', '-')}", tag=resource.tag,
              roles=resource.roles, query=resource.filters, response=resource.page_schema,
              summary=f"List {title}", errors=(400, 422))(list_view)
    operation(blueprint, "GET", f"/{resource.path.replace('_', '-')}/<int:{id_name}>",
              tag=resource.tag, roles=resource.roles, response=resource.schema,
              summary=f"Read one {resource.one}", errors=(404,))(item_view)

