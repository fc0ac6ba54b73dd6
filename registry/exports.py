"""Read-only CSV and JSON downloads: one response shape for every export of the registry."""

from flask import Response

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def attachment(body, filename, kind):
    """Return `body` (a CSV or JSON export) as a download that is never cached nor sniffed."""
    return Response(body, content_type=MEDIA_TYPES[kind], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })
