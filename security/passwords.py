"""Passwords: Django's list of 20,000 common passwords, plus common Dutch ones and this site's
own words (data/common-passwords-nl.txt), also when a year, digits or punctuation are added
or letters are swapped for look-alike digits ("Welkom2026!", "Kennisloket1", "W3lkom")."""

import re
from pathlib import Path

from django.contrib.auth.password_validation import (
    CommonPasswordValidator as DjangoCommonPasswordValidator,
)
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

DUTCH_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-nl.txt"
LOOKALIKES = str.maketrans("013457@$", "oieastas")
# A word with something put before or after it: digits, punctuation, spaces.
_AFFIXES = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")


def _words(path: Path) -> set[str]:
    return {
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Refuses a password that is, or is made of one common word with digits or punctuation
    around it. Django's list comes with Django; the Dutch one with this app."""

    @cached_property
    def dutch(self) -> set[str]:
        return _words(DUTCH_LIST)

    def _is_common(self, candidate: str) -> bool:
        return len(candidate) >= 3 and (candidate in self.passwords or candidate in self.dutch)

    def validate(self, password, user=None):
        lowered = password.lower().strip()
        core = _AFFIXES.match(lowered).group(1)
        candidates = {lowered, core, core.replace(" ", ""), core.translate(LOOKALIKES)}
        if any(self._is_common(c) for c in candidates):
            raise ValidationError(
                _(
                    "This password is too common: it is (or is made of) a word many people use as "
                    "a password. Choose a longer sentence or a few unrelated words."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _(
            "Your password can’t be a commonly used password, also not with digits or a year added."
        )
