"""The contact form of experts and accountmanagers, routed like the question desk: the visitor
never sees the recipient's address; the message is mailed to the recipient with the sender's
address as Reply-To, and not stored. Abuse protection: the honeypot, a limit per client and a
limit per recipient (so no one can flood one person from many addresses)."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from core.clients import client_bucket
from core.public_forms import HoneypotForm, email_field
from core.ratelimit import RateLimit

from . import emails

MESSAGE_MAX_LENGTH = 3000

CLIENT_LIMIT = RateLimit("contact:client", "CONTACT_RATE_LIMIT", "CONTACT_RATE_WINDOW")
RECIPIENT_LIMIT = RateLimit(
    "contact:recipient", "CONTACT_RECIPIENT_RATE_LIMIT", "CONTACT_RATE_WINDOW"
)


class ContactForm(HoneypotForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    email = email_field(_("The answer comes to this address."))
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Enter your message."),
            "max_length": _(
                "Make your message shorter: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    def visible_fields_in_order(self):
        return [self[name] for name in ("name", "email", "organisation", "message")]


def contact_view(
    request, *, recipient_key, to, recipient_name, sent_url, context, template, mail_context
):
    """GET shows the form; a valid POST within both limits mails the recipient and redirects to
    `sent_url` (a robot caught by the honeypot is redirected too, and nothing is sent)."""
    status, refused = 200, None
    form = ContactForm()
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            if not CLIENT_LIMIT.hit(client_bucket(request, scope="contact")):
                refused = "client"
            elif not form.is_robot and not RECIPIENT_LIMIT.hit(recipient_key):
                refused = "recipient"
            if refused:
                status = 429
                form = ContactForm(
                    initial={
                        k: v
                        for k, v in request.POST.items()
                        if k in ContactForm.base_fields and k != "website"
                    }
                )
            else:
                if not form.is_robot:
                    data = form.cleaned_data
                    emails.send_after_commit(
                        "contact",
                        {
                            "recipient_name": recipient_name,
                            "sender_name": " ".join(data["name"].split()),
                            "sender_email": data["email"],
                            "sender_organisation": data["organisation"],
                            "message": data["message"],
                            **mail_context,
                        },
                        to,
                        reply_to=data["email"],
                    )
                return redirect(sent_url)
    response = render(
        request,
        template,
        {
            **context,
            "form": form,
            "refused": refused,
            "rate_limit": CLIENT_LIMIT.limit,
            "rate_window_minutes": max(1, CLIENT_LIMIT.window // 60),
        },
        status=status,
    )
    if refused:
        response["Retry-After"] = str(CLIENT_LIMIT.window)
    return response
