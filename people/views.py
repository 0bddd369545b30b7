"""The public side of the pool (/deskundigen/, served by ExpertIndexPage's routes) and the
accountmanagers' contact form. Works without JavaScript; after a form, Post/Redirect/Get.
No page shows an expert's or accountmanager's address. (The routes of the page are
served through Wagtail's serve view, which the CSRF middleware guards like any other.) A changed, expired, used-up or dead link
gets a Dutch page that says so, with a 4xx status."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from core.listing import page_of
from vocabulary.models import ExperimentType, Theme

from . import contact, emails, links, services
from .forms import ShownFieldsForm, SignupForm
from .models import AccountManager, ExpertProfile, Level, WithdrawnExpert
from .tokens import (
    BadToken,
    ExpiredToken,
    key_from_confirm_token,
    key_from_manage_token,
    manage_token,
)


def _trail(index, *extra):
    """The breadcrumb trail of a route of /deskundigen/."""
    return [(_("Home"), "/"), (index.title, index.url), *extra]


def _render(index, request, template, status=200, **context):
    response = index.render(request, template=template, context_overrides=context)
    response.status_code = status
    add_never_cache_headers(response)
    return response


# --- The list and the profiles ---------------------------------------------------------------


def _filters(request):
    """The chosen filter values that exist (an unknown value is ignored, not an error)."""
    theme = Theme.objects.filter(slug=request.GET.get("thema", "")).first()
    experiment_type = ExperimentType.objects.filter(slug=request.GET.get("type", "")).first()
    level = request.GET.get("niveau", "")
    return theme, experiment_type, level if level in Level.values else ""


def index(index, request):
    theme, experiment_type, level = _filters(request)
    profiles = ExpertProfile.objects.public()
    # A filter reads only what a person shows: hidden themes must not be found by filtering.
    if theme:
        profiles = profiles.filter(show_themes=True, themes=theme)
    if experiment_type:
        profiles = profiles.filter(show_experiment_types=True, experiment_types=experiment_type)
    if level:
        profiles = profiles.filter(show_level=True, level=level)
    profiles = profiles.prefetch_related("themes", "experiment_types").order_by("name", "pk")
    page_obj = page_of(request, profiles)
    for profile in page_obj:
        profile.url = links.expert_url(profile, index=index)
    return index.render(
        request,
        context_overrides={
            "page_obj": page_obj,
            "themes": Theme.objects.order_by("name"),
            "experiment_types": ExperimentType.objects.order_by("name"),
            "levels": Level.choices,
            "chosen": {
                "thema": theme.slug if theme else "",
                "type": experiment_type.slug if experiment_type else "",
                "niveau": level,
            },
            "filtered": bool(theme or experiment_type or level),
            "signup_url": links.route_url("signup", index=index),
        },
    )


def _public_profile(index, request, pk, slug):
    """(profile, None) or (None, the response: 410 for a withdrawn profile, a redirect to the
    right slug); 404 for anything not public."""
    if WithdrawnExpert.objects.filter(profile_id=pk).exists():
        return None, _render(
            index,
            request,
            "people/expert_withdrawn.html",
            status=410,
            crumbs=_trail(index, (_("Profile withdrawn"), None)),
        )
    profile = ExpertProfile.objects.public().filter(pk=pk).first()
    if profile is None:
        raise Http404
    if slug != profile.slug:
        return None, redirect(links.expert_url(profile, index=index), permanent=True)
    return profile, None


def profile(index, request, pk, slug):
    profile, response = _public_profile(index, request, pk, slug)
    if response is not None:
        return response
    return index.render(
        request,
        template="people/expert_profile.html",
        context_overrides={
            "profile": profile,
            "contact_url": links.route_url("contact", profile.pk, profile.slug, index=index),
            "crumbs": _trail(index, (profile.name, None)),
        },
    )


def expert_contact(index, request, pk, slug):
    if request.method not in ("GET", "HEAD", "POST"):
        return _method_not_allowed()
    profile, response = _public_profile(index, request, pk, slug)
    if response is not None:
        return response
    profile_url = links.expert_url(profile, index=index)
    response = contact.contact_view(
        request,
        recipient_key=f"expert:{profile.pk}",
        to=profile.email,
        recipient_name=profile.name,
        sent_url=links.route_url("contact_sent", profile.pk, profile.slug, index=index),
        template="people/contact.html",
        context={
            "page": index,
            "self": index,
            "recipient_name": profile.name,
            "back_url": profile_url,
            "crumbs": _trail(index, (profile.name, profile_url), (_("Send a message"), None)),
        },
        mail_context={
            "about": "expert",
            "about_url": links.expert_url(profile, index=index, absolute=True),
            "manage_url": emails.manage_url(profile),
        },
    )
    add_never_cache_headers(response)
    return response


def expert_contact_sent(index, request, pk, slug):
    profile, response = _public_profile(index, request, pk, slug)
    if response is not None:
        return response
    profile_url = links.expert_url(profile, index=index)
    return index.render(
        request,
        template="people/contact_sent.html",
        context_overrides={
            "recipient_name": profile.name,
            "back_url": profile_url,
            "crumbs": _trail(index, (profile.name, profile_url), (_("Message sent"), None)),
        },
    )


def _method_not_allowed():
    from django.http import HttpResponseNotAllowed

    return HttpResponseNotAllowed(["GET", "HEAD", "POST"])


# --- Signing up ------------------------------------------------------------------------------


def signup(index, request):
    if request.method not in ("GET", "HEAD", "POST"):
        return _method_not_allowed()
    status, rate_limited = 200, False
    form = SignupForm()
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid() and not services.take_signup_slot(request):
            rate_limited, status = True, 429
            form = SignupForm(request.POST)  # keep what they typed (it is valid)
        elif form.is_valid():
            if not form.is_robot:  # a filled-in honeypot: store and send nothing, answer the same
                services.sign_up(form.cleaned_data)
            return redirect(links.route_url("signup_sent", index=index))
    response = _render(
        index,
        request,
        "people/signup.html",
        status=status,
        form=form,
        rate_limited=rate_limited,
        rate_limit=services.SIGNUP_LIMIT.limit,
        rate_window_minutes=max(1, services.SIGNUP_LIMIT.window // 60),
        confirm_days=settings.EXPERT_SIGNUP_CONFIRM_DAYS,
        crumbs=_trail(index, (_("Sign up"), None)),
    )
    if rate_limited:
        response["Retry-After"] = str(services.SIGNUP_LIMIT.window)
    return response


def signup_sent(index, request):
    return _render(
        index,
        request,
        "people/signup_sent.html",
        confirm_days=settings.EXPERT_SIGNUP_CONFIRM_DAYS,
        crumbs=_trail(
            index, (_("Sign up"), links.route_url("signup", index=index)), (_("Sent"), None)
        ),
    )


# --- The links in the mails ------------------------------------------------------------------

LINK_STATUS = {"bad": 400, "expired": 410, "used": 409, "gone": 410}


def _invalid(index, request, reason):
    return _render(
        index,
        request,
        "people/invalid_link.html",
        status=LINK_STATUS[reason],
        reason=reason,
        confirm_days=settings.EXPERT_SIGNUP_CONFIRM_DAYS,
        signup_url=links.route_url("signup", index=index),
        crumbs=_trail(index, (_("Your profile"), None)),
    )


def confirm(index, request, token):
    """GET shows the profile and the choice of what is shown; POST confirms (a mail scanner
    that opens the link consents to nothing)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return _method_not_allowed()
    try:
        profile = services.find(key_from_confirm_token(token))
    except ExpiredToken:
        return _invalid(index, request, "expired")
    except BadToken:
        return _invalid(index, request, "bad")
    if profile is None:
        return _invalid(index, request, "gone")
    if profile.is_confirmed:
        return _invalid(index, request, "used")
    form = ShownFieldsForm(initial={"shown": services.shown_choices(profile)})
    if request.method == "POST":
        form = ShownFieldsForm(request.POST)
        if form.is_valid():
            services.confirm(profile, form.cleaned_data["shown"])
            return _render(
                index,
                request,
                "people/confirmed.html",
                profile=profile,
                manage_url=links.route_url("manage", manage_token(profile), index=index),
                crumbs=_trail(index, (_("Your profile"), None)),
            )
    return _render(
        index,
        request,
        "people/confirm.html",
        profile=profile,
        form=form,
        crumbs=_trail(index, (_("Your profile"), None)),
    )


def manage(index, request, token):
    """Change what is shown, or withdraw (POST with `withdraw`): the profile and its personal
    data are deleted at once."""
    if request.method not in ("GET", "HEAD", "POST"):
        return _method_not_allowed()
    try:
        profile = services.find(key_from_manage_token(token))
    except BadToken:
        return _invalid(index, request, "bad")
    if profile is None:
        return _invalid(index, request, "gone")
    saved = False
    form = ShownFieldsForm(initial={"shown": services.shown_choices(profile)})
    if request.method == "POST" and "withdraw" in request.POST:
        services.withdraw(profile)
        return _render(
            index, request, "people/withdrawn.html", crumbs=_trail(index, (_("Your profile"), None))
        )
    if request.method == "POST":
        form = ShownFieldsForm(request.POST)
        if form.is_valid():
            services.change_shown(profile, form.cleaned_data["shown"])
            saved = True
    return _render(
        index,
        request,
        "people/manage.html",
        profile=profile,
        form=form,
        saved=saved,
        profile_url=links.expert_url(profile, index=index) if profile.is_public else "",
        crumbs=_trail(index, (_("Your profile"), None)),
    )


# --- Accountmanagers (people/urls.py) ---------------------------------------------------------


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def account_manager_contact(request, pk):
    manager = get_object_or_404(AccountManager.objects.prefetch_related("municipalities"), pk=pk)
    if not manager.municipalities.all():
        raise Http404  # serves no gemeente: not shown anywhere, so not reachable either
    sent_url = reverse("people:account_manager_contact_sent", args=[manager.pk])
    return contact.contact_view(
        request,
        recipient_key=f"accountmanager:{manager.pk}",
        to=manager.email,
        recipient_name=manager.name,
        sent_url=sent_url,
        template="people/contact.html",
        context={
            "manager": manager,
            "recipient_name": manager.name,
            "crumbs": [(_("Home"), "/"), (manager.name, None)],
        },
        mail_context={"about": "accountmanager", "manager": manager},
    )


@require_http_methods(["GET", "HEAD"])
def account_manager_contact_sent(request, pk):
    manager = get_object_or_404(AccountManager, pk=pk)
    return TemplateResponse(
        request,
        "people/contact_sent.html",
        {
            "recipient_name": manager.name,
            "crumbs": [(_("Home"), "/"), (_("Message sent"), None)],
        },
    )
