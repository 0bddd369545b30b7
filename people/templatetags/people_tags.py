"""What other pages show of people/, with a stated context (places/, loket/ and the content
pages load these and never import people in their Python):

    {% matching_experts page %}        up to 3 experts for an experiment, plan or question page
    {% account_manager municipality %}  the gemeente's accountmanager with a link to the form
    {% adoption_teams neighbourhood %}  the wijk's adoptieteams with their members
"""

from django import template

from .. import links
from ..matching import matching_experts as find_matching
from ..models import AccountManager

register = template.Library()


@register.inclusion_tag("people/includes/matching_experts.html")
def matching_experts(page):
    experts = find_matching(page)
    index = links.expert_index() if experts else None
    for expert in experts:
        expert.url = links.expert_url(expert, index=index)
    return {
        "experts": experts,
        "index_url": index.url if index else "",
    }


@register.inclusion_tag("people/includes/account_manager.html")
def account_manager(municipality):
    manager = (
        AccountManager.objects.filter(municipalities=municipality)
        .select_related("ministry")
        .first()
    )
    return {
        "manager": manager,
        "municipality": municipality,
        "contact_url": links.account_manager_contact_url(manager) if manager else "",
    }


@register.inclusion_tag("people/includes/adoption_teams.html")
def adoption_teams(neighbourhood):
    return {
        "teams": neighbourhood.adoption_teams.prefetch_related("members"),
        "neighbourhood": neighbourhood,
    }
