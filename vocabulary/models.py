"""The vocabulary every other app stands on: gemeenten, wijken, themes, knowledge centres,
experiment types and recognition levels.

Slugs are what URLs and search filters use, so they are made once from the name and never
change when an editor renames an item (the admin shows them read-only).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

postcode_areas_validator = RegexValidator(
    r"^\s*(\d{4}(\s*,\s*\d{4})*)?\s*$",
    _("Enter four-digit postcode areas separated by commas, for example 1813, 1814."),
)


def unique_slug(model, base: str, **scope) -> str:
    """A slug from `base` that no other row of `model` in `scope` has yet."""
    base = slugify(base)[:60] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class VocabularyItem(index.Indexed, models.Model):
    """Shared behaviour: a name, a stable slug made from it, ordering by name."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Used in web addresses and search filters; it never changes."),
    )

    slug_scope: tuple[str, ...] = ()
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            scope = {field: getattr(self, field) for field in self.slug_scope}
            self.slug = unique_slug(type(self), self.slug_source(), **scope)
        super().save(*args, **kwargs)

    def slug_source(self) -> str:
        return self.name


class Municipality(VocabularyItem):
    official_name = models.CharField(
        _("official name"),
        max_length=200,
        blank=True,
        help_text=_("Only where it differs from the common name, e.g. 's-Gravenhage."),
    )
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("A CBS code looks like GM0599."))],
    )
    cbs_code_source = models.CharField(_("source of the CBS code"), max_length=200, blank=True)
    # Where the gemeente is on the map of the 18 gemeenten (places/map.py), in WGS84 degrees.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=7,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Of the town's centre, in degrees north, e.g. 51.92250 for Rotterdam."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Of the town's centre, in degrees east, e.g. 4.47917 for Rotterdam."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug", read_only=True),
        FieldPanel("official_name"),
        FieldPanel("cbs_code"),
        FieldPanel("cbs_code_source"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]

    class Meta(VocabularyItem.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [models.UniqueConstraint(fields=["slug"], name="municipality_unique_slug")]


class Neighbourhood(VocabularyItem):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("municipality"),
    )
    is_krachtwijk = models.BooleanField(
        _("krachtwijk"),
        default=False,
        help_text=_("One of the 40 neighbourhoods named in the Actieplan Krachtwijken (2007)."),
    )
    postcode_areas = models.CharField(
        _("postcode areas"),
        max_length=200,
        blank=True,
        validators=[postcode_areas_validator],
        help_text=_("Four-digit postcode areas (pc4), separated by commas."),
    )
    alternative_names = models.CharField(
        _("alternative names"),
        max_length=300,
        blank=True,
        help_text=_("Other names people use for this neighbourhood, separated by commas."),
    )
    note = models.TextField(_("note"), blank=True)
    # Its history on the list of krachtwijken.
    listed_on = models.DateField(_("on the list since"), null=True, blank=True)
    replaces = models.CharField(
        _("replaces on the list"),
        max_length=200,
        blank=True,
        help_text=_("The wijk whose place on the list this one took, if any."),
    )
    delisted = models.BooleanField(_("taken off the list"), default=False)
    delisted_on = models.DateField(
        _("taken off the list on"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the date is not known."),
    )

    slug_scope = ("municipality",)
    panels = [
        FieldPanel("name"),
        FieldPanel("slug", read_only=True),
        FieldPanel("municipality"),
        FieldPanel("is_krachtwijk"),
        FieldPanel("postcode_areas"),
        FieldPanel("alternative_names"),
        FieldPanel("note"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("listed_on"), FieldPanel("replaces")]),
                FieldRowPanel([FieldPanel("delisted"), FieldPanel("delisted_on")]),
            ],
            heading=_("History on the list"),
        ),
    ]

    class Meta(VocabularyItem.Meta):
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="neighbourhood_unique_slug_per_municipality"
            )
        ]

    def clean(self):
        super().clean()
        if self.delisted_on and not self.delisted:
            raise ValidationError(
                {
                    "delisted": _(
                        "Tick “taken off the list” too when you give the date it was taken off."
                    )
                }
            )

    @property
    def postcode_area_list(self) -> list[str]:
        return [p.strip() for p in self.postcode_areas.split(",") if p.strip()]

    @property
    def alternative_name_list(self) -> list[str]:
        return [n.strip() for n in self.alternative_names.split(",") if n.strip()]


class Theme(VocabularyItem):
    description = models.TextField(_("description"), blank=True)
    is_main_theme = models.BooleanField(
        _("main theme of the Actieplan"),
        default=True,
        help_text=_("The five themes of the wijkactieplannen; health runs through all of them."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug", read_only=True),
        FieldPanel("description"),
        FieldPanel("is_main_theme"),
    ]

    class Meta(VocabularyItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["slug"], name="theme_unique_slug")]


class KnowledgeCentre(VocabularyItem):
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    field_of_work = models.TextField(_("field of work"), blank=True)
    status = models.TextField(
        _("status"), blank=True, help_text=_("Whether it still exists, and its successor if not.")
    )

    panels = [
        FieldPanel("abbreviation"),
        FieldPanel("name"),
        FieldPanel("slug", read_only=True),
        FieldPanel("field_of_work"),
        FieldPanel("status"),
    ]

    class Meta(VocabularyItem.Meta):
        ordering = ["abbreviation"]
        verbose_name = _("knowledge centre")
        verbose_name_plural = _("knowledge centres")
        constraints = [models.UniqueConstraint(fields=["slug"], name="knowledgecentre_unique_slug")]

    def __str__(self):
        return self.abbreviation

    def slug_source(self) -> str:
        return self.abbreviation


class ExperimentType(VocabularyItem):
    class Level(models.TextChoices):
        MICRO = "micro", _("micro: behind the front door")
        MESO = "meso", _("meso: the neighbourhood")
        MACRO = "macro", _("macro: administration and funding")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug", read_only=True),
        FieldPanel("level"),
        FieldPanel("summary"),
        FieldPanel("description"),
    ]

    class Meta(VocabularyItem.Meta):
        verbose_name = _("experiment type")
        verbose_name_plural = _("experiment types")
        constraints = [models.UniqueConstraint(fields=["slug"], name="experimenttype_unique_slug")]


class RecognitionLevel(VocabularyItem):
    ordinal = models.PositiveSmallIntegerField(
        _("order"), unique=True, help_text=_("0 for not assessed; higher is stronger evidence.")
    )
    description = models.TextField(_("description"), blank=True)
    validity_years = models.PositiveSmallIntegerField(_("valid for (years)"), null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug", read_only=True),
        FieldPanel("ordinal"),
        FieldPanel("description"),
        FieldPanel("validity_years"),
    ]

    class Meta(VocabularyItem.Meta):
        ordering = ["ordinal"]
        verbose_name = _("recognition level")
        verbose_name_plural = _("recognition levels")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="recognitionlevel_unique_slug")
        ]
