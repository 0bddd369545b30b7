"""The public side of the question desk: the form, the thank-you page and the privacy
statement. Works without JavaScript; after sending, Post/Redirect/Get."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from vocabulary.models import KnowledgeCentre

from . import services
from .forms import QuestionForm
from .models import ThemeRoute


def _crumbs(*extra):
    return [(_("Home"), "/"), *extra]


def _thanks_url(centre) -> str:
    url = reverse("loket:thanks")
    return f"{url}?{urlencode({'kenniscentrum': centre.slug})}" if centre else url


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
                return redirect(_thanks_url(ThemeRoute.centre_for(data["theme"])))
            question = services.submit_question(
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                municipality=data["municipality"],
                theme=data["theme"],
                text=data["question"],
            )
            return redirect(_thanks_url(question.knowledge_centre))
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


@require_http_methods(["GET", "HEAD"])
def thanks(request):
    slug = request.GET.get("kenniscentrum", "")[:80].replace("\x00", "")  # PostgreSQL refuses NUL
    centre = KnowledgeCentre.objects.filter(slug=slug).first() if slug else None
    return render(
        request,
        "loket/thanks.html",
        {
            "centre": centre,
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
