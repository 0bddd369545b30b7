"""Snippets for result cards when the engine gives none (the database engine): the first
stretch of the summary or body that contains a searched word, with the words marked."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import fold, stem

_TOKEN_RE = re.compile(r"\w+|\W+")


def snippet(texts, clauses, size=220) -> str:
    wanted = {stem(w) for clause in clauses for alternative in clause for w in alternative}
    if not wanted:
        return ""
    for text in texts:
        tokens = _TOKEN_RE.findall(text or "")
        hits = [i for i, t in enumerate(tokens) if t[0].isalnum() or t[0] == "_"
                if stem(fold(t)) in wanted]
        if not hits:
            continue
        hit_set = set(hits)
        # Start a little before the first hit, on a token boundary.
        start, length = hits[0], 0
        while start > 0 and length < size // 4:
            start -= 1
            length += len(tokens[start])
        parts, length = [], 0
        for i in range(start, len(tokens)):
            if length > size:
                break
            token = escape(tokens[i])
            parts.append(f"<mark>{token}</mark>" if i in hit_set else token)
            length += len(tokens[i])
        prefix = "… " if start > 0 else ""
        suffix = " …" if i < len(tokens) - 1 else ""
        return mark_safe(prefix + "".join(parts).strip() + suffix)
    return ""
