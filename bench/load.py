"""Load the registry as its users would: signed-in staff over HTTP, with and without a writer.

Builds the benchmark registry (`generate.py`, default full size) in a fresh database (PostgreSQL
by default) through the normal importer, runs the alerts once, creates the users (legal staff
with a known password and TOTP secret, through the app's own functions), then starts
`--processes` real `dpa-registry serve` processes (waitress, `--threads` threads each) on
loopback ports. The client spreads requests over them round robin, each user with its own
cookies; every user signs in through the real password and TOTP forms (codes from pyotp). Each
user connects from its own loopback address (127.1.x.y), so the per-address sign-in limit sees
50 people, not one (`dpa-registry serve` cannot be told to trust X-Forwarded-For: waitress drops
it before REGISTRY_PROXY_HOPS could apply).

Phases, each bounded in time (at most 120 s) and reported with p50/p95/p99, errors and
throughput:

- open: an open loop (Poisson arrivals) of `--users` users each making one request every
  `--think` seconds on average (50 users, 2 s: about 25 requests/s) over the main pages
  (dashboard, controller list and detail, subcontractor list and detail, engagements and an
  engagement, review queue, alerts, audit trail). The latency of a request counts from the
  moment it was due to be sent, so a client that falls behind is not hidden;
- open+writer: the same, with one more user editing a controller's name through its edit form
  every `--write-every` seconds (the registry revision moves, so each process rebuilds its
  assessment once per write);
- closed, closed+writer: the saturation throughput, `--concurrency` clients each sending its
  next request as soon as the previous one answered (no think time), without and with the
  writer.

Targets (issue 14), on PostgreSQL with 2 processes: open+writer p95 < 300 ms and no errors; the
writer lowers the saturation throughput by at most 20 %.

    .venv/bin/python bench/load.py [--backend postgresql|sqlite] [--processes 2] [--duration 60]
        [--saturation-duration 30] [--users 50] [--concurrency 16] [--scale 1.0]

Traffic goes to 127.0.0.1 only; the servers are stopped at the end.
"""

import argparse
import asyncio
import itertools
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

import httpx  # noqa: E402
import pyotp  # noqa: E402
from generate import generate  # noqa: E402
from harness import backend_url, load, make_app  # noqa: E402

from registry.extensions import database  # noqa: E402

MAX_PHASE_SECONDS = 120
PHASES = ("open", "open+writer", "closed", "closed+writer")
SECRET = "bench"
PASSWORD = "quiet-harbour-lantern-orbit-7"
REQUEST_TIMEOUT = 30.0
# The main pages a signed-in staff member moves between; {controller} etc. are random ids.
PAGES = (
    ("dashboard", "/dashboard"),
    ("controller list", "/controllers?page={page}"),
    ("controller detail", "/controllers/{controller}"),
    ("subcontractor list", "/subcontractors"),
    ("subcontractor detail", "/subcontractors/{subcontractor}"),
    ("engagements", "/engagements"),
    ("engagement detail", "/engagements/{engagement}"),
    ("review queue", "/review"),
    ("alerts", "/alerts/"),
    ("audit trail", "/audit"),
)


# ---------------------------------------------------------------------------------------------
# The registry and its users


@dataclass(frozen=True)
class Account:
    """A user the load signs in: e-mail, TOTP secret, and the loopback address it comes from."""

    email: str
    secret: str
    address: str


@dataclass(frozen=True)
class Registry:
    """What the load needs to know of the registry: ids to visit and the accounts."""

    controllers: list
    subcontractors: list
    engagements: list
    accounts: list


def prepare(url, instance, scale, users):
    """Migrate, import generate(scale), run the alerts, create `users` + 1 accounts."""
    from registry.alerts.operations import send_alerts
    from registry.models import Controller, Engagement, Subcontractor
    from tests.factories import make_user, totp_secret

    app = make_app(url, instance)
    with app.app_context():
        database.connect(reuse_if_open=True)
        seconds = load(generate(scale))
        print(f"imported generate({scale}) in {seconds:.1f} s", flush=True)
        send_alerts()
        database.connect(reuse_if_open=True)
        accounts = []
        for number in range(users + 1):  # the last one is the writer
            user = make_user("legal", email=f"load{number}@bench.test", password=PASSWORD)
            accounts.append(Account(user.email, totp_secret(user),
                                    f"127.1.{number // 250}.{number % 250 + 1}"))
        registry = Registry(
            controllers=[row.id for row in Controller.select(Controller.id)],
            subcontractors=[row.id for row in Subcontractor.select(Subcontractor.id)],
            engagements=[row.id for row in Engagement.select(Engagement.id)],
            accounts=accounts,
        )
        database.close()
    return registry


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Servers:
    """`count` `dpa-registry serve` processes on loopback, all on one database."""

    def __init__(self, url, instance, count, threads):
        self.urls, self.processes, self.logs = [], [], []
        command = shutil.which("dpa-registry", path=str(Path(sys.executable).parent))
        environment = dict(
            os.environ, REGISTRY_DATABASE_URL=url, REGISTRY_SECRET_KEY=SECRET,
            REGISTRY_TOTP_KEY=SECRET, REGISTRY_INSTANCE_PATH=instance,
            REGISTRY_SECURE_COOKIES="false",
            # The checkout's registry package, even if another one is installed.
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT.parent),
                                                     os.environ.get("PYTHONPATH")])))
        for number in range(count):
            port = free_port()
            log = open(Path(instance) / f"server-{number}.log", "w+b")  # noqa: SIM115
            self.logs.append(log)
            self.urls.append(f"http://127.0.0.1:{port}")
            self.processes.append(subprocess.Popen(  # noqa: S603 - our own command
                [command, "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--threads", str(threads)],
                env=dict(environment, REGISTRY_BASE_URL=f"http://127.0.0.1:{port}"),
                stdout=log, stderr=subprocess.STDOUT))

    def wait_until_up(self, seconds=60):
        """Wait until every process answers /healthz; stop with its log if one does not."""
        deadline = time.monotonic() + seconds
        for url, process, log in zip(self.urls, self.processes, self.logs, strict=True):
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"server {url} exited:\n{log.read().decode()[-3000:]}")
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"server {url} did not start in {seconds} s")
                time.sleep(0.2)

    def stop(self):
        """Stop every process (SIGTERM, then SIGKILL after 10 s)."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        for log in self.logs:
            log.close()


# ---------------------------------------------------------------------------------------------
# HTTP


class FormParser(HTMLParser):
    """Collect each form's action and the values its fields would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._field, self._select = [], None, None

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "fields": {}})
        elif not self.forms or "name" not in attributes:
            if tag == "option" and self._select and "selected" in attributes:
                self.forms[-1]["fields"][self._select] = attributes.get("value", "")
        elif tag == "input" and attributes.get("type") not in {"submit", "checkbox", "radio"}:
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or ""
        elif tag == "input" and "checked" in attributes:
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or "y"
        elif tag == "textarea":
            self._field = attributes["name"]
            self.forms[-1]["fields"][self._field] = ""
        elif tag == "select":
            self._select = attributes["name"]
            self.forms[-1]["fields"].setdefault(self._select, "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._field = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._field:
            # A textarea's content starts after one newline the browser drops.
            fields = self.forms[-1]["fields"]
            fields[self._field] = (fields[self._field] + data).removeprefix("\n")


def form_fields(html, having):
    """Return the fields of the first form in `html` that has a field named `having`."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if having in form["fields"]:
            return dict(form["fields"])
    raise LookupError(f"no form with a field {having!r}")


class RoundRobin:
    """The servers' base URLs, one after the other."""

    def __init__(self, urls):
        self._next = itertools.cycle(urls)

    def __call__(self):
        return next(self._next)


async def sign_in(account, next_server):
    """Sign `account` in through /login and /login/totp; return its client (with the cookie)."""
    client = httpx.AsyncClient(
        timeout=REQUEST_TIMEOUT, headers={"User-Agent": "dpa-registry bench/load.py"},
        transport=httpx.AsyncHTTPTransport(local_address=account.address))
    base = next_server()
    page = await client.get(f"{base}/login")
    fields = form_fields(page.text, "password")
    fields.update(email=account.email, password=PASSWORD)
    answer = await client.post(f"{base}/login", data=fields)
    if answer.status_code != 302 or not answer.headers["location"].endswith("/login/totp"):
        raise SystemExit(f"{account.email}: password step answered {answer.status_code}")
    page = await client.get(f"{base}/login/totp")
    fields = form_fields(page.text, "code")
    fields["code"] = pyotp.TOTP(account.secret).now()
    answer = await client.post(f"{base}/login/totp", data=fields)
    if answer.status_code != 302 or "/login" in answer.headers["location"]:
        raise SystemExit(f"{account.email}: TOTP step answered {answer.status_code}")
    return client


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Phase:
    """What one phase measured."""

    name: str
    seconds: float = 0.0  # from the first request to the last answer
    sent: int = 0
    latencies: list = field(default_factory=list)  # (page, seconds) of answered requests
    errors: Counter = field(default_factory=Counter)  # kind -> count
    lags: list = field(default_factory=list)  # open loop: how late requests left the client
    writes: list = field(default_factory=list)  # seconds of each edit (GET form + POST)
    write_errors: Counter = field(default_factory=Counter)
    client_cpu: float = 0.0
    load_average: float = 0.0

    @property
    def throughput(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share, values=None):
        values = sorted(seconds for _, seconds in self.latencies) if values is None else values
        if not values:
            return float("nan")
        return values[min(len(values) - 1, max(0, round(share * len(values)) - 1))]


class Load:
    """The signed-in clients, the servers and the random choices of pages."""

    def __init__(self, registry, clients, writer, next_server, seed=14):
        self.registry, self.clients, self.writer = registry, clients, writer
        self.next_server, self.random = next_server, random.Random(seed)

    def page(self):
        name, path = self.random.choice(PAGES)
        return name, path.format(
            page=self.random.randint(1, 10),
            controller=self.random.choice(self.registry.controllers),
            subcontractor=self.random.choice(self.registry.subcontractors),
            engagement=self.random.choice(self.registry.engagements))

    async def request(self, phase, client, page, due):
        """GET one page; record its latency from `due` (loop time), or the error."""
        name, path = page
        try:
            response = await client.get(f"{self.next_server()}{path}")
        except httpx.HTTPError as error:
            phase.errors[type(error).__name__] += 1
            return
        if response.status_code != 200:
            phase.errors[f"HTTP {response.status_code} {name}"] += 1
            return
        phase.latencies.append((name, asyncio.get_running_loop().time() - due))

    async def write(self, phase):
        """Rename a random controller through its edit form (GET the form, POST it)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        controller = self.random.choice(self.registry.controllers)
        url = f"{self.next_server()}/controllers/{controller}/edit"
        try:
            form = await self.writer.get(url)
            fields = form_fields(form.text, "row_version")
            name = fields["name"]
            fields["name"] = name[:-9] if name.endswith(" (edited)") else f"{name} (edited)"
            answer = await self.writer.post(url, data=fields)
        except (httpx.HTTPError, LookupError) as error:
            phase.write_errors[type(error).__name__] += 1
            return
        if answer.status_code != 302:
            phase.write_errors[f"HTTP {answer.status_code}"] += 1
            return
        phase.writes.append(loop.time() - started)

    async def writing(self, phase, every, until):
        """Write every `every` seconds until loop time `until`."""
        loop = asyncio.get_running_loop()
        due = loop.time() + every
        while due < until:
            await asyncio.sleep(max(0.0, due - loop.time()))
            await self.write(phase)
            due += every

    async def open_loop(self, phase, rate, seconds):
        """Send Poisson arrivals at `rate` per second for `seconds`, each from a random user."""
        loop = asyncio.get_running_loop()
        start = due = loop.time()
        tasks = []
        while True:
            due += self.random.expovariate(rate)
            if due - start >= seconds:
                break
            await asyncio.sleep(max(0.0, due - loop.time()))
            phase.lags.append(loop.time() - due)
            phase.sent += 1
            client = self.random.choice(self.clients)
            tasks.append(asyncio.create_task(self.request(phase, client, self.page(), due)))
        await asyncio.sleep(max(0.0, start + seconds - loop.time()))
        await asyncio.gather(*tasks)

    async def closed_loop(self, phase, concurrency, seconds):
        """Run `concurrency` clients without think time for `seconds`; count what they finish."""
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds

        async def client_loop(client):
            while loop.time() < until:
                phase.sent += 1
                await self.request(phase, client, self.page(), loop.time())

        await asyncio.gather(*(client_loop(self.clients[number % len(self.clients)])
                               for number in range(concurrency)))

    async def run(self, name, options):
        """Run one phase; return its Phase."""
        phase = Phase(name)
        loop = asyncio.get_running_loop()
        seconds = options.duration if name.startswith("open") else options.saturation_duration
        cpu, started = time.process_time(), loop.time()
        work = (self.open_loop(phase, options.users / options.think, seconds)
                if name.startswith("open") else
                self.closed_loop(phase, options.concurrency, seconds))
        jobs = [work]
        if name.endswith("+writer"):
            jobs.append(self.writing(phase, options.write_every, started + seconds))
        await asyncio.gather(*jobs)
        phase.seconds = loop.time() - started
        phase.client_cpu = time.process_time() - cpu
        phase.load_average = os.getloadavg()[0]
        return phase


async def warm_up(traffic, urls, client):
    """Request every page once from every server, so each process has its assessment."""
    registry = traffic.registry
    for url in urls:
        for _name, path in PAGES:
            page = path.format(page=1, controller=registry.controllers[0],
                               subcontractor=registry.subcontractors[0],
                               engagement=registry.engagements[0])
            response = await client.get(f"{url}{page}")
            if response.status_code != 200:
                raise SystemExit(f"warm-up: {url}{page} answered {response.status_code}")


# ---------------------------------------------------------------------------------------------
# Reporting


def milliseconds(seconds):
    return f"{seconds * 1000:.0f}"


def print_phase(phase):
    errors = sum(phase.errors.values())
    print(f"{phase.name:14} {phase.seconds:6.1f} {phase.sent:6d} {len(phase.latencies):7d} "
          f"{errors:6d} "
          f"{phase.throughput:7.1f} {milliseconds(phase.percentile(0.50)):>6} "
          f"{milliseconds(phase.percentile(0.95)):>6} {milliseconds(phase.percentile(0.99)):>6} "
          f"{milliseconds(phase.percentile(1.0)):>6} "
          f"{len(phase.writes):6d} "
          f"{milliseconds(statistics.median(phase.writes)) if phase.writes else '-':>7} "
          f"{phase.client_cpu:6.1f} {phase.load_average:5.1f}", flush=True)
    if phase.errors or phase.write_errors:
        print(f"    errors: {dict(phase.errors)}  write errors: {dict(phase.write_errors)}")
    late = phase.percentile(0.95, sorted(phase.lags)) if phase.lags else 0.0
    if late > 0.05:
        print(f"    the client fell behind: p95 of {milliseconds(late)} ms late (counted in the "
              "latencies)")


def print_pages(phase):
    by_page = {}
    for name, seconds in phase.latencies:
        by_page.setdefault(name, []).append(seconds)
    print(f"  per page ({phase.name}): " + "; ".join(
        f"{name} {milliseconds(phase.percentile(0.5, sorted(values)))}/"
        f"{milliseconds(phase.percentile(0.95, sorted(values)))}"
        for name, values in by_page.items()) + " (p50/p95 ms)")


def print_verdict(phases):
    by_name = {phase.name: phase for phase in phases}
    loaded = by_name.get("open+writer")
    if loaded:
        p95 = loaded.percentile(0.95) * 1000
        errors = sum(loaded.errors.values()) + sum(loaded.write_errors.values())
        verdict = "met" if p95 < 300 and not errors else "missed"
        print(f"target open+writer p95 < 300 ms and 0 errors: {verdict} "
              f"(p95 {p95:.0f} ms, {errors} errors)")
    if "closed" in by_name and "closed+writer" in by_name:
        alone, written = by_name["closed"].throughput, by_name["closed+writer"].throughput
        change = (written - alone) / alone * 100 if alone else float("nan")
        verdict = "met" if change >= -20 else "missed"
        print(f"target: the writer changes the saturation throughput by at most 20 %: {verdict} "
              f"({alone:.1f} -> {written:.1f} requests/s, {change:+.0f} %)")


# ---------------------------------------------------------------------------------------------


async def drive(registry, urls, options):
    """Sign everyone in, warm up, run the phases; return the Phases."""
    next_server = RoundRobin(urls)
    accounts, writer_account = registry.accounts[:-1], registry.accounts[-1]
    started = time.perf_counter()
    clients = []
    for account in accounts:  # one after the other, as people arrive
        clients.append(await sign_in(account, next_server))
    writer = await sign_in(writer_account, next_server)
    print(f"{len(clients) + 1} users signed in ({time.perf_counter() - started:.1f} s)",
          flush=True)
    traffic = Load(registry, clients, writer, next_server)
    try:
        await warm_up(traffic, urls, clients[0])
        print(f"{'phase':14} {'s':>6} {'sent':>6} {'answers':>7} {'errors':>6} {'req/s':>7} "
              f"{'p50':>6} "
              f"{'p95':>6} {'p99':>6} {'max':>6} {'writes':>6} {'write':>7} {'cpu s':>6} "
              f"{'load':>5}   (latencies in ms; cpu: the client's)", flush=True)
        phases = []
        for name in options.phases:
            phase = await traffic.run(name, options)
            print_phase(phase)
            phases.append(phase)
        for phase in phases:
            if phase.name.startswith("open"):
                print_pages(phase)
        return phases
    finally:
        for client in [*clients, writer]:
            await client.aclose()


def options_from(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads per process")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds between one user's requests (open loop)")
    parser.add_argument("--write-every", type=float, default=2.0)
    parser.add_argument("--duration", type=float, default=60.0,
                        help=f"seconds of each open-loop phase (at most {MAX_PHASE_SECONDS})")
    parser.add_argument("--saturation-duration", type=float, default=30.0,
                        help=f"seconds of each closed-loop phase (at most {MAX_PHASE_SECONDS})")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="clients without think time in the closed-loop phases")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated, of {', '.join(PHASES)}")
    options = parser.parse_args(argv)
    options.phases = [name.strip() for name in options.phases.split(",") if name.strip()]
    unknown = set(options.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    for name in ("duration", "saturation_duration"):
        setattr(options, name, min(max(getattr(options, name), 1.0), MAX_PHASE_SECONDS))
    if options.users < 1 or options.processes < 1 or options.concurrency < 1:
        parser.error("--users, --processes and --concurrency must be at least 1")
    return options


def main(argv=None):
    """Run the load and print one line per phase, then the targets."""
    options = options_from(argv)
    print(f"load: {options.backend}, {options.processes} processes x {options.threads} threads, "
          f"{options.users} users, generate({options.scale}); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    with backend_url(options.backend) as url, tempfile.TemporaryDirectory() as instance:
        registry = prepare(url, instance, options.scale, options.users)
        servers = Servers(url, instance, options.processes, options.threads)
        try:
            servers.wait_until_up()
            phases = asyncio.run(drive(registry, servers.urls, options))
        finally:
            servers.stop()
    print_verdict(phases)
    return phases


if __name__ == "__main__":
    main()
