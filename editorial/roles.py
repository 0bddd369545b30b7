"""Questions about people's roles, answered from SectionGroup."""

from django.contrib.auth import get_user_model

from vocabulary.models import KnowledgeCentre

from .models import SectionGroup


def centres_of(user):
    """The knowledge centres whose editor group `user` is in."""
    return KnowledgeCentre.objects.filter(editor_group__group__user=user)


def editors_of_municipality(municipality):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__section__municipality=municipality)
        .distinct()
    )


def editors_of_centre(centre):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__section__knowledge_centre=centre)
        .distinct()
    )


def moderators():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__section__kind=SectionGroup.Kind.MODERATORS)
        .distinct()
    )


# Who must use a second factor: the moderators, and the Rijk's programme directorate, which
# publishes answers on behalf of the national government without anyone approving them.
TWO_FACTOR_KINDS = (SectionGroup.Kind.MODERATORS, SectionGroup.Kind.RIJK)


def requires_two_factor(user) -> bool:
    """Moderators, the programme directorate and administrators must use a second factor to
    open the admin (settings.TWO_FACTOR_REQUIRED points here); for other editors it is
    optional."""
    return user.is_superuser or user.groups.filter(section__kind__in=TWO_FACTOR_KINDS).exists()
