"""The routable places: /wijken/ (every gemeente, each gemeente, each wijk, the overview)
and /experimenttypen/ (each experiment type), views over everything rendered from the
vocabulary records (one source of truth)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.listing import count_per, page_of
from experiments.models import RICH_TEXT_FEATURES, ExperimentPage
from kennisbank.models import ExpertisePage, PracticePage
from kennisbank.recognition import live_evaluations
from places.charts import experiments_chart, legend_series
from places.figures import (
    CrossTable,
    cbs_code_source_url,
    overview_summary,
    programme_facts,
    themes_in_order,
    wijken_summary,
)
from places.links import PlaceLinks
from vocabulary.models import ExperimentType, Municipality, Neighbourhood


class NeighbourhoodIndexPage(RoutablePageMixin, Page):
    """/wijken/, /wijken/<gemeente>/ and /wijken/<gemeente>/<wijk>/, rendered from the
    Neighbourhood records."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("wijken index")

    @path("")
    def index(self, request):
        counts = count_per(ExperimentPage.objects.live().public(), "municipality")
        municipalities = list(
            Municipality.objects.prefetch_related(
                Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
            )
        )
        for municipality in municipalities:
            municipality.experiment_count = counts.get(municipality.pk, 0)
        return self.render(
            request,
            context_overrides={
                "municipalities": municipalities,
                "overview_url": PlaceLinks(request).serving(self).overview(),
            },
        )

    # Before the gemeente route, which would otherwise take "overzicht" for a gemeente's slug.
    @path("overzicht/", name="overview")
    def overview(self, request):
        """Published experiments per gemeente and theme: a table and a chart."""
        experiments = ExperimentPage.objects.live().public()
        table = CrossTable.count(experiments, Municipality.objects.all(), "municipality")
        return self.render(
            request,
            template="places/neighbourhood_overview_page.html",
            context_overrides={
                "table": table,
                "summary": overview_summary(table),
                "legend": legend_series(table.themes),
                "chart": experiments_chart(
                    table,
                    row_key=lambda m: m.slug,
                    labelledby="chart-heading",
                    describedby="chart-summary",
                    title=_("Published experiments per gemeente, by theme"),
                ),
                "crumbs": [(_("Overview of experiments"), None)],
            },
        )

    @path("<slug:municipality>/", name="municipality")
    def municipality(self, request, municipality):
        municipality = get_object_or_404(Municipality, slug=municipality)
        experiments = ExperimentPage.objects.live().public().filter(municipality=municipality)
        practice_counts = count_per(
            PracticePage.objects.live().public().filter(municipality=municipality), "neighbourhoods"
        )
        neighbourhoods = list(municipality.neighbourhoods.order_by("name"))
        # Experiments per wijk and theme; its row totals are the experiments per wijk.
        table = CrossTable.count(experiments, neighbourhoods, "neighbourhoods")
        for neighbourhood in neighbourhoods:
            neighbourhood.experiment_count = table.row_totals.get(neighbourhood.pk, 0)
            neighbourhood.practice_count = practice_counts.get(neighbourhood.pk, 0)
        return self.render(
            request,
            template="places/municipality_page.html",
            context_overrides={
                "municipality": municipality,
                "cbs_code_source_url": cbs_code_source_url(municipality),
                "neighbourhoods": neighbourhoods,
                "table": table,
                "summary": wijken_summary(table, municipality),
                "legend": legend_series(table.themes),
                "chart": experiments_chart(
                    table,
                    row_key=lambda n: n.slug,
                    labelledby="chart-heading",
                    describedby="chart-summary",
                    title=_("Published experiments per wijk, by theme"),
                ),
                "page_obj": page_of(request, experiments.for_listing().order_by("title")),
                "crumbs": [(municipality.name, None)],
            },
        )

    @path("<slug:municipality>/<slug:neighbourhood>/", name="neighbourhood")
    def neighbourhood(self, request, municipality, neighbourhood):
        neighbourhood = get_object_or_404(
            Neighbourhood.objects.select_related("municipality"),
            municipality__slug=municipality,
            slug=neighbourhood,
        )
        experiments = ExperimentPage.objects.live().public().filter(neighbourhoods=neighbourhood)
        practices = PracticePage.objects.live().public().filter(neighbourhoods=neighbourhood)
        experiment_counts = count_per(experiments, "themes")
        practice_counts = count_per(practices, "themes")
        themes = []
        for theme in themes_in_order():
            theme.experiment_count = experiment_counts.get(theme.pk, 0)
            theme.practice_count = practice_counts.get(theme.pk, 0)
            themes.append(theme)
        return self.render(
            request,
            template="places/neighbourhood_page.html",
            context_overrides={
                "neighbourhood": neighbourhood,
                "municipality": neighbourhood.municipality,
                "cbs_code_source_url": cbs_code_source_url(neighbourhood.municipality),
                "programme": programme_facts(),
                "themes": [t for t in themes if t.experiment_count or t.practice_count],
                "experiments_page": page_of(request, experiments.for_listing().order_by("title")),
                "practices_page": page_of(
                    request, practices.for_listing().order_by("title"), param="praktijkpagina"
                ),
                "crumbs": [
                    (
                        neighbourhood.municipality.name,
                        PlaceLinks(request).serving(self).municipality(neighbourhood.municipality),
                    ),
                    (neighbourhood.name, None),
                ],
            },
        )


class ExperimentTypeIndexPage(RoutablePageMixin, Page):
    """/experimenttypen/ and /experimenttypen/<type>/: what a gezinscoach or stadsmarinier
    is, with every local experiment of that type in one place."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("experiment types index")

    @path("")
    def index(self, request):
        experiments = ExperimentPage.objects.live().public()
        experiment_counts = count_per(experiments, "experiment_type")
        municipality_counts = count_per(experiments, "experiment_type", counted="municipality")
        types = list(ExperimentType.objects.all())
        for experiment_type in types:
            experiment_type.experiment_count = experiment_counts.get(experiment_type.pk, 0)
            experiment_type.municipality_count = municipality_counts.get(experiment_type.pk, 0)
        return self.render(request, context_overrides={"experiment_types": types})

    @path("<slug:experiment_type>/", name="experiment_type")
    def experiment_type(self, request, experiment_type):
        experiment_type = get_object_or_404(ExperimentType, slug=experiment_type)
        experiments = (
            ExperimentPage.objects.live()
            .public()
            .filter(experiment_type=experiment_type)
            .for_listing()
            .prefetch_related(live_evaluations("-publication_date"))
            .order_by("municipality__name", "title")
        )
        practices = (
            PracticePage.objects.live()
            .public()
            .filter(experiment_type=experiment_type)
            .for_listing()
            .order_by("title")[:10]
        )
        expertise = (
            ExpertisePage.objects.live()
            .public()
            .filter(experiment_types=experiment_type)
            .for_listing()
            .order_by("-publication_date")[:10]
        )
        return self.render(
            request,
            template="places/experiment_type_page.html",
            context_overrides={
                "experiment_type": experiment_type,
                "page_obj": page_of(request, experiments),
                "practices": practices,
                "expertise": expertise,
                "crumbs": [(experiment_type.name, None)],
            },
        )
