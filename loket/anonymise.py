"""Taking the asker out of a text: their own name, email address and organisation, and any email
address, Dutch phone number, street address, postcode or house number, are replaced by a
placeholder. This is a safety net, not a guarantee: the editor reviews the texts and writes the
title, and a moderator confirms the anonymisation before publication (see services.py)."""

import re

from django.utils.translation import gettext as _

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# 06-12345678, 010 123 45 67, +31 6 1234 5678, 0031612345678: ten digits from the leading 0.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s.-]?(?:\(0\)[\s.-]?)?(?:\d[\s.-]?){8}\d(?!\d)")
# A Dutch street and number: "Zwaluwstraat 12", "Kerkweg 3a", "Burgemeester de Vlugtlaan 125-3",
# "Laan van Meerdervoort 50". The street is a word ending in one of these.
STREET_ENDINGS = (
    "straat|laan|weg|plein|kade|gracht|singel|dijk|dreef|hof|pad|steeg|park|plantsoen|wal|markt|"
    "baan|ring|allee|boulevard|erf|veld|haven|dam|kanaal|promenade|passage|rade|burg|weide|hoek|"
    "polder|plaats|zijde|straatweg|kwartier|berg|bosch|bos|laantje|pleintje|straatje"
)
_NUMBER = r"\d{1,5}(?:[-/]\d{1,4})?(?:\s?[a-zA-Z](?!\w))?(?:\s?(?:hs|bis|huis)\b)?"
_PARTICLES = r"(?i:van|de|der|den|het|ter|ten|te|op|aan|in|'t)"
ADDRESS_RE = re.compile(
    # Capitalised words right before the street are part of its name ("Burgemeester de ").
    rf"(?:\b[A-Z][\w'.-]*\s+(?:{_PARTICLES}\s+)*)?"
    rf"\b[\w'-]*(?i:{STREET_ENDINGS})\s+{_NUMBER}"
    rf"|\b(?i:laan|plein|weg|kade|dijk|singel|hof|park|straat)\s+{_PARTICLES}(?:\s+{_PARTICLES})?\s+[A-Z][\w'-]+\s+{_NUMBER}"
)
# 3031 AB, 3031AB, 3031ab (never SA, SD or SS); "2026 de" is a year, not a postcode.
POSTCODE_RE = re.compile(r"\b[1-9]\d{3}(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})\b")
HOUSE_NUMBER_RE = re.compile(
    r"\b(?:huis)?(?:nummer|nr\.?|no\.)\s*\d{1,5}(?:\s?[a-zA-Z](?![\w]))?", re.IGNORECASE
)
# Parts of a name that on their own identify nobody (and occur in ordinary sentences).
NAME_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "te",
    "op",
    "in",
    "aan",
    "la",
    "le",
    "da",
    "di",
    "du",
    "von",
    "el",
    "al",
    "bin",
    "ben",
}


def _whole_word(text: str, words: str, replacement: str) -> str:
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    return re.sub(rf"(?<!\w){pattern}(?!\w)", lambda m: replacement, text, flags=re.IGNORECASE)


def strip_personal_data(text: str, name: str = "", email: str = "", organisation: str = "") -> str:
    """`text` without the asker's name, email address and organisation, nor any email address,
    phone number, street address, postcode or house number. Placeholders are in the active
    language."""
    if not text:
        return text
    organisation = " ".join((organisation or "").split())
    if len(organisation) >= 2:
        text = _whole_word(text, organisation, _("[organisation]"))
    email_placeholder = _("[email address]")
    name_placeholder = _("[name]")
    if email:
        text = re.sub(
            re.escape(email.strip()), lambda m: email_placeholder, text, flags=re.IGNORECASE
        )
    text = EMAIL_RE.sub(lambda m: email_placeholder, text)
    text = PHONE_RE.sub(lambda m: _("[phone number]"), text)
    text = POSTCODE_RE.sub(lambda m: _("[postcode]"), text)
    text = ADDRESS_RE.sub(lambda m: _("[address]"), text)
    text = HOUSE_NUMBER_RE.sub(lambda m: _("[house number]"), text)
    name = " ".join((name or "").split())
    if name:
        text = _whole_word(text, name, name_placeholder)
        parts = {
            p for p in name.split() if len(p.strip(".")) >= 2 and p.lower() not in NAME_PARTICLES
        }
        for part in sorted(parts, key=len, reverse=True):
            text = _whole_word(text, part, name_placeholder)
        # "[name] [name]" (first name and surname replaced one by one) reads as one.
        repeated = re.escape(name_placeholder)
        text = re.sub(rf"{repeated}(?:[ \t]+{repeated})+", lambda m: name_placeholder, text)
    return text
