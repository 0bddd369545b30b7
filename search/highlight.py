"""Snippets for result cards, the same on both engines: the first stretch of the summary or
body that contains a searched word, with the words marked. A word is marked when its analysis
(search.text) carries a searched term, so "evaluatie" marks "Effectevaluaties" in the text as
written; words of a quoted phrase are marked only as whole words."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .query import match_plan, plan_terms
from .text import WORD_RE, analyse_word, words

_TOKEN_RE = re.compile(f"({WORD_RE.pattern})")


@lru_cache(maxsize=100_000)
def _analysed(token: str):
    """The analysis of a token as written (the same words recur on every card), or None."""
    found = words(token)
    return analyse_word(found[0]) if len(found) == 1 else None


def snippet(texts, clauses, size=220) -> str:
    loose, exact = plan_terms(match_plan(clauses))
    if not loose and not exact:
        return ""

    def marks(token):
        analysed = _analysed(token)
        return analysed is not None and (
            analysed.term in exact or analysed.term in loose or not loose.isdisjoint(analysed.parts)
        )

    for text in texts:
        # Words at odd positions, what lies between them at even ones.
        tokens = _TOKEN_RE.split(text or "")
        first = next((i for i in range(1, len(tokens), 2) if marks(tokens[i])), None)
        if first is None:
            continue
        # Start a little before the first hit, on a token boundary.
        start, length = first, 0
        while start > 0 and length < size // 4:
            start -= 1
            length += len(tokens[start])
        parts, length = [], 0
        for i in range(start, len(tokens)):
            if length > size:
                break
            token = escape(tokens[i])
            parts.append(
                f"<mark>{token}</mark>" if i % 2 and i >= first and marks(tokens[i]) else token
            )
            length += len(tokens[i])
        prefix = "… " if start > 0 else ""
        suffix = " …" if i < len(tokens) - 1 else ""
        return mark_safe(prefix + "".join(parts).strip() + suffix)
    return ""
