"""The public side of the question desk: the form, the thank-you page and the privacy
statement. Works without JavaScript; after sending, Post/Redirect/Get.

The thank-you page's address carries only the question's reference, signed: it names no centre
(the routing is not in the URL, nor can a URL be made that names one), says nothing about other
questions, and works on reload and back for a day."""

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from . import services
from .forms import QuestionForm
from .models import Question, new_reference

RECEIPT_SIGNER = signing.TimestampSigner(salt="loket.thanks")
RECEIPT_MAX_AGE = 24 * 60 * 60  # seconds the thank-you page keeps showing the question's details


def _crumbs(*extra):
    return [(_("Home"), "/"), *extra]


def _thanks_url(reference: str) -> str:
    return f"{reverse('loket:thanks')}?{urlencode({'ontvangst': RECEIPT_SIGNER.sign(reference)})}"


def _received_reference(request) -> str | None:
    """The reference the thank-you address was signed for, or None (none, forged or too old)."""
    token = request.GET.get("ontvangst", "")[:200]
    try:
        return RECEIPT_SIGNER.unsign(token, max_age=RECEIPT_MAX_AGE) if token else None
    except signing.BadSignature:
        return None


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
                return redirect(_thanks_url(new_reference()))
            question = services.submit_question(
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                municipality=data["municipality"],
                theme=data["theme"],
                text=data["question"],
            )
            return redirect(_thanks_url(question.reference))
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
    reference = _received_reference(request)
    question = (
        Question.objects.filter(reference=reference).select_related("knowledge_centre").first()
        if reference
        else None
    )
    return render(
        request,
        "loket/thanks.html",
        {
            "reference": reference,
            "centre": question.knowledge_centre if question else None,
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
