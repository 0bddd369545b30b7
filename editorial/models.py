"""Which section an editor group belongs to. Wagtail's page permissions say what a group may
do where; this says *whose* group it is, so other parts (the question desk, reminders) can
find a gemeente's or a centre's editors without parsing group names."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionGroup(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("municipality editors")
        KNOWLEDGE_CENTRE = "kenniscentrum", _("knowledge centre editors")
        MODERATORS = "redactie", _("moderators")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="section")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    municipality = models.OneToOneField(
        "vocabulary.Municipality", null=True, blank=True, on_delete=models.CASCADE, related_name="editor_group"
    )
    knowledge_centre = models.OneToOneField(
        "vocabulary.KnowledgeCentre", null=True, blank=True, on_delete=models.CASCADE, related_name="editor_group"
    )

    class Meta:
        verbose_name = _("section group")
        constraints = [
            models.CheckConstraint(
                name="section_group_owner_matches_kind",
                condition=(
                    models.Q(kind="gemeente", municipality__isnull=False, knowledge_centre__isnull=True)
                    | models.Q(kind="kenniscentrum", municipality__isnull=True, knowledge_centre__isnull=False)
                    | models.Q(kind="redactie", municipality__isnull=True, knowledge_centre__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return self.group.name
