"""The hand-written demo corpus, as things stood on the demo date (registry.DEMO_DATE, 1 March
2012): the 40 experiments of the registry (registry.py, experiments.yaml) and the knowledge
built on them (knowledge.py: practices, evaluations, expertise, answered questions), and the
programme's loop (programme.py: wijkactieplannen, charters, the monitor's values, the barrier
register) and the agenda (agenda.py: meetings and excursions, their reports).

Loading it twice changes nothing: items are found by slug. The search indexes are left to
the caller to bring up to date once afterwards (load_demo does), as after any bulk load.
"""

import importlib.util

from demo.indexes import indexes_paused
from website.structure import ensure_site_structure

from . import agenda, people, programme
from .registry import RegistryLoader


def load_corpus(stdout=None) -> dict[str, int]:
    """Load what is missing of the corpus; {kind: number of pages made now}."""
    ensure_site_structure()  # the parent pages the corpus goes under
    with indexes_paused():
        created = {"experiment": RegistryLoader().load()}
        # The experiments come first: the knowledge half finds them by slug.
        if importlib.util.find_spec("demo.corpus.knowledge") is not None:
            from demo.corpus import knowledge

            for kind, count in knowledge.load(stdout=stdout).items():
                created[kind] = created.get(kind, 0) + count
        # Last: plans and barrier entries link to the experiments by slug.
        created.update(programme.load(stdout=stdout))
        # The agenda's reports link to practices and expertise by title.
        created.update(agenda.load(stdout=stdout))
        created.update(people.load(stdout=stdout))  # the pool, accountmanagers, the alliance
    return created
