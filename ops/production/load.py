"""Load and faults against the production-like site that ops/production/site.sh started.

For --duration seconds, --clients threads mix searches, page views, API calls and exports, and a
moderator approves the submitted drafts through the admin (password and authenticator code, as
in tests/service/), spread round-robin over both app servers. A client-side load balancer: a
request that cannot reach an app server (a connection error) is sent once more to the other one;
an HTTP answer, a 5xx too, is what it is. At fixed moments an app server is killed (SIGKILL) and
started again, Redis is restarted, and an Elasticsearch node is killed (SIGKILL) and started again.

Afterwards it waits for the index worker to empty the outbox, then looks up every published
draft in the database index (search_document) and in Elasticsearch (by page id, and by its title
through /zoeken/). It prints requests per kind with p50/p95, the 5xx count, the faults with their
times and the publishes made and found, and exits 1 if a published page is missing from either
index or if a request failed that was not in flight on the app server at the moment it was killed.

    .venv/bin/python ops/production/load.py [--duration 100] [--clients 6]
"""

import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "production"
SITE_SH = ROOT / "ops" / "production" / "site.sh"
REDIS_SH = ROOT / "ops" / "production" / "redis.sh"
ES_SH = ROOT / "ops" / "elasticsearch" / "es.sh"
TIMEOUT = 30  # seconds a request may take before it counts as failed
FALLBACK_NOTICE = "De zoekmachine is op dit moment niet bereikbaar"
WORDS = ["wijk", "gezin", "jongeren", "buurt", "school", "werk", "wonen", "schuldhulp", "armoede"]
# Relative weights of the kinds of request the visitors make.
MIX = {
    "search empty": 2,
    "search text": 4,
    "search text+facets": 3,
    "search page n": 2,
    "page view": 6,
    "api": 3,
    "export csv": 1,
}


def read_env(path: Path) -> dict:
    env = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


@dataclass
class Request:
    kind: str
    server: int
    started: float
    ended: float
    status: int | None  # None: no answer (connection error)
    error: str = ""
    fallback: bool = False  # a search answered from the database engine, with the notice
    retried_after: "Request | None" = None  # the attempt that could not reach its app server


@dataclass
class Fault:
    name: str
    started: float
    ended: float = 0.0
    server: int | None = None  # the app server it killed
    error: str = ""


@dataclass
class Run:
    apps: list[str]
    t0: float = field(default_factory=time.monotonic)
    requests: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    turn: itertools.count = field(default_factory=itertools.count)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def record(self, request: Request):
        with self.lock:
            self.requests.append(request)

    def in_flight_at_kill(self, server: int, started: float, ended: float) -> bool:
        """Was a request to `server` under way when that server was killed?"""
        return any(
            f.server == server and started <= f.ended and ended >= f.started for f in self.faults
        )

    def send(self, kind, method, path, retry_refused_only=False, **kwargs) -> Request:
        """One request through the client-side load balancer: the next app server in turn; on a
        connection error once more on the other (for a POST only when the connection was
        refused, so that nothing is done twice)."""
        with self.lock:
            server = next(self.turn) % len(self.apps)
        request = self._once(kind, server, method, path, **kwargs)
        if request.status is None:
            refused = "refused" in request.error or "NewConnectionError" in request.error
            if refused or not retry_refused_only:
                first = request
                request = self._once(kind, (server + 1) % len(self.apps), method, path, **kwargs)
                request.retried_after = first
        self.record(request)
        return request

    def excused(self, request: Request) -> bool:
        """No answer, and under way on an app server when it was killed (a POST that is not
        sent twice; a GET whose second try failed too is not excused)."""
        return request.status is None and self.in_flight_at_kill(
            request.server, request.started, request.ended
        )

    def failed(self, request: Request) -> bool:
        if request.status is None:
            return not self.excused(request)
        return request.status >= 400

    def _once(self, kind, server, method, path, **kwargs) -> Request:
        started = self.now()
        try:
            response = requests.request(
                method, self.apps[server] + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.RequestException as exc:
            return Request(kind, server, started, self.now(), None, f"{type(exc).__name__}: {exc}")
        request = Request(kind, server, started, self.now(), response.status_code)
        request.fallback = kind.startswith("search") and FALLBACK_NOTICE in response.text
        return request


# --- What the visitors ask for ----------------------------------------------------------------


def site_paths(app: str) -> dict:
    """Pages from the sitemap and facet values from the search's own JSON."""
    sitemap = requests.get(app + "/sitemap.xml", timeout=TIMEOUT)
    sitemap.raise_for_status()
    pages = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.text)]
    search = requests.get(app + "/zoeken/?format=json", timeout=TIMEOUT)
    search.raise_for_status()
    facets = {}
    for facet in search.json()["facets"]:
        values = [v["value"] for v in facet["values"]]
        if values:
            facets[facet["param"]] = values
    return {"pages": pages, "facets": facets}


def pick(kind: str, paths: dict, rng: random.Random) -> str:
    word = rng.choice(WORDS)
    if kind == "search empty":
        return "/zoeken/"
    if kind == "search text":
        return f"/zoeken/?q={word}"
    if kind == "search text+facets":
        chosen = rng.sample(sorted(paths["facets"]), k=min(2, len(paths["facets"])))
        filters = "".join(f"&{key}={rng.choice(paths['facets'][key])}" for key in chosen)
        return f"/zoeken/?q={word}{filters}"
    if kind == "search page n":
        return f"/zoeken/?page={rng.randint(2, 6)}"
    if kind == "page view":
        return rng.choice(paths["pages"])
    if kind == "api":
        return rng.choice(
            [
                "/api/v1/experimenten",
                f"/api/v1/zoeken?q={word}",
                "/api/v1/praktijken",
                "/api/v1/wijken",
                "/api/v1/intrekkingen",
            ]
        )
    if kind == "export csv":
        return f"/zoeken/?q={word}&format=csv"
    raise ValueError(kind)


def visitor(run: Run, paths: dict, deadline: float, seed: int):
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    while run.now() < deadline:
        kind = rng.choices(kinds, weights)[0]
        run.send(kind, "GET", pick(kind, paths, rng))


# --- The moderator ----------------------------------------------------------------------------


class Moderator:
    """Logs in through the admin's form and second step once (the session lives in the
    database, so both app servers know it), then approves one draft at a time."""

    def __init__(self, run: Run, facts: dict):
        self.run, self.facts = run, facts
        self.session = requests.Session()
        self.approved: list[dict] = []  # answered 302
        self.in_flight: list[dict] = []  # no answer: the app server died under it

    def _post(self, path, data, retry_refused_only=True) -> Request:
        token = self.session.cookies["csrftoken"]
        return self.run.send(
            "publish",
            "POST",
            path,
            retry_refused_only=retry_refused_only,
            data={"csrfmiddlewaretoken": token, **data},
            cookies=self.session.cookies.get_dict(),
            headers={"Referer": self.run.apps[0] + "/admin/", "X-CSRFToken": token},
        )

    def login(self):
        moderator = self.facts["moderators"][0]
        login_url = self.run.apps[0] + self.facts["login_url"]
        self.session.get(login_url, timeout=TIMEOUT).raise_for_status()
        response = self.session.post(
            login_url,
            data={
                "username": moderator["username"],
                "password": self.facts["password"],
                "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
                "next": "/admin/",
            },
            headers={"Referer": login_url},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code != 302:
            raise SystemExit(f"moderator login failed: HTTP {response.status_code}")
        code = f"{TOTP(bytes.fromhex(moderator['totp_key'])).token():06d}"
        token = self.session.cookies["csrftoken"]
        response = requests.post(
            self.run.apps[0] + self.facts["second_step_url"],
            data={"csrfmiddlewaretoken": token, "code": code},
            cookies=self.session.cookies.get_dict(),
            headers={"Referer": self.run.apps[0] + "/admin/", "X-CSRFToken": token},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if response.status_code != 302 or "2fa" in response.headers.get("Location", ""):
            raise SystemExit(f"moderator second step failed: HTTP {response.status_code}")
        self.session.cookies.update(response.cookies)

    def work(self, deadline: float):
        drafts = self.facts["submitted"]
        interval = deadline / (len(drafts) + 1)
        for n, draft in enumerate(drafts, start=1):
            while self.run.now() < n * interval:
                time.sleep(0.05)  # paces the approvals over the run
            request = self._post(draft["approve_url"], {"comment": ""})
            if request.status == 302:
                self.approved.append(draft)
            elif self.run.excused(request):
                self.in_flight.append(draft)  # published or not: the database tells afterwards


# --- The faults -------------------------------------------------------------------------------


def run_command(*command) -> None:
    # es.sh and redis.sh act on this run's cluster and Redis, not the test suite's.
    env = {
        **os.environ,
        "KK_ES_RUN_DIR": str(VAR / "elasticsearch"),
        "KK_REDIS_DIR": str(VAR / "redis"),
    }
    command = [str(part) for part in command]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")


def non_master_node(es_urls: list[str]) -> int:
    """The number of a node that is not the elected master: with two master-eligible nodes only
    one of them can be in the voting configuration, and losing that one stops the cluster's
    writes until it is back (a cluster that survives losing any node needs three)."""
    for url in es_urls:
        try:
            master = requests.get(url + "/_cat/master?h=node", timeout=5).text.strip()
        except requests.RequestException:
            continue
        number = int(master.rsplit("-", 1)[1])
        return 2 if number == 1 else 1
    raise RuntimeError("no Elasticsearch node answered")


def faults(run: Run, schedule: list):
    """Each (at, name, action, the app server it kills or None) of the schedule in turn."""
    for at, name, action, killed_server in schedule:
        while run.now() < at:
            time.sleep(0.05)
        fault = Fault(name, run.now(), server=killed_server)
        with run.lock:
            run.faults.append(fault)
        try:
            action()
        except Exception as exc:  # reported with the figures; the run goes on
            fault.error = str(exc)
        fault.ended = run.now()


# --- Afterwards -------------------------------------------------------------------------------


def wait_for_outbox(database_url: str, limit: float) -> tuple[int, float]:
    """(entries left, seconds waited) once the index worker has emptied the outbox, or the limit
    is reached."""
    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as connection:
        while True:
            left = connection.execute("SELECT count(*) FROM search_indexqueue").fetchone()[0]
            waited = time.monotonic() - started
            if left == 0 or waited > limit:
                return left, waited
            time.sleep(0.5)


def check_published(env: dict, drafts: list[dict], app: str) -> dict:
    """For each draft: live in the database, in search_document, in Elasticsearch (by id and
    by its title through /zoeken/)."""
    ids = [d["id"] for d in drafts]
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        live = {
            row[0]
            for row in connection.execute(
                "SELECT id FROM wagtailcore_page WHERE live AND id = ANY(%s)", (ids,)
            )
        }
        indexed = {
            row[0]
            for row in connection.execute(
                "SELECT page_id FROM search_document WHERE page_id = ANY(%s)", (ids,)
            )
        }
        titles = dict(
            connection.execute("SELECT id, title FROM wagtailcore_page WHERE id = ANY(%s)", (ids,))
        )
    alias = env.get("ELASTICSEARCH_INDEX", "kennisloket")
    es = env["ELASTICSEARCH_URL"].split(",")[0]
    requests.post(f"{es}/{alias}/_refresh", timeout=30).raise_for_status()
    found = requests.post(
        f"{es}/{alias}/_search",
        json={"query": {"ids": {"values": [str(i) for i in ids]}}, "size": len(ids) or 1},
        timeout=30,
    ).json()
    in_es = {int(hit["_id"]) for hit in found["hits"]["hits"]}
    by_title = set()  # through the site's own search, answered by Elasticsearch
    deadline = time.monotonic() + 60  # an app process may still skip Elasticsearch (its breaker)
    for page_id in sorted(live):
        while True:
            response = requests.get(
                app + "/zoeken/", params={"q": f'"{titles[page_id]}"', "format": "json"}, timeout=30
            )
            body = response.json()
            if body["engine"] == "elasticsearch" or time.monotonic() > deadline:
                break
            time.sleep(1)
        if body["engine"] == "elasticsearch" and page_id in {r["id"] for r in body["results"]}:
            by_title.add(page_id)
    return {"live": live, "database index": indexed, "elasticsearch": in_es, "search": by_title}


def report(run: Run, moderator: Moderator, found: dict, load_seconds, left, waited):
    print(f"\nLoad: {load_seconds:.0f} s, {len(run.apps)} app servers ({', '.join(run.apps)})")
    print(
        f"{'kind':20} {'requests':>8} {'5xx':>5} {'4xx':>5} {'no answer':>9} {'retried':>7} "
        f"{'fallback':>8} {'p50 ms':>7} {'p95 ms':>7}"
    )
    kinds = sorted({r.kind for r in run.requests}, key=lambda k: (k == "publish", k))
    for kind in [*kinds, "all"]:
        rs = [r for r in run.requests if kind in ("all", r.kind)]
        times = [1000 * (r.ended - r.started) for r in rs if r.status is not None]
        print(
            f"{kind:20} {len(rs):8} {sum(1 for r in rs if r.status and r.status >= 500):5} "
            f"{sum(1 for r in rs if r.status and 400 <= r.status < 500):5} "
            f"{sum(1 for r in rs if r.status is None):9} "
            f"{sum(1 for r in rs if r.retried_after):7} {sum(1 for r in rs if r.fallback):8} "
            f"{percentile(times, 50):7.0f} {percentile(times, 95):7.0f}"
        )
    excused = sum(1 for r in run.requests if r.status is None and run.excused(r))
    print(
        f"(no answer and not retried, in flight on a killed app server: {excused}; "
        "retried: sent once more to the other app server after a connection error; "
        "fallback: a search answered from the database engine)"
    )
    print("\nFaults (seconds into the run):")
    for fault in run.faults:
        outcome = f"  FAILED: {fault.error}" if fault.error else ""
        print(f"  {fault.started:6.1f} - {fault.ended:6.1f}  {fault.name}{outcome}")
    print("\nPublishes (approvals through the admin, with the moderator's second step):")
    print(
        f"  approved (302): {len(moderator.approved)}, no answer (in flight on a killed app "
        f"server): {len(moderator.in_flight)}; live afterwards: {len(found['live'])}"
    )
    print(
        f"  outbox empty after {waited:.1f} s"
        if not left
        else f"  outbox: {left} left after {waited:.0f} s"
    )
    labels = {
        "database index": "in the database index (search_document)",
        "elasticsearch": "in Elasticsearch (by page id)",
        "search": "found by its title through /zoeken/ on Elasticsearch",
    }
    for engine, label in labels.items():
        print(f"  {label}: {len(found[engine] & found['live'])} of {len(found['live'])}")


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=100, help="seconds of load (60-120)")
    parser.add_argument("--clients", type=int, default=6, help="visitors at once")
    args = parser.parse_args()

    env = read_env(VAR / "env")
    facts = json.loads((VAR / "publishes.json").read_text().strip().splitlines()[-1])
    apps = env["KK_APP_URLS"].split(",")
    es_urls = env["ELASTICSEARCH_URL"].split(",")
    paths = site_paths(apps[0])
    run = Run(apps=apps)
    moderator = Moderator(run, facts)
    moderator.login()

    d = args.duration
    node = non_master_node(es_urls)
    schedule = [
        (0.10 * d, "kill app server 2", lambda: run_command(SITE_SH, "kill-app", "2"), 1),
        (0.18 * d, "start app server 2", lambda: run_command(SITE_SH, "start-app", "2"), None),
        (0.35 * d, "restart Redis", lambda: run_command(REDIS_SH, "restart"), None),
        (
            0.45 * d,
            f"kill Elasticsearch node {node}",
            lambda: run_command(ES_SH, "kill-node", node),
            None,
        ),
        (
            0.55 * d,
            f"start Elasticsearch node {node}",
            lambda: run_command(ES_SH, "start-node", node),
            None,
        ),
    ]
    run.t0 = time.monotonic()
    threads = [
        threading.Thread(target=visitor, args=(run, paths, d, seed)) for seed in range(args.clients)
    ]
    threads.append(threading.Thread(target=moderator.work, args=(d,)))
    fault_thread = threading.Thread(target=faults, args=(run, schedule))
    for thread in [*threads, fault_thread]:
        thread.start()
    for thread in threads:
        thread.join()
    load_seconds = run.now()
    fault_thread.join(timeout=300)

    left, waited = wait_for_outbox(env["DATABASE_URL"], limit=120)
    published = moderator.approved + moderator.in_flight
    found = check_published(env, published, apps[0])
    report(run, moderator, found, load_seconds, left, waited)

    missing = {
        engine: sorted(
            p["id"] for p in published if p["id"] in found["live"] and p["id"] not in ids
        )
        for engine, ids in found.items()
        if engine != "live"
    }
    failed = [r for r in run.requests if run.failed(r)]
    problems = [f"fault drill failed: {f.name}" for f in run.faults if f.error]
    if len(run.faults) < len(schedule):
        problems.append("not every fault drill ran")
    if left:
        problems.append(f"{left} outbox entries left after {waited:.0f} s")
    not_live = sorted(d["id"] for d in moderator.approved if d["id"] not in found["live"])
    if not_live:
        problems.append(f"approved (302) but not live: {not_live}")
    problems += [
        f"published but missing ({engine}): {ids}" for engine, ids in missing.items() if ids
    ]
    if failed:
        problems.append(f"{len(failed)} requests failed, for example:")
        problems += [
            f"  {r.kind} on app server {r.server + 1} at {r.started:.1f} s: {r.status or r.error[:200]}"
            for r in failed[:10]
        ]
    print()
    if problems:
        print("FAILED:\n" + "\n".join(problems))
        sys.exit(1)
    print(
        "OK: nothing published was lost and no request failed but those in flight on a killed app server"
    )


if __name__ == "__main__":
    main()
