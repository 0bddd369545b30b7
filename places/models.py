"""The routable places: /wijken/ (every gemeente, each gemeente, each wijk, the overview)
and /experimenttypen/ (each experiment type), views over everything rendered from the
vocabulary records (one source of truth)."""

from dataclasses import dataclass, replace

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.listing import count_per, page_of
from experiments.models import RICH_TEXT_FEATURES, ExperimentPage
from kennisbank.models import EvaluationPage, ExpertisePage, PracticePage
from kennisbank.recognition import live_evaluations
from places.charts import experiments_chart, legend_series
from places.figures import (
    CrossTable,
    cbs_code_source_url,
    overview_summary,
    programme_facts,
    sources,
    themes_in_order,
    wijken_summary,
)
from places.links import PlaceLinks, search_url
from places.map import gemeenten_map
from programme.models import CharterPage, NeighbourhoodActionPlanPage
from search.facets import neighbourhood_key
from search.service import search
from search.views import SearchUrls, search_context
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
        links = PlaceLinks(request).serving(self)
        return self.render(
            request,
            context_overrides={
                "municipalities": municipalities,
                "overview_url": links.overview(),
                "map": gemeenten_map(municipalities, links.municipality),
                "sources": sources(),
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
                # The gemeente's part of the Actieplan: its plans, charter and visitaties.
                "programme_section": getattr(municipality, "programme_page", None),
                "action_plans": NeighbourhoodActionPlanPage.objects.live()
                .public()
                .filter(municipality=municipality)
                .order_by("title"),
                "charter": CharterPage.objects.live()
                .public()
                .filter(municipality=municipality)
                .first(),
                "visitation_reports": municipality.visitation_reports.select_related("document"),
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
        # What the search finds with this wijk fixed, kind by kind, in the same order and with
        # the same rules (an evaluation is about the wijk of what it evaluates).
        evaluations = (
            EvaluationPage.objects.live()
            .public()
            .filter(Q(experiments__in=experiments) | Q(practices__in=practices))
            .distinct()
        )
        expertise = ExpertisePage.objects.live().public().filter(neighbourhoods=neighbourhood)
        wijk = neighbourhood_key(neighbourhood)
        # (kind, its items, their order, the query parameter that pages them)
        lists = [
            ("experiment", experiments, ("title",), "page"),
            ("praktijk", practices, ("title",), "praktijkpagina"),
            ("evaluatie", evaluations, ("-publication_date", "title"), "evaluatiepagina"),
            ("kennisproduct", expertise, ("-publication_date", "title"), "kennispagina"),
        ]
        about = [
            WijkItems(
                kind,
                page_of(request, items.for_listing().order_by(*order), param),
                param,
                search_url(wijk=wijk, type=kind),
            )
            for kind, items, order, param in lists
        ]
        # The wijk's place in the Actieplan's loop: its plans (with their monitor) and the
        # gemeente's charter.
        action_plans = (
            NeighbourhoodActionPlanPage.objects.live().public().filter(neighbourhoods=neighbourhood)
        ).order_by("title")
        charter = (
            CharterPage.objects.live().public().filter(municipality=neighbourhood.municipality)
        ).first()
        return self.render(
            request,
            template="places/neighbourhood_page.html",
            context_overrides={
                "action_plans": action_plans,
                "charter": charter,
                "neighbourhood": neighbourhood,
                "municipality": neighbourhood.municipality,
                "cbs_code_source_url": cbs_code_source_url(neighbourhood.municipality),
                "programme": programme_facts(),
                "themes": [t for t in themes if t.experiment_count or t.practice_count],
                "about": about,
                "search_url": search_url(wijk=wijk),
                "crumbs": [
                    (
                        neighbourhood.municipality.name,
                        PlaceLinks(request).serving(self).municipality(neighbourhood.municipality),
                    ),
                    (neighbourhood.name, None),
                ],
            },
        )


@dataclass(frozen=True)
class WijkItems:
    """One kind of item about a wijk, for its page: one page of them, the query parameter that
    pages them, and the search for all of them."""

    kind: str  # the content kind's key (core.kinds)
    page_obj: object
    param: str
    search_url: str


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


class BarrierIndexPage(Page):
    """/belemmeringen/: the register of barriers and asks of the Rijk (programme.BarrierPage
    below it), shown as a faceted search with the type fixed. It lives here, above the search,
    because it is a view of the search; its entries live in the programme app."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["programme.BarrierPage"]
    max_count = 1
    # The register is public for good, like the registry it answers.
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("barrier register")

    def serve(self, request, *args, **kwargs):
        # The search with the type fixed: the page's own links leave `type` out (the address
        # fixes it); its JSON, exports, feed and alerts are those of /zoeken/?type=belemmering.
        params = request.GET.copy()
        params.setlist("type", ["belemmering"])
        outcome = search(params)
        outcome.facets = [group for group in outcome.facets if group.key != "type"]
        on_page = replace(
            outcome.query,
            filters={k: v for k, v in outcome.query.filters.items() if k != "type"},
        )
        data_urls = SearchUrls(reverse("search"), outcome.query)
        context = self.get_context(request, *args, **kwargs)
        context.update(search_context(outcome, SearchUrls(request.path, on_page), data_urls))
        context["alert_query"] = urlencode(data_urls.items)
        # The register's own name in the title and link previews, not the search page's.
        title = self.seo_title or self.title
        context["meta_title"] = f"{title}: {outcome.query.text}" if outcome.query.text else title
        return TemplateResponse(request, self.get_template(request), context)
