"""Signed webhooks: admins register receivers for registry events (docs/webhooks.md)."""
