"""Many moderators approving at once, against a real server process (gunicorn, two processes
of eight threads) on the suite's database: nobody gets an error, every approved registration is
published with its own number, and once the index worker has run, the published pages, the
database index and the Elasticsearch index are the same set."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from .conftest import CONCURRENT, login_as_moderator, post_as


def test_fifty_concurrent_approvals_lose_nothing(registry_site):
    site = registry_site
    moderator = login_as_moderator(site, 0)
    batch = site.facts["submitted"][:CONCURRENT]
    start = threading.Barrier(len(batch))

    def approve(item):
        start.wait()  # all requests leave together
        return post_as(moderator, site, item["approve_url"], {"comment": ""}).status_code

    with ThreadPoolExecutor(max_workers=len(batch)) as pool:
        statuses = list(pool.map(approve, batch))

    server_errors = [s for s in statuses if s >= 500]
    assert server_errors == [], (
        f"{len(server_errors)} of {len(batch)} approvals answered 5xx:\n{site.log_tail()}"
    )
    assert all(s == 302 for s in statuses), statuses

    registered = json.loads(
        site.manage(
            "shell",
            "-v",
            "0",
            "-c",
            (
                "import json; from experiments.models import Registration; "
                "print(json.dumps(list(Registration.objects.order_by('sequence').values_list('page_id', 'sequence', 'page__live'))))"
            ),
        ).stdout
    )
    approved = {item["id"] for item in batch}
    assert {page for page, _n, live in registered if live} >= approved  # a 302 was no refusal
    assert [n for _page, n, _live in registered] == list(
        range(1, len(registered) + 1)
    )  # one each, no gaps

    site.manage("search_index", "process_queue")  # the worker's round
    report = json.loads(site.manage("search_index", "status", "--json").stdout)

    assert report["pages"] >= len(approved)
    database, elasticsearch = report["database"], report["elasticsearch"]
    assert (database["missing"], database["extra"], database["stale"]) == ([], [], []), database
    assert (elasticsearch["missing"], elasticsearch["extra"]) == ([], []), elasticsearch
    assert database["documents"] == elasticsearch["documents"] == report["pages"]
    assert report["queue"] == 0
