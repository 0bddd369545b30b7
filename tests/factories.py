"""Factories for test content: one per page type and per vocabulary item the pages need.

The vocabulary and the fixed page tree (home, sections, one experiments and one practices page
per gemeente, one page per knowledge centre) are loaded once per session (tests/conftest.py), so
their factories look items up by slug or owner and only create what is missing. Content pages
are made the way the admin makes them: added under their section as a draft with a revision,
and, with `published=True`, that revision published (which registers an experiment):

    ExperimentPageFactory(title="Buurtcoach", published=True)
    ExperimentPageFactory(gemeente="amsterdam", wijk="bos-en-lommer", status="lopend")
    EvaluationPageFactory(experiments=[experiment], recognition_level=RecognitionLevelFactory())

`filled=True` fills in every optional field the demo fills in too (texts, contact, image,
document, partners, tags, links to other pages): for tests of what a whole page renders.
"""

import datetime as dt

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from wagtail.models import Collection

from demo.pdf import text_pdf
from experiments.models import (
    ExperimentIndexPage,
    ExperimentPage,
    ExperimentPartner,
    MunicipalityExperimentsPage,
)
from kennisbank.models import (
    EvaluationIndexPage,
    EvaluationPage,
    ExpertiseKind,
    ExpertisePage,
    KennisbankIndexPage,
    KnowledgeCentreIndexPage,
    KnowledgeCentrePage,
    MunicipalityPracticesPage,
    PracticeIndexPage,
    PracticePage,
)
from places.models import BarrierIndexPage
from programme.models import (
    BarrierPage,
    CharterCommitment,
    CharterPage,
    CharterSignatory,
    Ministry,
    MunicipalityProgrammePage,
    NeighbourhoodActionPlanPage,
    PlanActivity,
    PlanGoal,
    ProgrammeIndexPage,
)
from vocabulary.models import (
    ExperimentType,
    KnowledgeCentre,
    Municipality,
    Neighbourhood,
    RecognitionLevel,
    Theme,
)
from website.models import HomePage

# --- Vocabulary: found by slug in the loaded vocabulary, created only when missing ----------------


class VocabularyFactory(DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("slug",)

    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class MunicipalityFactory(VocabularyFactory):
    class Meta:
        model = Municipality

    slug = "rotterdam"
    cbs_code = factory.Sequence(lambda n: f"GM9{n % 1000:03d}")


class NeighbourhoodFactory(VocabularyFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("municipality", "slug")

    class Params:
        gemeente = "rotterdam"

    municipality = factory.SubFactory(MunicipalityFactory, slug=factory.SelfAttribute("..gemeente"))
    slug = "crooswijk"


class ThemeFactory(VocabularyFactory):
    class Meta:
        model = Theme

    slug = "veiligheid"


class ExperimentTypeFactory(VocabularyFactory):
    class Meta:
        model = ExperimentType

    slug = "gezinscoach"


class KnowledgeCentreFactory(VocabularyFactory):
    class Meta:
        model = KnowledgeCentre

    slug = "nicis"
    abbreviation = factory.LazyAttribute(lambda o: o.slug.upper())


class RecognitionLevelFactory(VocabularyFactory):
    """Defaults to the strongest level the vocabulary has."""

    class Meta:
        model = RecognitionLevel

    slug = factory.LazyFunction(lambda: RecognitionLevel.objects.order_by("-ordinal")[0].slug)
    ordinal = factory.Sequence(lambda n: 100 + n)


# --- Media, in the root collection as the demo's ---------------------------------------------------


class ImageFactory(wagtail_factories.ImageFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Testafbeelding {n}")
    file = factory.django.ImageField(width=800, height=450, color="#154273")


class DocumentFactory(wagtail_factories.DocumentFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Testdocument {n}")
    file = factory.django.FileField(
        filename="testdocument.pdf",
        data=factory.LazyAttribute(lambda o: text_pdf("Test", ["Testdocument."])),
    )


# --- The fixed page tree: found under their parent by slug, created only when missing -------------


class TreePageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("parent", "slug")


class ExperimentIndexPageFactory(TreePageFactory):
    class Meta:
        model = ExperimentIndexPage

    parent = factory.LazyFunction(HomePage.objects.get)
    title = "Experimenten"
    slug = "experimenten"


class KennisbankIndexPageFactory(TreePageFactory):
    class Meta:
        model = KennisbankIndexPage

    parent = factory.LazyFunction(HomePage.objects.get)
    title = "Kennisbank"
    slug = "kennisbank"


class PracticeIndexPageFactory(TreePageFactory):
    class Meta:
        model = PracticeIndexPage

    parent = factory.SubFactory(KennisbankIndexPageFactory)
    title = "Goede praktijken"
    slug = "praktijken"


class EvaluationIndexPageFactory(TreePageFactory):
    class Meta:
        model = EvaluationIndexPage

    parent = factory.SubFactory(KennisbankIndexPageFactory)
    title = "Evaluaties"
    slug = "evaluaties"


class KnowledgeCentreIndexPageFactory(TreePageFactory):
    class Meta:
        model = KnowledgeCentreIndexPage

    parent = factory.SubFactory(KennisbankIndexPageFactory)
    title = "Kenniscentra"
    slug = "kenniscentra"


class MunicipalityExperimentsPageFactory(TreePageFactory):
    """A gemeente's experiments section: MunicipalityExperimentsPageFactory(gemeente="utrecht")."""

    class Meta:
        model = MunicipalityExperimentsPage

    class Params:
        gemeente = "rotterdam"

    parent = factory.SubFactory(ExperimentIndexPageFactory)
    municipality = factory.SubFactory(MunicipalityFactory, slug=factory.SelfAttribute("..gemeente"))
    title = factory.LazyAttribute(lambda o: o.municipality.name)
    slug = factory.LazyAttribute(lambda o: o.municipality.slug)


class MunicipalityPracticesPageFactory(MunicipalityExperimentsPageFactory):
    class Meta:
        model = MunicipalityPracticesPage

    parent = factory.SubFactory(PracticeIndexPageFactory)


class KnowledgeCentrePageFactory(TreePageFactory):
    """A knowledge centre's section: KnowledgeCentrePageFactory(centre="kei")."""

    class Meta:
        model = KnowledgeCentrePage

    class Params:
        centre = "nicis"

    parent = factory.SubFactory(KnowledgeCentreIndexPageFactory)
    knowledge_centre = factory.SubFactory(
        KnowledgeCentreFactory, slug=factory.SelfAttribute("..centre")
    )
    title = factory.LazyAttribute(lambda o: o.knowledge_centre.name)
    slug = factory.LazyAttribute(lambda o: o.knowledge_centre.slug)


# --- Content pages: a draft with a revision, published through it on request -----------------


class ContentPageFactory(wagtail_factories.PageFactory):
    """Adds the page under `parent` as a draft with a revision, as the admin does; with
    `published=True` it publishes that revision (the project's publish path: an experiment
    gets its registration) and returns the page as saved. The search index follows after the
    commit: a test that searches makes its pages inside
    `django_capture_on_commit_callbacks(execute=True)`."""

    class Meta:
        abstract = True

    # Left empty, Wagtail makes the slug from the title (unique among siblings), as the admin.
    slug = ""
    live = False
    published = False
    tags = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        published, tags = kwargs.pop("published"), kwargs.pop("tags")
        page = super()._create(model_class, *args, **kwargs)
        if tags:  # kept with the page's cluster, so they go into the revision
            page.tags.add(*tags)
        revision = page.save_revision()
        if published:
            revision.publish()
            page.refresh_from_db()
        return page

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("published")
        kwargs.pop("tags")
        return super()._build(model_class, *args, **kwargs)


class ExperimentPageFactory(ContentPageFactory):
    """An experiment of `gemeente` in its wijk `wijk` (slugs), of type gezinscoach, on safety.
    The gemeente comes from the section the page is made in; pass `neighbourhoods`, `themes`
    or `experiment_type` to choose others."""

    class Meta:
        model = ExperimentPage

    class Params:
        gemeente = "rotterdam"
        wijk = "crooswijk"
        filled = factory.Trait(
            status="lopend",
            start_date=dt.date(2009, 1, 1),
            planned_end_date=dt.date(2011, 1, 1),
            problem_analysis="<p>Problemen stapelen zich op bij een kleine groep huishoudens.</p>",
            goals="<p>Minder huishoudens met meervoudige problemen na twee jaar.</p>",
            activities="<p>Een coach komt achter de voordeur.</p>",
            target_group="Gezinnen met meervoudige problemen",
            mandate="<p>De coach mag namens alle partners besluiten.</p>",
            research_design="<p>Voor- en nameting bij deelnemers.</p>",
            obstacles="<p>Privacyregels maken het delen van gegevens lastig.</p>",
            request_to_government="<p>Ruimte om af te wijken van landelijke regels.</p>",
            contact_name="Test Contactpersoon",
            contact_organisation="Gemeente Test",
            contact_email="contact@example.org",
            image=factory.SubFactory(ImageFactory),
            partners=factory.LazyFunction(
                lambda: [
                    ExperimentPartner(
                        name="Woonstichting Test",
                        role=ExperimentPartner.Role.HOUSING_ASSOCIATION,
                        contribution="Levert woningen en huismeesters",
                    ),
                    ExperimentPartner(name="Politie Test", role=ExperimentPartner.Role.POLICE),
                ]
            ),
            tags=("mandaat", "samenwerking"),
        )

    parent = factory.LazyAttribute(
        lambda o: MunicipalityExperimentsPageFactory(gemeente=o.gemeente)
    )
    title = factory.Sequence(lambda n: f"Testexperiment {n}")
    summary = "Een testexperiment."
    experiment_type = factory.SubFactory(ExperimentTypeFactory)
    neighbourhoods = factory.LazyAttribute(
        lambda o: [NeighbourhoodFactory(gemeente=o.gemeente, slug=o.wijk)]
    )
    themes = factory.LazyFunction(lambda: [ThemeFactory()])


class PracticePageFactory(ContentPageFactory):
    """A practice of `gemeente`, on safety; in wijk `wijk` when given (none by default)."""

    class Meta:
        model = PracticePage

    class Params:
        gemeente = "rotterdam"
        wijk = None
        filled = factory.Trait(
            wijk="crooswijk",
            experiment_type=factory.SubFactory(ExperimentTypeFactory),
            source_experiment=factory.SubFactory(ExperimentPageFactory, published=True),
            recognition_level=factory.SubFactory(RecognitionLevelFactory),
            period="2008-2010",
            problem="<p>Jongeren hangen op straat.</p>",
            approach="<p>Een coach per portiek.</p>",
            results="<p>Deelnemers waren na een jaar vaker aan het werk.</p>",
            success_conditions="<p>Steun van het bestuur.</p>",
            costs="<p>Ongeveer 200.000 euro per jaar.</p>",
            contact_name="Test Contactpersoon",
            contact_organisation="Gemeente Test",
            image=factory.SubFactory(ImageFactory),
            document=factory.SubFactory(DocumentFactory),
            tags=("jongeren",),
        )

    parent = factory.LazyAttribute(lambda o: MunicipalityPracticesPageFactory(gemeente=o.gemeente))
    title = factory.Sequence(lambda n: f"Testpraktijk {n}")
    summary = "Een praktijk."
    neighbourhoods = factory.LazyAttribute(
        lambda o: [NeighbourhoodFactory(gemeente=o.gemeente, slug=o.wijk)] if o.wijk else []
    )
    themes = factory.LazyFunction(lambda: [ThemeFactory()])


class EvaluationPageFactory(ContentPageFactory):
    """A process evaluation; pass `experiments` and `practices` (lists of pages) it evaluates."""

    class Meta:
        model = EvaluationPage

    class Params:
        filled = factory.Trait(
            knowledge_centre=factory.SubFactory(KnowledgeCentreFactory),
            publication_date=dt.date(2011, 6, 1),
            recognition_level=factory.SubFactory(RecognitionLevelFactory),
            findings="<p>De aanpak bereikt de doelgroep goed.</p>",
            report=factory.SubFactory(DocumentFactory),
            experiments=factory.LazyFunction(lambda: [ExperimentPageFactory(published=True)]),
            practices=factory.LazyFunction(lambda: [PracticePageFactory(published=True)]),
            themes=factory.LazyFunction(lambda: [ThemeFactory()]),
            tags=("evaluatie",),
        )

    parent = factory.SubFactory(EvaluationIndexPageFactory)
    title = factory.Sequence(lambda n: f"Testevaluatie {n}")
    summary = "Test."
    kind = "procesevaluatie"
    method = "kwalitatief"
    evaluator = "Testbureau"


class ExpertisePageFactory(ContentPageFactory):
    """A dossier of knowledge centre `centre` (slug)."""

    class Meta:
        model = ExpertisePage

    class Params:
        centre = "nicis"
        filled = factory.Trait(
            authors="Test Auteur en Tweede Auteur",
            publication_date=dt.date(2010, 3, 1),
            body=[
                ("heading", "Wat werkt"),
                ("paragraph", "<p>Begin klein en organiseer het mandaat.</p>"),
                ("quote", "Begin klein, maar organiseer het mandaat vanaf de eerste dag."),
            ],
            document=factory.SubFactory(DocumentFactory),
            themes=factory.LazyFunction(lambda: [ThemeFactory()]),
            experiment_types=factory.LazyFunction(lambda: [ExperimentTypeFactory()]),
            tags=("dossier",),
        )

    parent = factory.LazyAttribute(lambda o: KnowledgeCentrePageFactory(centre=o.centre))
    title = factory.Sequence(lambda n: f"Testdossier {n}")
    kind = ExpertiseKind.DOSSIER
    summary = "Een dossier."


# --- The programme's loop: plans and charters under a section per gemeente, barriers --------------


class ProgrammeIndexPageFactory(TreePageFactory):
    class Meta:
        model = ProgrammeIndexPage

    parent = factory.LazyFunction(HomePage.objects.get)
    title = "Wijkactieplannen"
    slug = "wijkactieplannen"


class MunicipalityProgrammePageFactory(MunicipalityExperimentsPageFactory):
    class Meta:
        model = MunicipalityProgrammePage

    parent = factory.SubFactory(ProgrammeIndexPageFactory)


class BarrierIndexPageFactory(TreePageFactory):
    class Meta:
        model = BarrierIndexPage

    parent = factory.LazyFunction(HomePage.objects.get)
    title = "Belemmeringen en vragen aan het Rijk"
    slug = "belemmeringen"


def _plan_goals():
    return [
        PlanGoal(
            theme=ThemeFactory(slug="werken"),
            goal="Meer bewoners aan het werk",
            code="werkloosheid",
            indicator="Werkloze beroepsbevolking",
            unit="%",
            direction="lager",
            baseline_year=2007,
            baseline_value=14,
            target_year=2015,
            target_value=8,
            source="CBS",
        )
    ]


def _plan_activities():
    return [
        PlanActivity(
            goal_code="werkloosheid",
            description="Werktrajecten voor werkzoekenden",
            partner="UWV Werkbedrijf",
            unit="trajecten",
            planned_quantity=400,
            realised_quantity=250,
            budget=1200000,
        )
    ]


class NeighbourhoodActionPlanPageFactory(ContentPageFactory):
    """A wijkactieplan of `gemeente` for its wijk `wijk`, with one goal on werken (code
    "werkloosheid", lower is better, 14% in 2007 to 8% in 2015) and one prestatie for it;
    pass `goals` and `activities` (lists of PlanGoal / PlanActivity) to choose others."""

    class Meta:
        model = NeighbourhoodActionPlanPage

    class Params:
        gemeente = "rotterdam"
        wijk = "crooswijk"

    parent = factory.LazyAttribute(lambda o: MunicipalityProgrammePageFactory(gemeente=o.gemeente))
    title = factory.Sequence(lambda n: f"Testwijkactieplan {n}")
    summary = "Een wijkactieplan."
    adopted_on = dt.date(2008, 3, 1)
    problem_analysis = "<p>Veel werkloosheid en weinig perspectief.</p>"
    neighbourhoods = factory.LazyAttribute(
        lambda o: [NeighbourhoodFactory(gemeente=o.gemeente, slug=o.wijk)]
    )
    goals = factory.LazyFunction(_plan_goals)
    activities = factory.LazyFunction(_plan_activities)


class CharterPageFactory(ContentPageFactory):
    """The charter of `gemeente`, signed by one person per side, with one commitment each."""

    class Meta:
        model = CharterPage

    class Params:
        gemeente = "rotterdam"

    parent = factory.LazyAttribute(lambda o: MunicipalityProgrammePageFactory(gemeente=o.gemeente))
    title = factory.LazyAttribute(lambda o: f"Charter {o.parent.municipality.name}")
    summary = "De afspraken tussen gemeente en Rijk."
    signed_on = dt.date(2007, 11, 1)
    signatories = factory.LazyFunction(
        lambda: [
            CharterSignatory(party="rijk", name="Minister", function="minister voor WWI"),
            CharterSignatory(party="gemeente", name="Wethouder", function="wethouder wijken"),
        ]
    )
    commitments = factory.LazyFunction(
        lambda: [
            CharterCommitment(
                party="gemeente", theme=ThemeFactory(slug="werken"), commitment="Meer werk."
            ),
            CharterCommitment(
                party="rijk", theme=ThemeFactory(slug="werken"), commitment="Ruimte in regels."
            ),
        ]
    )


class BarrierPageFactory(ContentPageFactory):
    """A barrier entry addressed to SZW (a ministry of the reference data), on werken; pass
    `experiments` and `action_plans` (lists of pages) that raise it."""

    class Meta:
        model = BarrierPage

    parent = factory.SubFactory(BarrierIndexPageFactory)
    title = factory.Sequence(lambda n: f"Testbelemmering {n}")
    kind = "regelgeving"
    summary = "Een regel zit in de weg."
    ministry = factory.LazyFunction(lambda: Ministry.objects.get(slug="szw"))
    received_on = dt.date(2009, 5, 1)
    themes = factory.LazyFunction(lambda: [ThemeFactory(slug="werken")])


FACTORY_FOR = {
    ExperimentPage: ExperimentPageFactory,
    PracticePage: PracticePageFactory,
    EvaluationPage: EvaluationPageFactory,
    ExpertisePage: ExpertisePageFactory,
    NeighbourhoodActionPlanPage: NeighbourhoodActionPlanPageFactory,
    CharterPage: CharterPageFactory,
    BarrierPage: BarrierPageFactory,
}


def live_page_of(model):
    """A published page of `model` to look at: of a content type a new one with every field
    filled in, of the fixed tree's types (home, sections, indexes) the one in the tree."""
    if model in FACTORY_FOR:
        return FACTORY_FOR[model](filled=True, published=True)
    return model.objects.live().first()
