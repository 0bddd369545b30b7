"""An experiment's recognition level: the best level among its live evaluations (published and
public). The one statement of that rule, for the search documents, the API, the dump and the
pages; it lives here because evaluations do (experiments know nothing of kennisbank)."""

from django.db.models import Prefetch

from .models import EvaluationPage


def live_evaluations(*order_by: str) -> Prefetch:
    """Prefetch an experiment's live, public evaluations with their level into
    `experiment.live_evaluations` (in `order_by`, if given), which `recognition_level` and
    ExperimentPage.has_live_evaluation read."""
    evaluations = EvaluationPage.objects.live().public().select_related("recognition_level")
    if order_by:
        evaluations = evaluations.order_by(*order_by)
    return Prefetch("evaluations", queryset=evaluations, to_attr="live_evaluations")


def recognition_level(experiment):
    """The best recognition level among the experiment's live evaluations (prefetched with
    `live_evaluations`), or None when none of them has one."""
    levels = [e.recognition_level for e in experiment.live_evaluations if e.recognition_level_id]
    return max(levels, key=lambda level: level.ordinal, default=None)
