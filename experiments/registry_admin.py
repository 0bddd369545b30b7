"""The admin tells the truth about the registry: every listing names a registration by its
number and gemeente, a withdrawn one says "ingetrokken" (never "concept"), "Registraties"
lists them all with their status, moderation state, withdrawal and overdue results, and a
gemeente's editors find theirs on the dashboard.

Imported by wagtail_hooks.py, so Wagtail registers these hooks with the others.
"""

from urllib.parse import urlencode

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Value, When
from django.db.models.functions import Cast
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.sections import sections_given_to
from vocabulary.models import Municipality

from .choices import ExperimentStatus
from .models import (
    ExperimentIndexPage,
    ExperimentPage,
    MunicipalityExperimentsPage,
    WithdrawalRequest,
    with_admin_facts,
)

# --- Every explorer listing and page chooser names registrations without a query per row --


@hooks.register("construct_explorer_page_queryset")
def annotate_explorer(parent_page, pages, request):
    return with_admin_facts(pages)


@hooks.register("construct_page_chooser_queryset")
def annotate_chooser(pages, request):
    return with_admin_facts(pages)


# --- What a listing says about one registration --------------------------------------------


def moderation_state(page) -> str:
    """Where the page is in moderation ("" when nowhere), from the workflow states that
    Wagtail's listings prefetch (prefetch_workflow_states)."""
    state = page.current_workflow_state
    if state is None:
        return ""
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return gettext("awaiting review")
    return gettext("rejected: to be changed")  # STATUS_NEEDS_CHANGES, the only other active one


def results_expected_since(page):
    return page.results_due_date if page.results_expected else None


def registry_queryset(pages):
    """What the registry's listings read, fetched in a fixed number of queries: the number,
    gemeente and withdrawal (select_related on Wagtail's specific subquery) and whether a live
    evaluation exists (for results_expected)."""
    pages = pages.with_live_evaluation_flag()
    return pages.select_related(
        "registration", "municipality", for_specific_subqueries=pages.is_specific
    )


# --- "Registraties": every registration the user may see, with filters ----------------------


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no filter whose meaning is a queryset method (`method` takes the queryset and
    whether "yes" was chosen)."""

    def __init__(self, *args, apply, **kwargs):
        kwargs.setdefault("choices", [("ja", _("Yes")), ("nee", _("No"))])
        kwargs.setdefault("empty_label", _("Any"))
        kwargs.setdefault("widget", RadioSelect)
        super().__init__(*args, **kwargs)
        self.apply = apply

    def filter(self, qs, value):
        if value not in ("ja", "nee"):
            return qs
        return self.apply(qs, value == "ja")


def _filter_withdrawn(pages, yes):
    return pages.filter(registration__withdrawn_at__isnull=not yes)


def _filter_results_expected(pages, yes):
    expected = ExperimentPage.objects.results_expected().values("pk")
    return pages.filter(pk__in=expected) if yes else pages.exclude(pk__in=expected)


class RegistrationFilterSet(WagtailFilterSet):
    municipality = django_filters.ModelMultipleChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        widget=CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ExperimentStatus.choices, widget=CheckboxSelectMultiple
    )
    withdrawn = YesNoFilter(label=_("Withdrawn"), apply=_filter_withdrawn)
    results_expected = YesNoFilter(label=_("Results overdue"), apply=_filter_results_expected)

    class Meta:
        model = ExperimentPage
        fields = []


class PublicationColumn(PageStatusColumn):
    """Wagtail's page status tag (live, concept, ingetrokken, ...) with the moderation state."""

    cell_template_name = "experiments/admin/publication_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["moderation"] = moderation_state(instance)
        return context


class RegistrationIndexView(IndexView):
    page_title = _("Registrations")

    def annotate_queryset(self, pages):
        return registry_queryset(super().annotate_queryset(pages))


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        # For whoever works on experiments (gemeente editors, moderators), not for a centre.
        sections = (ExperimentIndexPage, MunicipalityExperimentsPage)
        return (
            PagePermissionPolicy()
            .instances_user_has_any_permission_for(request.user, {"add", "change", "publish"})
            .type(*sections)
            .exists()
        )


class RegistrationListingViewSet(PageListingViewSet):
    model = ExperimentPage
    index_view_class = RegistrationIndexView
    menu_label = _("Registrations")
    icon = "list-ol"
    add_to_admin_menu = True
    menu_order = 150  # after Pages
    menu_item_class = RegistrationsMenuItem
    filterset_class = RegistrationFilterSet
    columns = [
        BulkActionsColumn("bulk_actions"),
        # The title names number and gemeente too (the admin label); their own columns sort.
        PageTitleColumn("title", label=_("Title"), sort_key="title", classname="title"),
        Column(
            "number",
            label=_("Number"),
            accessor="registration_number",
            sort_key="registration__number",
        ),
        Column(
            "municipality",
            label=_("Municipality"),
            accessor="municipality.name",
            sort_key="municipality__name",
        ),
        Column(
            "experiment_status", label=_("Status"), accessor="get_status_display", sort_key="status"
        ),
        PublicationColumn("publication", label=_("Publication"), sort_key="live"),
        DateColumn(
            "withdrawn",
            label=_("Withdrawn"),
            accessor="registration.withdrawn_at",
            sort_key="registration__withdrawn_at",
        ),
        # A plain date: "since 1 March 2011" says more here than "15 years ago".
        Column("results_expected", label=_("Results overdue"), accessor=results_expected_since),
    ]


registrations = RegistrationListingViewSet("registraties")


@hooks.register("register_admin_viewset")
def register_registrations():
    return registrations


def registrations_url(**filters) -> str:
    """The Registraties listing, filtered (municipality=<pk>, results_expected="ja", ...)."""
    url = reverse(registrations.get_url_name("index"))
    return f"{url}?{urlencode(filters, doseq=True)}" if filters else url


# --- The dashboard: a gemeente's editors see their own registrations ------------------------


def _workflow_states(status):
    """The page's workflow states with `status`, for Exists() on a page queryset (the state
    keeps the page's id as text, hence the cast)."""
    return WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=status,
    )


def attention_first(pages):
    """Pages ordered by what needs doing: rejected (to change), results expected, awaiting
    review, then the rest, each group the most recently changed first."""
    overdue = ExperimentPage.objects.results_expected().values("pk")
    return pages.annotate(
        _attention=Case(
            When(Exists(_workflow_states(WorkflowState.STATUS_NEEDS_CHANGES)), then=Value(0)),
            When(pk__in=overdue, then=Value(1)),
            When(Exists(_workflow_states(WorkflowState.STATUS_IN_PROGRESS)), then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("_attention", F("latest_revision_created_at").desc(nulls_last=True), "pk")


class MunicipalityRegistrationsPanel(Component):
    """The registrations of the gemeenten whose sections the user was given (a gemeente's
    editors): what needs doing first, and links to all of them in Registraties."""

    name = "municipality_registrations"
    template_name = "experiments/admin/panels/municipality_registrations.html"
    order = 205  # above Wagtail's "your pages in moderation" (210)
    limit = 10

    def __init__(self, municipalities):
        self.municipalities = municipalities

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pages = ExperimentPage.objects.filter(municipality__in=self.municipalities)
        # specific(), as Wagtail's listings do: prefetch_workflow_states() then follows the
        # relation on the page's own content type.
        shown = list(
            registry_queryset(
                attention_first(pages)
                .specific()
                .prefetch_workflow_states()
                .annotate_approved_schedule()
            )[: self.limit]
        )
        withdrawal_requested = set(
            WithdrawalRequest.objects.filter(
                status=WithdrawalRequest.Status.OPEN, registration__page__in=shown
            ).values_list("registration__page_id", flat=True)
        )
        pks = [m.pk for m in self.municipalities]
        context.update(
            request=parent_context["request"],
            rows=[
                {
                    "page": page,
                    "moderation": ", ".join(
                        filter(
                            None,
                            [
                                moderation_state(page),
                                gettext("withdrawal requested")
                                if page.pk in withdrawal_requested
                                else "",
                            ],
                        )
                    ),
                    "results_expected_since": results_expected_since(page),
                }
                for page in shown
            ],
            total=pages.count(),
            overdue=pages.results_expected().count(),
            municipalities=self.municipalities,
            all_url=registrations_url(municipality=pks),
            overdue_url=registrations_url(municipality=pks, results_expected="ja"),
        )
        return context


@hooks.register("construct_homepage_panels")
def add_municipality_registrations_panel(request, panels):
    sections = sections_given_to(request.user, MunicipalityExperimentsPage).select_related(
        "municipality"
    )
    municipalities = [section.municipality for section in sections]
    if municipalities:
        panels.append(MunicipalityRegistrationsPanel(municipalities))
