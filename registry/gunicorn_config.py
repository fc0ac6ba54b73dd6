"""gunicorn settings for dpa-registry (`pip install 'dpa-registry[gunicorn]'`):

    gunicorn -c python:registry.gunicorn_config --bind 127.0.0.1:8000 --workers 2

Each worker process builds its own app with `create_app()` from the same REGISTRY_* variables
as `dpa-registry serve`, and serves it from `threads` threads. Options given on the command
line win over these.

REGISTRY_PROXY_HOPS decides which forwarded headers count, as it does under `serve`: the app's
ProxyFix reads X-Forwarded-For/-Proto/-Host as added by that many proxies. gunicorn itself
believes a forwarded scheme only from `forwarded_allow_ips`, so it trusts every peer when the
app trusts proxies (bind it where only the proxy reaches it) and none when the app trusts none.
"""

from registry import config as configuration

_proxy_hops = configuration.from_environment().get("PROXY_HOPS", 0)

wsgi_app = "registry:create_app()"
worker_class = "gthread"
threads = 8
forwarded_allow_ips = "*" if _proxy_hops else ""
# The control socket (gunicornc) is not used; two servers of one user would share its path.
control_socket_disable = True


def post_worker_init(worker):
    """Deliver the mail outbox and the webhooks from each worker process, as `dpa-registry
    serve` does, unless REGISTRY_MAIL_DELIVERY / REGISTRY_WEBHOOK_DELIVERY=worker (then a
    `dpa-registry worker` delivers them)."""
    from registry.mail.background import BackgroundDelivery
    from registry.webhooks.background import BackgroundWebhooks

    app = worker.wsgi
    if app.config["MAIL_DELIVERY"] == "serve":
        worker.mail_delivery = BackgroundDelivery(app).start()
    if app.config["WEBHOOK_DELIVERY"] == "serve":
        worker.webhook_delivery = BackgroundWebhooks(app).start()


def worker_exit(server, worker):
    """Stop the delivery threads: each finishes the item in flight and gives back the rest."""
    from registry.background import STOP_TIMEOUT_SECONDS

    for name in ("mail_delivery", "webhook_delivery"):
        delivery = getattr(worker, name, None)
        if delivery is not None:
            delivery.stop(STOP_TIMEOUT_SECONDS)
