"""Which section an editor group belongs to. Wagtail's page permissions say what a group may
do where; this says *whose* group it is, so other parts (the question desk, reminders) can
find a gemeente's or a centre's editors without parsing group names."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class SectionGroup(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("municipality editors")
        KNOWLEDGE_CENTRE = "kenniscentrum", _("knowledge centre editors")
        MODERATORS = "redactie", _("moderators")
        # The Rijk's programme directorate: records and answers barriers, remarks on plans.
        # The gemeenten's accountmanagers (issue 18) join this group until they get their own.
        RIJK = "rijk", _("national programme directorate")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="section")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    municipality = models.OneToOneField(
        "vocabulary.Municipality",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="editor_group",
    )
    knowledge_centre = models.OneToOneField(
        "vocabulary.KnowledgeCentre",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="editor_group",
    )
    # Where the group's documents and images go (made by setup_roles; none for the moderators,
    # who work in every collection).
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="section_group",
    )

    class Meta:
        verbose_name = _("section group")
        constraints = [
            models.CheckConstraint(
                name="section_group_owner_matches_kind",
                condition=(
                    models.Q(
                        kind="gemeente", municipality__isnull=False, knowledge_centre__isnull=True
                    )
                    | models.Q(
                        kind="kenniscentrum",
                        municipality__isnull=True,
                        knowledge_centre__isnull=False,
                    )
                    | models.Q(
                        kind__in=["redactie", "rijk"],
                        municipality__isnull=True,
                        knowledge_centre__isnull=True,
                    )
                ),
            )
        ]

    def __str__(self):
        return self.group.name


@register_setting(icon="group")
class EditorialSettings(BaseSiteSetting):
    """How much the gemeente and knowledge-centre editors may do on their own. The setting is
    applied to their groups' page permissions when it is saved (see editorial.signals) and by
    `manage.py setup_roles`."""

    editors_may_publish = models.BooleanField(
        _("editors may publish"),
        default=False,
        help_text=_(
            "When on, editors of a gemeente or knowledge centre can publish their own pages "
            "directly. When off, everything they write goes to the editorial team for approval."
        ),
    )

    class Meta:
        verbose_name = _("editorial settings")
