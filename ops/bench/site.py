"""ops/bench/site.py [--size 10000] [--seconds 4] [--rounds 2] [--concurrency 1 8] [--port 8500]
                    [--no-elasticsearch] [--elasticsearch-url URL] [--no-sql]

The site benchmark (`make bench-site`, docs/performance.md): throughput and latency of whole
pages as visitors get them, from the production app server.

1. A throwaway SQLite database, var/bench/site.sqlite3, with `load_demo --size N` real demo
   pages (N: --size, else BENCH_SITE_SIZE, else 10,000; about 3 minutes for 10,000 on two cores,
   once). An existing file is reused when nothing in the code's migrations is left to apply and
   it holds exactly N content pages; otherwise it is deleted and loaded afresh.
2. A local Elasticsearch (ops/elasticsearch/es.sh start, or --elasticsearch-url), its alias
   kk-bench-site rebuilt from the database (`search_index rebuild`) unless it already holds as
   many documents as the database index. If no node answers: the database engine only.
3. `collectstatic` into var/bench/static, then two gunicorn servers over that one database,
   each with 2 workers × 4 threads (the two cores of this machine), DEBUG off:
   "db" on --port with the database search engine, "es" on --port + 1 with ELASTICSEARCH_URL.
4. Per page, one request with `Accept-Encoding: gzip` for the bytes on the wire, and (unless
   --no-sql) the SQL queries one request runs on a warm cache, counted in this process through
   django.test.Client on each engine (the second of two requests).
5. A warm-up, then timing: for every page, concurrency and server, keep-alive connections (one
   per thread, http.client) send requests back to back for --seconds in total, split into
   --rounds slices. The servers and pages take turns slice by slice (interleaved rounds, the
   server order alternating), so a slow spell of the machine falls on both engines alike.
   Requests/s = requests answered / wall time of the slices; p50/p95 nearest rank, in ms, from
   sending the request to the last byte of the answer.

It prints the machine (CPUs, load average before and after, versions), a Markdown table to
paste into docs/performance.md, and the targets of issue 19 as PASS/MISS lines.

A development tool, not part of the site: it lives outside the apps and sets Django up itself
(run it from the project root with the project's Python; the Makefile does).
"""

import argparse
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
BENCH_DIR = PROJECT_DIR / "var" / "bench"
DEFAULT_DATABASE = BENCH_DIR / "site.sqlite3"
ALIAS = "kk-bench-site"
ES_SCRIPT = PROJECT_DIR / "ops" / "elasticsearch" / "es.sh"
GUNICORN_CONF = PROJECT_DIR / "website" / "gunicorn_conf.py"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument(
        "--size",
        type=int,
        default=int(os.environ.get("BENCH_SITE_SIZE") or 10_000),
        help="Demo pages to load (default BENCH_SITE_SIZE, else 10000).",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=4,
        help="Timing per page, concurrency and server, in total over the rounds (default 4).",
    )
    parser.add_argument("--rounds", type=int, default=2, help="Interleaved rounds (default 2).")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.5,
        help="Untimed seconds per page and server first, at the highest concurrency (default 0.5).",
    )
    parser.add_argument(
        "--port", type=int, default=8500, help="The db server's port; es gets port + 1."
    )
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument(
        "--elasticsearch-url",
        default=os.environ.get("ELASTICSEARCH_URL", ""),
        help="Default: ELASTICSEARCH_URL, else a local node (ops/elasticsearch/es.sh start).",
    )
    parser.add_argument("--no-elasticsearch", action="store_true")
    parser.add_argument(
        "--no-sql", action="store_true", help="Do not count the SQL queries per page."
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="Servers without the page cache (PAGE_CACHE_SECONDS=0): what rendering costs.",
    )
    return parser.parse_args()


ARGS = parse_args()
# The servers' environment, which this process and the commands it runs share; the
# Elasticsearch URL is given to the es server (and the index rebuild) only.
BENCH_ENV = {
    "DATABASE_URL": f"sqlite:///{ARGS.database.resolve()}",
    "DEBUG": "false",
    "SECRET_KEY": "bench-site-throwaway-key-not-secret-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_ROOT": str(BENCH_DIR / "static"),
    "MEDIA_ROOT": str(BENCH_DIR / "media"),
    "ELASTICSEARCH_URL": "",
    "ELASTICSEARCH_INDEX": ALIAS,
    # The benchmark exports far more often than a visitor may.
    "EXPORT_RATE_LIMIT": "1000000000",
    # Pages for anonymous visitors from each worker's memory (website.middleware), as in
    # production, unless --no-page-cache.
    "PAGE_CACHE_SECONDS": "0"
    if ARGS.no_page_cache
    else os.environ.get("PAGE_CACHE_SECONDS", "300"),
}
os.environ.update(BENCH_ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.base"
sys.path.insert(0, str(PROJECT_DIR))

import django  # after the environment it reads

django.setup()

import datetime
import gzip
import http.client
import json
import platform
import signal
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.http import urlencode
from percentiles import percentile  # ops/bench/, this script's directory

PY = sys.executable
READY = "/health/ready"  # 200 once the database, the cache and Elasticsearch (if set) answer
HOST = "127.0.0.1"
# What a browser asks for; the timed requests send it too, so compression, once the site
# does it, is part of the figures.
REQUEST_HEADERS = {"Accept-Encoding": "gzip", "Accept": "text/html,*/*"}


def out(line=""):
    print(line, flush=True)


def load_average():
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def manage(*args, elasticsearch_url=""):
    """A manage.py command in its own process, with the benchmark's environment."""
    env = {**os.environ, "ELASTICSEARCH_URL": elasticsearch_url}
    subprocess.run([PY, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True)


# --- The database and the index ---------------------------------------------------------------


def reuse_verdict(size):
    """Why the database file cannot be reused for `size` pages, or None if it can."""
    from search.documents import content_page_counts

    if not ARGS.database.exists():
        return "no database file yet"
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        return f"{len(unapplied)} migrations not applied"
    # What load_demo was asked for (its --size counts the generated kinds; the corpus adds
    # pages of other kinds, so the content pages are a few more than the size).
    marker = Path(f"{ARGS.database}.size")
    loaded = int(marker.read_text()) if marker.exists() else None
    if loaded != size:
        pages = sum(content_page_counts().values())
        return f"it holds {pages:,} content pages, loaded with --size {loaded or 'unknown'}, not {size:,}"
    return None


def prepare_database(size):
    why = reuse_verdict(size)
    if why is None:
        out(f"  database: reusing {ARGS.database} ({size:,} content pages, migrations applied)")
        return
    out(f"  database: loading {size:,} demo pages into {ARGS.database} ({why}) ...")
    connection.close()
    for suffix in ("", "-wal", "-shm", ".size"):
        Path(f"{ARGS.database}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    manage("migrate", "--noinput", "-v0")
    # The admin's own search and reference indexes are not what visitors use: skipped.
    manage("load_demo", "--size", str(size), "--skip-admin-indexes")
    Path(f"{ARGS.database}.size").write_text(str(size))
    out(f"  database: loaded in {time.monotonic() - started:.0f} s (not part of any figure)")


def elasticsearch():
    """(url, note): a node that answers with the site's index behind ALIAS, or ("", why not)."""
    if ARGS.no_elasticsearch:
        return "", "skipped (--no-elasticsearch)"
    url = ARGS.elasticsearch_url
    if not url:
        started = subprocess.run([str(ES_SCRIPT), "start"], capture_output=True, text=True)
        if started.returncode != 0:
            return "", "did not start (ops/elasticsearch/es.sh start failed): database figures only"
        url = started.stdout.strip().splitlines()[-1]
    from search.engines.base import SearchUnavailable
    from search.engines.elasticsearch import ElasticsearchEngine
    from search.models import SearchDocument

    engine = ElasticsearchEngine(url, ALIAS, timeout=settings.ELASTICSEARCH_TIMEOUT)
    if not engine.ping():
        return "", f"{url} does not answer: database figures only"
    expected = SearchDocument.objects.count()
    try:
        indexed = engine.count()
    except SearchUnavailable:
        indexed = -1
    if indexed != expected:
        out(f"  elasticsearch: building {ALIAS} ({indexed} documents, not {expected:,}) ...")
        started = time.monotonic()
        manage("search_index", "rebuild", elasticsearch_url=url)
        out(f"  elasticsearch: built in {time.monotonic() - started:.0f} s")
        if engine.count() != expected:
            return "", f"{url}: the rebuild left {engine.count()} documents: database figures only"
    # Not GET / (info()): the node es.sh runs has no rest-root module.
    numbers = {node["version"] for node in engine.client.nodes.info()["nodes"].values()}
    return (
        url,
        f"{url} (version {', '.join(sorted(numbers))}), alias {ALIAS} with {expected:,} documents",
    )


# --- The pages --------------------------------------------------------------------------------


def pages():
    """(label, path) of the pages measured, chosen from the database deterministically."""
    from wagtail.models import Site

    from experiments.models import ExperimentPage
    from places.models import NeighbourhoodIndexPage
    from vocabulary.models import Neighbourhood, Theme

    experiment = ExperimentPage.objects.live().public().order_by("pk").first()
    wijken = NeighbourhoodIndexPage.objects.live().get().url
    # The busiest wijk: the page with the most to show.
    wijk = max(
        Neighbourhood.objects.select_related("municipality").order_by("pk"),
        key=lambda n: ExperimentPage.objects.live().filter(neighbourhoods=n).count(),
    )
    theme = Theme.objects.order_by("pk").first()
    facets = [
        ("q", "jongeren"),
        ("type", "experiment"),
        ("thema", theme.slug),
        ("gemeente", wijk.municipality.slug),
    ]
    home = Site.objects.get(is_default_site=True).root_page.url
    return [
        ("home", home),
        ("search, empty", "/zoeken/"),
        ("search, text", "/zoeken/?q=jongeren"),
        ("search, text + 3 facets", "/zoeken/?" + urlencode(facets)),
        ("search, page 40", "/zoeken/?page=40"),
        ("experiment", experiment.url),
        ("wijk", f"{wijken}{wijk.municipality.slug}/{wijk.slug}/"),
        ("overview", f"{wijken}overzicht/"),
        ("API list", "/api/v1/experimenten"),
        ("CSV export", "/zoeken/?" + urlencode([*facets, ("format", "csv")])),
    ]


def sql_queries(paths, es_url):
    """{(label, engine): queries} for one request on a warm cache (the second of two)."""
    counts = {}
    engines = {"db": ""} | ({"es": es_url} if es_url else {})
    for engine, url in engines.items():
        with override_settings(ELASTICSEARCH_URL=url):
            client = Client()
            for label, path in paths:
                client.get(path)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code} in this process")
                counts[label, engine] = len(queries)
    return counts


# --- The servers ------------------------------------------------------------------------------


class Server:
    """A gunicorn master with its workers, started in its own process group."""

    def __init__(self, name, port, es_url):
        self.name, self.port = name, port
        command = [str(Path(PY).parent / "gunicorn")]
        if GUNICORN_CONF.exists():
            command += ["-c", "python:website.gunicorn_conf"]
        command += [
            "website.wsgi:application",
            f"--bind={HOST}:{port}",
            "--workers=2",
            "--threads=4",
            # No worker replaced halfway through a measurement (gunicorn_conf's max_requests).
            "--max-requests=0",
        ]
        self.log = BENCH_DIR / f"gunicorn-{name}.log"
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env={**os.environ, "ELASTICSEARCH_URL": es_url},
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.name}) exited; see {self.log}")
            try:
                response, _ = fetch(http.client.HTTPConnection(HOST, self.port), READY)
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn ({self.name}) was not ready ({READY}) within {timeout} s")

    def engine(self):
        conn = http.client.HTTPConnection(HOST, self.port)
        response, body = fetch(conn, "/zoeken/?format=json")
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return json.loads(body)["engine"] if response.status == 200 else f"HTTP {response.status}"

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def fetch(conn, path):
    """GET path on a keep-alive connection: (response, body as sent)."""
    conn.request("GET", path, headers=REQUEST_HEADERS)
    response = conn.getresponse()
    return response, response.read()


def wire_sizes(port, paths):
    """{label: (bytes on the wire, Content-Encoding, gzip -6 size of the plain body, what the
    page cache said of a second request)}."""
    sizes = {}
    conn = http.client.HTTPConnection(HOST, port)
    for label, path in paths:
        fetch(conn, path)
        response, body = fetch(conn, path)
        encoding = response.getheader("Content-Encoding", "")
        plain = gzip.decompress(body) if encoding == "gzip" else body
        # The status line, the header lines and the blank line end the body on the wire.
        status_line = len(f"HTTP/1.1 {response.status} {response.reason}\r\n")
        headers = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 2
        sizes[label] = (
            status_line + headers + len(body),
            encoding,
            len(gzip.compress(plain, 6)),
            response.getheader("X-Page-Cache", "-"),
        )
    conn.close()
    return sizes


# --- Timing -----------------------------------------------------------------------------------


@dataclass
class Cell:
    """The timings of one page on one server at one concurrency, over all its slices."""

    latencies: list = field(default_factory=list)  # seconds
    seconds: float = 0.0  # wall time of the slices
    failures: dict = field(default_factory=dict)  # status or error → count

    @property
    def rate(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, p):
        return percentile(self.latencies, p) * 1000 if self.latencies else float("nan")


def run_slice(port, path, concurrency, seconds, cell):
    """`concurrency` threads, each on its own keep-alive connection, send `path` back to back
    for `seconds`; every thread finishes the request it has in flight."""
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def client():
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        latencies, failures = [], {}
        start.wait()
        while time.perf_counter() < deadline[0]:
            sent = time.perf_counter()
            try:
                status = fetch(conn, path)[0].status
            except (OSError, http.client.HTTPException) as error:
                failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                continue
            if status == 200:
                latencies.append(time.perf_counter() - sent)
            else:
                failures[status] = failures.get(status, 0) + 1
        conn.close()
        with lock:
            cell.latencies.extend(latencies)
            for key, n in failures.items():
                cell.failures[key] = cell.failures.get(key, 0) + n

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    cell.seconds += time.perf_counter() - began


def warm_up(servers, paths):
    """Every server serves every page at the highest concurrency, so each worker has."""
    for server in servers:
        for _, path in paths:
            run_slice(server.port, path, max(ARGS.concurrency), ARGS.warmup, Cell())


def measure(servers, paths):
    """{(label, server name, concurrency): Cell}, the servers and pages taking turns."""
    cells = {
        (label, server.name, c): Cell()
        for label, _ in paths
        for server in servers
        for c in ARGS.concurrency
    }
    part = ARGS.seconds / ARGS.rounds
    for round_number in range(ARGS.rounds):
        for index, (label, path) in enumerate(paths):
            for c in ARGS.concurrency:
                turn = round_number + index
                for server in servers[turn % len(servers) :] + servers[: turn % len(servers)]:
                    run_slice(server.port, path, c, part, cells[label, server.name, c])
    return cells


# --- Output -----------------------------------------------------------------------------------


def header():
    out(f"bench_site  {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    out(f"  machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    ).stdout.strip()
    out(f"  code: commit {commit or 'unknown'}{' (with uncommitted changes)' if dirty else ''}")
    out(
        f"  versions: Python {platform.python_version()}, Django {version('django')}, "
        f"Wagtail {version('wagtail')}, gunicorn {version('gunicorn')}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    conf = "-c python:website.gunicorn_conf " if GUNICORN_CONF.exists() else ""
    out(
        f"  servers: gunicorn {conf}--workers=2 --threads=4 --max-requests=0, DEBUG off, cache {cache}, "
        f"page cache {'off' if BENCH_ENV['PAGE_CACHE_SECONDS'] == '0' else BENCH_ENV['PAGE_CACHE_SECONDS'] + ' s'}; "
        f"db on :{ARGS.port} (database engine), es on :{ARGS.port + 1} (Elasticsearch)"
    )
    out(
        f"  timing: per page, concurrency and server {ARGS.seconds:g} s in {ARGS.rounds} "
        f"interleaved rounds, after {ARGS.warmup:g} s of warm-up; keep-alive http.client "
        "connections, one per thread, from this process (on the same CPUs); "
        "p50/p95 nearest rank, in ms"
    )


def table(paths, names, cells, sizes, queries):
    titles = {"db": "DB", "es": "ES"}
    columns = ["page", "c"]
    for name in names:
        columns += [f"{titles[name]} req/s", f"{titles[name]} p50", f"{titles[name]} p95"]
    out("| " + " | ".join(columns) + " |")
    out("|" + "|".join("---" if i < 1 else "---:" for i in range(len(columns))) + "|")
    for label, _ in paths:
        for c in ARGS.concurrency:
            row = [label, str(c)]
            for name in names:
                cell = cells[label, name, c]
                row += [f"{cell.rate:.1f}", f"{cell.ms(50):.0f}", f"{cell.ms(95):.0f}"]
            out("| " + " | ".join(row) + " |")
    out("")
    columns = ["page", "path", "bytes on the wire", "gzip -6 would be", "page cache"]
    if queries:
        columns += [f"SQL queries ({titles[name]})" for name in names]
    out("| " + " | ".join(columns) + " |")
    out("|---|---|" + "---:|" * (len(columns) - 2))
    for label, path in paths:
        wire, encoding, gzipped, page_cache = sizes[label]
        row = [
            label,
            f"`{path}`",
            f"{wire:,}" + (f" ({encoding})" if encoding else ""),
            f"{gzipped:,}",
            page_cache,
        ]
        if queries:
            row += [str(queries[label, name]) for name in names]
        out("| " + " | ".join(row) + " |")
    failures = {key: cell.failures for key, cell in cells.items() if cell.failures}
    for (label, name, c), failed in failures.items():
        out(f"  ! {label} on {name} at c={c}: not timed (failed): {failed}")


def targets(names, cells, sizes, queries):
    """The targets of issue 19 that this benchmark measures, against this run."""
    out("")
    out("Targets of issue 19 (as ratios in this run):")

    def verdict(ok):
        return "PASS" if ok else "MISS"

    for name in names if 1 in ARGS.concurrency else []:
        plain = cells["search, empty", name, 1].ms(50)
        for label in ("home", "experiment", "wijk", "overview"):
            p50 = cells[label, name, 1].ms(50)
            sql = f", {queries[label, name]} SQL queries (≤ 12)" if queries else ""
            ok = p50 <= plain and (not queries or queries[label, name] <= 12)
            out(
                f"  {label} on {name}, c=1: p50 {p50:.0f} ms vs /zoeken/ {plain:.0f} ms{sql} "
                f"→ {verdict(ok)}"
            )
    if 8 in ARGS.concurrency:
        for name in names:
            rate = cells["search, empty", name, 8].rate
            out(
                f"  /zoeken/ on {name}, c=8: {rate:.0f} req/s vs 2 × {SEARCH_C8_BEFORE} "
                f"(issue 19's 'today') → {verdict(rate >= 2 * SEARCH_C8_BEFORE)}"
            )
    wire = sizes["search, empty"][0]
    out(f"  /zoeken/ HTML on the wire: {wire:,} bytes (≤ 10,240) → {verdict(wire <= 10_240)}")


# The /zoeken/ throughput at c=8 issue 19 calls today's (its lower figure, req/s).
SEARCH_C8_BEFORE = 62


def main():
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    header()
    prepare_database(ARGS.size)
    es_url, es_note = elasticsearch()
    out(f"  elasticsearch: {es_note}")
    started = time.monotonic()
    # In this process: its storage then knows the new manifest when it counts queries below.
    call_command("collectstatic", interactive=False, verbosity=0)
    out(
        f"  static files collected into {settings.STATIC_ROOT} in {time.monotonic() - started:.0f} s"
    )
    paths = pages()
    queries = {} if ARGS.no_sql else sql_queries(paths, es_url)
    servers = [Server("db", ARGS.port, "")]
    if es_url:
        servers.append(Server("es", ARGS.port + 1, es_url))
    try:
        for server in servers:
            server.wait_ready()
            engine = server.engine()
            expected = {"db": "database", "es": "elasticsearch"}[server.name]
            if engine != expected:
                raise SystemExit(f"The {server.name} server searches with {engine}, not {expected}")
        sizes = wire_sizes(servers[0].port, paths)
        warm_up(servers, paths)
        out(f"  load average (1/5/15 min) before timing: {load_average()}")
        started = time.monotonic()
        cells = measure(servers, paths)
        out(
            f"  load average after timing: {load_average()} "
            f"(timing took {time.monotonic() - started:.0f} s)"
        )
    finally:
        for server in servers:
            server.stop()
    out("")
    names = [server.name for server in servers]
    table(paths, names, cells, sizes, queries)
    targets(names, cells, sizes, queries)


if __name__ == "__main__":
    main()
