"""Taking the asker out of a text: their own name and email address, and any email address or
Dutch phone number, are replaced by a placeholder. This is a safety net, not a guarantee: a
person still reviews the text before it is published (see admin_views.PublishView)."""

import re

from django.utils.translation import gettext as _

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# 06-12345678, 010 123 45 67, +31 6 1234 5678, 0031612345678: ten digits from the leading 0.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s.-]?(?:\(0\)[\s.-]?)?(?:\d[\s.-]?){8}\d(?!\d)")
# Parts of a name that on their own identify nobody (and occur in ordinary sentences).
NAME_PARTICLES = {
    "van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "aan", "la", "le", "da",
    "di", "du", "von", "el", "al", "bin", "ben",
}


def _whole_word(text: str, words: str, replacement: str) -> str:
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    return re.sub(rf"(?<!\w){pattern}(?!\w)", lambda m: replacement, text, flags=re.IGNORECASE)


def strip_personal_data(text: str, name: str = "", email: str = "", organisation: str = "") -> str:
    """`text` without the asker's name, email address and organisation, nor any email address
    or phone number. Placeholders are in the active language."""
    if not text:
        return text
    organisation = " ".join((organisation or "").split())
    if len(organisation) >= 2:
        text = _whole_word(text, organisation, _("[organisation]"))
    email_placeholder = _("[email address]")
    name_placeholder = _("[name]")
    if email:
        text = re.sub(re.escape(email.strip()), lambda m: email_placeholder, text, flags=re.IGNORECASE)
    text = EMAIL_RE.sub(lambda m: email_placeholder, text)
    text = PHONE_RE.sub(lambda m: _("[phone number]"), text)
    name = " ".join((name or "").split())
    if name:
        text = _whole_word(text, name, name_placeholder)
        parts = {p for p in name.split() if len(p.strip(".")) >= 2 and p.lower() not in NAME_PARTICLES}
        for part in sorted(parts, key=len, reverse=True):
            text = _whole_word(text, part, name_placeholder)
        # "[name] [name]" (first name and surname replaced one by one) reads as one.
        repeated = re.escape(name_placeholder)
        text = re.sub(rf"{repeated}(?:[ \t]+{repeated})+", lambda m: name_placeholder, text)
    return text
