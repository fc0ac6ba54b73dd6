"""Writing settings: every change in one transaction with its audit entry."""

from registry import audit
from registry.db import write_transaction
from registry.models import Setting, utcnow
from registry.settings.store import SETTING_KEYS, load_settings


def save_settings(values, actor=None):
    """Store the changed settings of `values` and audit them; return the changed keys."""
    unknown = set(values) - set(SETTING_KEYS)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    with write_transaction():
        current = load_settings()
        changed = sorted(key for key, value in values.items() if current[key] != value)
        for key in changed:
            updated = (Setting.update(value=values[key], updated_at=utcnow())
                       .where(Setting.key == key).execute())
            if not updated:
                Setting.create(key=key, value=values[key])
        if changed:
            audit.record("settings.changed", summary=f"Changed {', '.join(changed)}",
                         details={"keys": changed}, actor=actor)
    return changed
