"""Readiness checks: can this process serve requests now? Each returns (passed, detail).

Liveness (/healthz) needs none of them: a process that answers is alive, and restarting it
would not bring the database back.
"""

import logging

import redis
from flask import current_app
from peewee import PeeweeException

from registry import migrate
from registry.extensions import database
from registry.mail import outbox

log = logging.getLogger(__name__)
REDIS_SCHEMES = ("redis://", "rediss://")
REDIS_TIMEOUT_SECONDS = 2


def check_database():
    """Run SELECT 1 (bounded by the connect and statement timeouts)."""
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("SELECT 1")
    except PeeweeException as error:
        log.warning("readiness: database: %s", type(error).__name__)
        return False, "unreachable"
    return True, "ok"


def check_migrations():
    """Compare the applied migrations with those this code ships."""
    try:
        waiting = migrate.pending()
    except PeeweeException as error:
        log.warning("readiness: migrations: %s", type(error).__name__)
        return False, "unknown: the database did not answer"
    if waiting:
        return False, f"{len(waiting)} pending: run `dpa-registry db upgrade`"
    return True, "ok"


def check_redis():
    """Ping the rate-limit Redis when RATELIMIT_STORAGE_URI names one."""
    url = current_app.config["RATELIMIT_STORAGE_URI"]
    if not url.startswith(REDIS_SCHEMES):
        return True, "not used"
    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                  socket_timeout=REDIS_TIMEOUT_SECONDS)
    try:
        client.ping()
    except redis.RedisError as error:
        log.warning("readiness: redis: %s", type(error).__name__)
        return False, "unreachable"
    finally:
        client.close()
    return True, "ok"


def check_mail_outbox():
    """Report the mail outbox's backlog; informational: a backlog never makes a host unready."""
    try:
        queued, oldest = outbox.status_counts()["queued"], outbox.oldest_queued_age()
    except PeeweeException as error:
        log.warning("readiness: mail outbox: %s", type(error).__name__)
        return True, "unknown"
    age = f", the oldest for {int(oldest.total_seconds())} s" if oldest is not None else ""
    return True, f"{queued} queued{age}"


def readiness():
    """Run every check; return (ready, {name: detail}, [names of the checks that failed])."""
    results = {"database": check_database()}
    if results["database"][0]:
        results["migrations"] = check_migrations()
    else:
        results["migrations"] = (False, "unknown: the database did not answer")
    if results["migrations"][0]:
        results["mail_outbox"] = check_mail_outbox()
    results["redis"] = check_redis()
    failed = [name for name, (passed, _detail) in results.items() if not passed]
    return not failed, {name: detail for name, (_passed, detail) in results.items()}, failed
