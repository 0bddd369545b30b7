"""Spelling suggestions ("Bedoelde u …?"), the same on both engines: chosen from the index's
own vocabulary (search_term, kept with the database index), by edit distance and by how many
documents carry each term.

A word is corrected when it finds nothing, or when it finds far less than a word one or two
letters away ("veiligheit" → "veiligheid"; a rare misspelling that one document shares).

The candidates of a first letter are read from search_term once per process and kept by
length, with a mask of their letters, until the index changes (the token in
search_indexstate, as for the facet bitmaps): a typo then costs no scan of the vocabulary,
and the letter masks rule out most candidates before any edit distance is worked out."""

import threading

from .engines.database import index_version
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
    when it is more than `limit`. Only the band of cells within `limit` of the diagonal is
    worked out: the others are more than `limit` anyway."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    far = limit + 1
    previous2, previous = None, [j if j <= limit else far for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        low, high = max(1, i - limit), min(len(b), i + limit)
        current = [far] * (len(b) + 1)
        current[0] = i if i <= limit else far
        for j in range(low, high + 1):
            cb = b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return far
        previous2, previous = previous, current
    return min(previous[-1], far)


def _forms(word: str) -> list[str]:
    """The word, and without a plural ending: the vocabulary holds lemmas (gezinscoahces is
    one letter swap from gezinscoach, once its "es" is off)."""
    forms = [word]
    for ending in ("s", "es", "en"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_LENGTH:
            forms.append(word[: -len(ending)])
    return forms


def _letters(word: str) -> int:
    """A bit per letter the word has. One edit changes at most two letters of that set, so
    two words within n edits differ in at most 2n bits (letters past the alphabet may share
    a bit, which only lets more through)."""
    mask = 0
    for c in word:
        mask |= 1 << (ord(c) & 63)
    return mask


class Vocabulary:
    """The index's terms (letters only) by first letter and length: (term, documents, letter
    mask), read one first letter at a time, for one version of the index."""

    def __init__(self, version, database):
        self.version = version
        self.database = database
        self._by_letter: dict[str, dict[int, list[tuple[str, int, int]]]] = {}

    def by_length(self, first: str) -> dict[int, list[tuple[str, int, int]]]:
        found = self._by_letter.get(first)
        if found is None:
            found = {}
            rows = SearchTerm.objects.filter(term__gte=first, term__lt=chr(ord(first) + 1))
            for term, documents in rows.values_list("term", "documents").iterator(chunk_size=5000):
                if term.isalpha():
                    found.setdefault(len(term), []).append((term, documents, _letters(term)))
            self._by_letter[first] = found
        return found


_vocabulary: Vocabulary | None = None
_vocabulary_lock = threading.Lock()


def vocabulary() -> Vocabulary:
    global _vocabulary
    state, database = index_version()
    current = _vocabulary
    if current is not None and current.version == state and current.database == database:
        return current
    with _vocabulary_lock:
        _vocabulary = Vocabulary(state, database)
        return _vocabulary


def _candidates(word: str, more_than: int, terms: Vocabulary) -> list[tuple[str, int, list[str]]]:
    """Terms that begin with the same letter, of a length within reach, in more than
    `more_than` documents (the first letter is rarely the mistake), each with the forms of the
    word whose letters are near enough to its letters to be within reach."""
    reach = max_edits(word)
    forms = [(form, _letters(form)) for form in _forms(word)]
    by_length = terms.by_length(word[0])
    found = []
    for length in range(len(word) - reach, len(word) + reach + 1):
        for candidate, documents, mask in by_length.get(length, ()):
            if documents > more_than:
                near = [
                    form for form, letters in forms if (mask ^ letters).bit_count() <= 2 * reach
                ]
                if near:
                    found.append((candidate, documents, near))
    return found


def suggestion(text: str, thesaurus=None) -> str:
    """The visitor's text with misspelled words replaced, or "" if nothing needs it."""
    thesaurus = thesaurus or {}
    checked = [
        w
        for raw in text.split()
        if raw not in OPERATOR_WORDS
        for w in words(raw)
        if len(w) >= MIN_LENGTH
        and w.isalpha()
        and w not in STOP_WORDS
        and (term(w),) not in thesaurus
    ]
    checked = list(dict.fromkeys(checked))
    if not checked:
        return ""
    own_terms = {w: term(w) for w in checked}
    found = dict(
        SearchTerm.objects.filter(term__in=set(own_terms.values())).values_list("term", "documents")
    )
    replacements, terms = {}, None
    for word in checked:
        own = found.get(own_terms[word], 0)
        if own >= CHECK_BELOW:
            continue
        terms = terms or vocabulary()
        best = None
        for candidate, documents, forms in _candidates(word, own * BETTER_BY if own else 0, terms):
            if candidate == own_terms[word]:
                continue
            distance = min(edit_distance(form, candidate, max_edits(word)) for form in forms)
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
