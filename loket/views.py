"""The public side of the question desk: the form, the thank-you page and the privacy
statement. Works without JavaScript; after sending, Post/Redirect/Get.

The thank-you page's address carries the question's reference and its theme, signed: it names no
centre (the routing is not in the URL, nor can a URL be made that names one), says nothing about
other questions, and works on reload and back for a day. The page names the centre the theme
routes to, read from the routing and not from the stored question: so a robot caught by the
honeypot (nothing stored) sees the same page as a person, and a question forwarded since shows
what the receipt mail said."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from vocabulary.models import Theme

from . import services
from .forms import QuestionForm
from .models import ThemeRoute, new_reference

RECEIPT_SIGNER = signing.TimestampSigner(salt="loket.thanks")
RECEIPT_MAX_AGE = 24 * 60 * 60  # seconds the thank-you page keeps showing the question's details


def _crumbs(*extra):
    return [(_("Home"), "/"), *extra]


def _thanks_url(reference: str, theme) -> str:
    token = RECEIPT_SIGNER.sign(f"{reference}:{theme.pk}")
    return f"{reverse('loket:thanks')}?{urlencode({'ontvangst': token})}"


def _received(request) -> tuple[str | None, Theme | None]:
    """The reference and theme the thank-you address was signed for, or (None, None) when there
    is no address, or a forged or too old one."""
    token = request.GET.get("ontvangst", "")[:200]
    try:
        value = RECEIPT_SIGNER.unsign(token, max_age=RECEIPT_MAX_AGE) if token else ""
    except signing.BadSignature:
        value = ""
    reference, _sep, theme_pk = value.partition(":")
    if not reference:
        return None, None
    return reference, Theme.objects.filter(pk=theme_pk).first() if theme_pk.isdigit() else None


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    status = 200
    rate_limited = False
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid() and not services.take_submission_slot(request):
            # Nothing is stored; keep what they typed, say why and when to retry.
            rate_limited, status = True, 429
            kept = {
                k: v
                for k, v in request.POST.items()
                if k in QuestionForm.base_fields and k != "website"
            }
            form = QuestionForm(initial=kept)
        elif form.is_valid():
            data = form.cleaned_data
            if form.is_robot:
                # The honeypot was filled in: store nothing, answer as if all went well.
                return redirect(_thanks_url(new_reference(), data["theme"]))
            question = services.submit_question(
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                municipality=data["municipality"],
                theme=data["theme"],
                text=data["question"],
            )
            return redirect(_thanks_url(question.reference, question.theme))
    else:
        form = QuestionForm()
    context = {
        "form": form,
        "rate_limited": rate_limited,
        "rate_window_minutes": max(1, services.QUESTIONS_LIMIT.window // 60),
        "rate_limit": services.QUESTIONS_LIMIT.limit,
        "crumbs": _crumbs((_("Ask a question"), None)),
    }
    response = render(request, "loket/ask.html", context, status=status)
    if rate_limited:
        response["Retry-After"] = str(services.QUESTIONS_LIMIT.window)
    return response


@never_cache
@require_http_methods(["GET", "HEAD"])
def thanks(request):
    reference, theme = _received(request)
    return render(
        request,
        "loket/thanks.html",
        {
            "reference": reference,
            "centre": ThemeRoute.centre_for(theme),
            "answer_working_days": settings.QUESTION_ANSWER_WORKING_DAYS,
            # A printed receipt names the page, not the signed token in its address.
            "printed_path": reverse("loket:thanks"),
            "crumbs": _crumbs((_("Ask a question"), reverse("loket:ask")), (_("Thank you"), None)),
        },
    )


@require_http_methods(["GET", "HEAD"])
def privacy(request):
    return render(
        request,
        "loket/privacy.html",
        {
            "retention_days": settings.QUESTION_RETENTION_DAYS,
            "rate_limit": services.QUESTIONS_LIMIT.limit,
            "rate_window_minutes": max(1, services.QUESTIONS_LIMIT.window // 60),
            "crumbs": _crumbs(
                (_("Ask a question"), reverse("loket:ask")), (_("Privacy statement"), None)
            ),
        },
    )
