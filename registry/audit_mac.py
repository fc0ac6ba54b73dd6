"""Keyed MACs that anchor the audit chain: no Flask and no models, so a migration can use them.

The chain's SHA-256 hashes show an edit only to someone who did not recompute them; a MAC needs
REGISTRY_AUDIT_KEY, which lives outside the database. Each event's MAC covers its hash, and the
hash covers the previous hash, so one valid MAC vouches for the whole chain before it. A MAC is
stored as "<key id>:<hex>", the key id naming which key made it, so that after a rotation the
older events still verify with the previous key.
"""

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_ID_LENGTH = 8


def derive(key_material):
    """Return the 32-byte MAC key derived (HKDF-SHA256) from REGISTRY_AUDIT_KEY."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"dpa-registry audit mac v1").derive(key_material.encode())


def key_id(key_material):
    """Return the short public name of a key (the start of a hash of its derived form)."""
    return hashlib.sha256(derive(key_material)).hexdigest()[:KEY_ID_LENGTH]


def _digest(key_material, message):
    return hmac.new(derive(key_material), message.encode(), hashlib.sha256).hexdigest()


def event_mac(key_material, event_hash):
    """Return the stored MAC of an event whose chain hash is `event_hash`."""
    return f"{key_id(key_material)}:{_digest(key_material, 'event:' + event_hash)}"


def head_mac(key_material, event_id, event_hash):
    """Return the MAC of an exported head: the newest event's id and hash."""
    return _digest(key_material, f"head:{event_id}:{event_hash}")


def mac_matches(stored, expected):
    """Compare two MACs in constant time."""
    return hmac.compare_digest((stored or "").encode(), expected.encode())
