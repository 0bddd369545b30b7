from django import template

register = template.Library()


@register.simple_tag
def raised_barriers(page):
    """The live barrier entries a registration or wijkactieplan raises (both name the reverse
    relation `barriers`), newest first, with their ministry: one query."""
    if page.pk is None:  # a preview of a page never saved has no relations yet
        return []
    return list(
        page.barriers.live().public().select_related("ministry").order_by("-received_on", "title")
    )
