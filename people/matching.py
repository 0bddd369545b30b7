"""Matching suggestions: the public experts whose shown themes and experiment types overlap
with those of an experiment, a wijkactieplan or an answered question.

Score: 2 for each shared experiment type, 1 for each shared theme (a type names the approach
itself, a theme only the field); ties by name. Only what a person shows counts, so a
suggestion never reveals a hidden field. A fixed number of queries, whatever the pool's size."""

from dataclasses import dataclass

from django.db.models import Count, Q, prefetch_related_objects

from .models import ExpertProfile

TYPE_WEIGHT = 2
THEME_WEIGHT = 1
SUGGESTIONS = 3


@dataclass(frozen=True)
class Subject:
    theme_ids: frozenset
    type_ids: frozenset


def subject_of(obj) -> Subject:
    """The themes and experiment types of what a page is about, by its kind: an experiment
    (themes, its type), a plan (its goals' themes, its experiments' types), a knowledge item
    such as an answered question (themes, types), or a question record (its theme)."""
    from experiments.models import ExperimentPage
    from programme.models import NeighbourhoodActionPlanPage

    obj = getattr(obj, "specific", obj)
    if isinstance(obj, ExperimentPage):
        types = {obj.experiment_type_id} if obj.experiment_type_id else set()
        return Subject(frozenset(t.pk for t in obj.themes.all()), frozenset(types))
    if isinstance(obj, NeighbourhoodActionPlanPage):
        themes = obj.goals.exclude(theme=None).values_list("theme_id", flat=True)
        types = (
            ExperimentPage.objects.filter(pk__in=[e.pk for e in obj.experiments.all()])
            .exclude(experiment_type=None)
            .values_list("experiment_type_id", flat=True)
        )
        return Subject(frozenset(themes), frozenset(types))
    themes = set()
    if hasattr(obj, "themes"):
        themes = {t.pk for t in obj.themes.all()}
    elif getattr(obj, "theme_id", None):
        themes = {obj.theme_id}
    types = (
        {t.pk for t in obj.experiment_types.all()} if hasattr(obj, "experiment_types") else set()
    )
    return Subject(frozenset(themes), frozenset(types))


def matching_experts(obj, limit=SUGGESTIONS) -> list:
    """Up to `limit` public profiles sharing a shown theme or type with `obj`, best first;
    each with `theme_overlap`, `type_overlap` and `score`."""
    subject = subject_of(obj)
    if not subject.theme_ids and not subject.type_ids:
        return []
    shared_theme = Q(show_themes=True, themes__in=subject.theme_ids)
    shared_type = Q(show_experiment_types=True, experiment_types__in=subject.type_ids)
    candidates = (
        ExpertProfile.objects.public()
        .filter(pk__in=ExpertProfile.objects.filter(shared_theme | shared_type).values("pk"))
        .annotate(
            theme_overlap=Count("themes", filter=shared_theme, distinct=True),
            type_overlap=Count("experiment_types", filter=shared_type, distinct=True),
        )
    )
    ranked = sorted(
        candidates,
        key=lambda p: (
            -(TYPE_WEIGHT * p.type_overlap + THEME_WEIGHT * p.theme_overlap),
            p.name,
            p.pk,
        ),
    )[:limit]
    prefetch_related_objects(ranked, "themes", "experiment_types")
    for profile in ranked:
        profile.score = TYPE_WEIGHT * profile.type_overlap + THEME_WEIGHT * profile.theme_overlap
    return ranked
