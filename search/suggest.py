"""Spelling suggestions ("Bedoelde u …?"), the same on both engines: chosen from the index's
own vocabulary (search_term, kept with the database index), by edit distance and by how many
documents carry each term.

A word is corrected when it finds nothing, or when it finds far less than a word one or two
letters away ("veiligheit" → "veiligheid"; a rare misspelling that one document shares)."""

from .models import SearchTerm
from .query import OPERATOR_WORDS
from .text import STOP_WORDS, WORD_RE, term, words

MIN_LENGTH = 4  # shorter words get no suggestion
# A word found in fewer documents than this may have a better neighbour ...
CHECK_BELOW = 5
# ... which must be in at least this many times as many documents.
BETTER_BY = 10


def max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours is one edit), or limit + 1
    when it is more than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _forms(word: str) -> list[str]:
    """The word, and without a plural ending: the vocabulary holds lemmas (gezinscoahces is
    one letter swap from gezinscoach, once its "es" is off)."""
    forms = [word]
    for ending in ("s", "es", "en"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_LENGTH:
            forms.append(word[:-len(ending)])
    return forms


def _candidates(word: str, more_than: int) -> list[tuple[str, int]]:
    """Terms that begin with the same letter, of a length within reach, in more than
    `more_than` documents (the first letter is rarely the mistake, and it keeps this one
    index range)."""
    first = word[0]
    reach = max_edits(word)
    rows = SearchTerm.objects.filter(
        term__gte=first, term__lt=chr(ord(first) + 1), documents__gt=more_than,
    ).values_list("term", "documents")
    return [(t, n) for t, n in rows if abs(len(t) - len(word)) <= reach and t.isalpha()]


def suggestion(text: str, thesaurus=None) -> str:
    """The visitor's text with misspelled words replaced, or "" if nothing needs it."""
    thesaurus = thesaurus or {}
    checked = [
        w for raw in text.split() if raw not in OPERATOR_WORDS for w in words(raw)
        if len(w) >= MIN_LENGTH and w.isalpha() and w not in STOP_WORDS and (term(w),) not in thesaurus
    ]
    checked = list(dict.fromkeys(checked))
    if not checked:
        return ""
    own_terms = {w: term(w) for w in checked}
    found = dict(SearchTerm.objects.filter(term__in=set(own_terms.values())).values_list("term", "documents"))
    replacements = {}
    for word in checked:
        own = found.get(own_terms[word], 0)
        if own >= CHECK_BELOW:
            continue
        best = None
        for candidate, documents in _candidates(word, more_than=own * BETTER_BY if own else 0):
            if candidate == own_terms[word]:
                continue
            distance = min(edit_distance(form, candidate, max_edits(word)) for form in _forms(word))
            if distance <= max_edits(word):
                key = (distance, -documents, candidate)
                if best is None or key < best:
                    best = key
        if best:
            replacements[word] = best[2]
    return _replace_words(text, replacements) if replacements else ""


def _replace_words(text: str, replacements: dict[str, str]) -> str:
    """The visitor's own text with some words replaced, keeping quotes, case and the rest."""
    def replace(match):
        folded = words(match.group(0))
        if len(folded) == 1 and folded[0] in replacements:
            return replacements[folded[0]]
        return match.group(0)

    return WORD_RE.sub(replace, text)
