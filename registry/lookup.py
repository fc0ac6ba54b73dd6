"""The one way a view finds the row its URL names: the row, or a 404 page."""

from flask import abort


def get_or_404(model, row_id):
    """Return the row of `model` with id `row_id`, or answer 404 (the same for any role, so an
    id's existence is not revealed by a different answer)."""
    row = model.get_or_none(model.id == row_id)
    if row is None:
        abort(404)
    return row
