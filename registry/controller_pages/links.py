"""Issuing, revoking and finding controllers' capability links, and counting their views.

At most one link per controller is active; issuing a new one ends the old one in the same
transaction. Every issue and revocation writes its audit event (never the token itself).
"""

import hashlib
from dataclasses import dataclass

from peewee import fn

from registry import audit
from registry.controller_pages import tokens
from registry.db import write_transaction
from registry.mail import external_url
from registry.models import Controller, ControllerLink, ControllerLinkVisitor, utcnow


@dataclass(frozen=True)
class LinkUse:
    """What legal staff see of a controller's active link."""

    link: ControllerLink
    url: str | None
    visitors: int


def page_url(token):
    """Return the absolute address of the page a token opens (under BASE_URL)."""
    return external_url("controller_pages.show_page", token=token)


def active_link(controller_id):
    """Return the controller's active link, or None."""
    return (ControllerLink.select()
            .where((ControllerLink.controller == controller_id)
                   & ControllerLink.revoked_at.is_null())
            .order_by(ControllerLink.id.desc())
            .first())


def find_link(token):
    """Return the active link whose token is `token` (compared by hash), or None."""
    if not tokens.plausible(token):
        return None
    return ControllerLink.get_or_none(
        (ControllerLink.token_hash == tokens.token_hash(token))
        & ControllerLink.revoked_at.is_null())


def _revoke_active(controller, actor, now):
    ended = list(ControllerLink.select(ControllerLink.id)
                 .where((ControllerLink.controller == controller.id)
                        & ControllerLink.revoked_at.is_null()))
    if not ended:
        return 0
    ControllerLink.update(revoked_at=now, revoked_by=_user_id(actor)).where(
        ControllerLink.id.in_([link.id for link in ended])).execute()
    audit.record("controller_link.revoked", controller,
                 f"Link to {controller.name}'s page revoked",
                 {"links": [link.id for link in ended]}, actor=actor)
    return len(ended)


def _user_id(actor):
    return getattr(actor, "id", None) if not isinstance(actor, str) else None


def issue_link(controller, actor):
    """Issue a new link for `controller`, ending the active one; return its token."""
    token = tokens.new_token()
    with write_transaction():
        now = utcnow()
        _revoke_active(controller, actor, now)
        link = ControllerLink.create(controller=controller.id, token_hash=tokens.token_hash(token),
                                     token_encrypted=tokens.encrypt(token), issued_at=now,
                                     issued_by=_user_id(actor))
        audit.record("controller_link.issued", controller,
                     f"Link to {controller.name}'s page issued", {"link": link.id}, actor=actor)
    return token


def revoke_link(controller, actor):
    """End the controller's active link; return how many were ended (0 or 1)."""
    with write_transaction():
        return _revoke_active(controller, actor, utcnow())


def current_token(controller, actor):
    """Return the token of the controller's active link, issuing one when there is none.

    A link whose encrypted copy this TOTP_KEY cannot read (the key was rotated) cannot be
    printed or mailed again: it is replaced.
    """
    link = active_link(controller.id)
    if link is not None:
        try:
            return tokens.decrypt(link.token_encrypted)
        except tokens.UnreadableToken:
            pass
    return issue_link(controller, actor)


def mail_url(controller_id):
    """Return the page address a notice e-mail to a controller carries (issuing it if needed).

    Called while the e-mail is built, after the notice was recorded: a controller that has
    no link yet gets one then, with its audit event.
    """
    return page_url(current_token(Controller.get_by_id(controller_id), "system"))


def link_use(controller_id, with_url):
    """Return what legal staff see of the active link (its address only `with_url`), or None."""
    link = active_link(controller_id)
    if link is None:
        return None
    url = None
    if with_url:
        try:
            url = page_url(tokens.decrypt(link.token_encrypted))
        except tokens.UnreadableToken:
            url = None
    return LinkUse(link=link, url=url, visitors=visitor_count(link.id))


def _address_hash(link, address):
    # Addresses are only counted: kept as a hash bound to the link, never in the clear.
    return hashlib.sha256(f"{link.id}:{address}".encode()).hexdigest()


def record_view(link, address):
    """Count one view of `link` from `address` (the client's IP)."""
    now = utcnow()
    with write_transaction():
        ControllerLink.update(view_count=ControllerLink.view_count + 1, last_seen_at=now).where(
            ControllerLink.id == link.id).execute()
        (ControllerLinkVisitor
         .insert(link=link.id, address_hash=_address_hash(link, address or ""),
                 first_seen_at=now, last_seen_at=now, views=1)
         .on_conflict(conflict_target=[ControllerLinkVisitor.link,
                                       ControllerLinkVisitor.address_hash],
                      update={ControllerLinkVisitor.last_seen_at: now,
                              ControllerLinkVisitor.views: ControllerLinkVisitor.views + 1})
         .execute())


def visitor_count(link_id):
    """Return how many distinct addresses opened the link."""
    return (ControllerLinkVisitor.select(fn.COUNT(ControllerLinkVisitor.id))
            .where(ControllerLinkVisitor.link == link_id).scalar())
