"""Dutch text analysis shared by every engine, so they agree on what matches what.

Each word of a text becomes one *term* (its lemma, folded: lower case, no accents) and, if it is
a compound, a few *parts* (the lemmas of the words it is made of):

    gezinscoaches      → gezinscoach   parts gezin, coach
    woningcorporaties  → woningcorporatie   parts woning, corporatie
    evaluaties         → evaluatie
    kinderen → kind, huisjes → huis, veilige → veilig, auto's → auto

Terms keep their positions, so a quoted phrase matches the words as written and in that order;
parts go to a field of their own without positions, so "evaluatie" finds "effectevaluatie"
while the phrase "voortijdig verlaten" can never match "voortijdig schoolverlaten". Both
engines index exactly these pre-analysed terms (see search/engines/), so they agree by
construction.

The lexicon comes from two packages on PyPI (chosen by measurement; docs/dutch-analysis.md):
simplemma's Dutch lemma table (370,000 inflected forms → lemma) and wordfreq's Dutch word
frequencies, which decide between possible splits and keep common words such as "politie" or
"belangrijk" whole. It is read once per process, on first use (about 2 s, about 100 MB).

Stop words stay in the index (so a quoted phrase such as "aanpak van de wijk" matches
exactly); the query parser drops them from loose words only.
"""

import re
import sys
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Snowball's Dutch stop word list (as shipped with PostgreSQL and Lucene).
STOP_WORDS = frozenset(
    "de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar "
    "om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar "
    "haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden "
    "toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier "
    "wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand "
    "geweest andere".split()
)

# Letters and digits; an underscore splits words. A plural "'s" (auto's, baby's) stays with
# its word and is taken off, so "auto's" is one word, "auto".
WORD_RE = re.compile(r"[^\W_]+(?:['’]s(?![^\W_]))?")
_PLURAL_APOSTROPHE_RE = re.compile(r"['’]s$")
# Letters NFKD does not take apart.
_FOLD_LETTERS = str.maketrans(
    {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Lucene refuses terms over 32766 bytes and nobody searches for a 100-letter word: longer words
# are indexed cut, on both engines alike.
MAX_WORD_LENGTH = 100

# Runs of letters past ASCII: only there can NFKD have split off a combining mark.
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


def _without_marks(match) -> str:
    return "".join(c for c in match.group(0) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents: 'Coördinatie' → 'coordinatie'."""
    lowered = text.lower().translate(_FOLD_LETTERS)
    if lowered.isascii():  # most Dutch text: nothing to take apart
        return lowered
    return _NON_ASCII_RE.sub(_without_marks, unicodedata.normalize("NFKD", lowered))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    found = WORD_RE.findall(folded)
    if "'" in folded or "’" in folded:
        found = [_PLURAL_APOSTROPHE_RE.sub("", w) for w in found]
    return [w[:MAX_WORD_LENGTH] for w in found]


# --- The lexicon ----------------------------------------------------------------------------


class Lexicon:
    """Every Dutch word form simplemma knows, with its lemma, and wordfreq's frequencies.

    `lemmas` maps a folded form to its canonical lemma where the two differ. simplemma's table
    has chains (huisjes → huisje → huis) and a few cycles (stroom → stromen → stroom); a form's
    canonical lemma is where its chain ends, or the shortest word of its cycle, so that every
    form of a word ends at the same lemma and a lemma is its own lemma."""

    # Frequent words that wordfreq knows and simplemma does not (overlast, procesevaluatie) are
    # words too, their own lemma.
    FREQUENT = 350  # zipf × 100: about once in 3 million words

    def __init__(self):
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory
        from wordfreq import get_frequency_list

        intern = sys.intern  # every form is one string object, shared by the structures below
        table = {}
        # No cache: the table is read once into our own structures, not kept twice.
        for form, lemma in DefaultDictionaryFactory(cache_max_size=0).get_dictionary("nl").items():
            form, lemma = fold(form), fold(lemma)
            if form.isalpha() and lemma.isalpha():
                table.setdefault(intern(form), intern(lemma))
        lemmas = {}
        for form in table:
            chain, word = [], form
            while word in table and word not in lemmas and word not in chain:
                chain.append(word)
                word = table[word]
            if word in lemmas:
                lemma = lemmas[word]
            elif word in chain:
                cycle = chain[chain.index(word) :]
                lemma = min(cycle, key=lambda w: (len(w), w))
            else:
                lemma = word
            for member in chain:
                lemmas[member] = lemma
        known = set(table) | set(table.values())
        del table
        # wordfreq's list is in bands of one centibel each, most frequent first: band i holds
        # the words of zipf 9 - i/100. Kept as zipf × 100.
        zipf = {}
        for band, bucket in enumerate(get_frequency_list("nl", "large")):
            value = 900 - band
            for word in bucket:
                if word.isalpha() and (word in known or value >= self.FREQUENT and len(word) >= 4):
                    zipf.setdefault(intern(fold(word)), value)
        get_frequency_list.cache_clear()
        known.update(zipf)
        self.lemmas = {form: lemma for form, lemma in lemmas.items() if form != lemma}
        self.known = frozenset(known)
        self.zipf = zipf


_lexicon = None
_lexicon_lock = threading.Lock()


def lexicon() -> Lexicon:
    global _lexicon
    if _lexicon is None:
        with _lexicon_lock:
            if _lexicon is None:
                _lexicon = Lexicon()
    return _lexicon


# --- One word -------------------------------------------------------------------------------

# Where simplemma's lemma is not what a searcher means: it makes "ouder" (parent) the
# comparative of "oud"; "werken", a theme of the programme, must find "werk" (as "leren"
# finds "leerplicht" through simplemma's "leer").
OVERRIDES = {"ouder": "ouder", "ouders": "ouder", "werken": "werk"}
# Never a part of a compound: prepositions, particles and prefixes ("aanpak" is not aan + pak,
# "overlast" not over + last), and the stop words.
NOT_PARTS = (
    frozenset(
        "aan op af in uit over onder voor door mee toe om bij na ver be ge ont her er achter tegen "
        "samen terug mis weer vol neer rond vast los weg heen thuis eraf eruit erin erop eraan per "
        "pro inter".split()
    )
    | STOP_WORDS
)
# Endings that make words, not parts of compounds (werkloos-heid, dank-baar, schoon-heid).
SUFFIXES = ("loos", "baar", "lijk", "schap", "heid", "achtig", "isch", "ig", "matig", "waardig")
NOT_HEADS = frozenset(
    "heid ing ling schap dom lijk baar loos isme ist aar erij ster tie teit tig "
    "ding ging ring king ting ning".split()
)
VOWELS = frozenset("aeiou")
# Inflectional endings, longest first, with what the stem may need when a vowel ending went
# (True: undo spelling changes such as plann-en → plan, strat-en → straat, initiatiev-en →
# initiatief; None: -ies from -y or -ie). A stem only counts if the lexicon knows it.
ENDINGS = (
    ("eren", True),
    ("etjes", False),
    ("tjes", False),
    ("pjes", False),
    ("jes", False),
    ("etje", False),
    ("tje", False),
    ("pje", False),
    ("je", False),
    ("ies", None),
    ("es", False),
    ("en", True),
    ("e", True),
    ("s", False),
)
# A split is kept when its parts are common words: zipf 3 (once per million words), or 4 for
# parts of four letters or less; long heads (verlener, ondersteuning) need only be known.
MIN_PART_ZIPF, MIN_SHORT_PART_ZIPF, MIN_LONG_HEAD_ZIPF = 300, 400, 100
# A word the lexicon knows splits only if its parts are, on average, nearly as common as the
# word itself (after Koehn & Knight 2003): "woningcorporatie" splits, "belangrijk" does not.
KNOWN_WORD_MARGIN = 50
MIN_COMPOUND_LENGTH = 7


@dataclass(frozen=True)
class Word:
    term: str
    parts: tuple[str, ...] = ()  # every part, also the parts of parts
    split: tuple[
        str, ...
    ] = ()  # the parts it was split into (schuldhulpverlening: schuld, hulpverlening)


def _known(word: str) -> bool:
    return word in lexicon().known


def _zipf(word: str) -> int:
    return lexicon().zipf.get(word, 0)


def _canonical(word: str) -> str:
    if word in OVERRIDES:
        return OVERRIDES[word]
    lemma = lexicon().lemmas.get(word, word)
    return OVERRIDES.get(lemma, lemma)


def _respellings(stem: str) -> list[str]:
    spellings = [stem]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        spellings.append(stem[:-1])  # plann → plan
    if len(stem) > 2 and stem[-1] not in VOWELS and stem[-2] in VOWELS and stem[-3] not in VOWELS:
        spellings.append(stem[:-1] + stem[-2] + stem[-1])  # strat → straat
    for voiced, voiceless in (("v", "f"), ("z", "s")):
        spellings += [s[:-1] + voiceless for s in list(spellings) if s.endswith(voiced)]
    return spellings


@lru_cache(maxsize=200_000)
def _known_lemma(word: str) -> str | None:
    """The lemma of a word the lexicon knows, directly or once a regular ending is off."""
    if word in OVERRIDES:
        return OVERRIDES[word]
    if _known(word):
        return _canonical(word)
    for ending, vowel in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            if vowel is None:
                candidates = [stem + "y", stem + "ie"]
            else:
                candidates = _respellings(stem) if vowel else [stem]
            for candidate in candidates:
                if _known(candidate):
                    return _canonical(candidate)
    return None


def _is_part(lemma: str, min_length: int) -> bool:
    if len(lemma) < min_length or lemma in NOT_PARTS or lemma in NOT_HEADS:
        return False
    zipf = _zipf(lemma)
    return (
        zipf >= (MIN_PART_ZIPF if len(lemma) > 4 else MIN_SHORT_PART_ZIPF)
        or len(lemma) >= 7
        and zipf >= MIN_LONG_HEAD_ZIPF
    )


def _modifier(surface: str) -> str | None:
    """The lemma of a first part as written, with or without a linking s (gezins → gezin)."""
    readings = []
    if _known(surface) and surface not in NOT_PARTS:
        readings.append(_canonical(surface))
    if (
        surface.endswith("s")
        and len(surface) > 3
        and _known(surface[:-1])
        and surface[:-1] not in NOT_PARTS
    ):
        readings.append(_canonical(surface[:-1]))
    readings = [r for r in readings if _is_part(r, 3)]
    return max(readings, key=_zipf) if readings else None


@lru_cache(maxsize=200_000)
def _modifiers(prefix: str) -> tuple[str, ...] | None:
    """The fewest first parts that make up `prefix`, or None."""
    whole = _modifier(prefix)
    if whole:
        return (whole,)
    best = None
    for cut in range(3, len(prefix) - 2):
        first = _modifier(prefix[:cut])
        if first:
            rest = _modifiers(prefix[cut:])
            if rest and (best is None or len(rest) + 1 < len(best)):
                best = (first, *rest)
    return best


@lru_cache(maxsize=200_000)
def _split(word: str, inflected: bool) -> tuple[tuple[str, ...], int] | None:
    """The best split of a word into known words: (the parts' lemmas, where the head starts).
    Fewest parts first, then the split whose rarest part is most common."""
    best = None
    for cut in range(3, len(word) - 3):
        head = word[cut:]
        if head.startswith(SUFFIXES):
            continue
        if inflected:
            lemma = _known_lemma(head)
        else:
            lemma = _canonical(head) if _known(head) else None
        if lemma is None or not _is_part(lemma, 4):
            continue
        modifiers = _modifiers(word[:cut])
        if modifiers is None:
            continue
        parts = (*modifiers, lemma)
        key = (len(parts), -min(_zipf(p) for p in parts))
        if best is None or key < best[0]:
            best = (key, parts, cut)
    return (best[1], best[2]) if best else None


@lru_cache(maxsize=500_000)
def analyse_word(word: str) -> Word:
    """The term and compound parts of one folded word."""
    if not word.isalpha():
        return Word(word)  # numbers, codes: as written
    lemma, parts = _known_lemma(word), ()
    if lemma is not None:
        # Verbs are left whole: "plaatsvinden" is not about a place.
        if len(lemma) >= MIN_COMPOUND_LENGTH and not lemma.endswith("en"):
            split = _split(lemma, inflected=False)
            if split and (
                sum(_zipf(p) for p in split[0]) / len(split[0]) >= _zipf(lemma) - KNOWN_WORD_MARGIN
            ):
                parts = split[0]
    elif len(word) >= MIN_COMPOUND_LENGTH and (split := _split(word, inflected=True)):
        # An unknown compound: its modifiers as written and the lemma of its head.
        parts, cut = split
        lemma = word[:cut] + parts[-1]
    else:
        lemma = word
    nested = []
    for part in parts:
        nested.append(part)
        if len(part) < len(lemma):
            nested.extend(analyse_word(part).parts)  # schuldhulpverlening → also hulp, verlening
    return Word(lemma, tuple(dict.fromkeys(p for p in nested if p != lemma)), parts)


# --- Texts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysed:
    terms: str  # one term per word, space-separated, in order (phrases match here)
    parts: str  # the compound parts of those words, space-separated (loose words match here too)


def analyse(text: str) -> Analysed:
    analysed = [analyse_word(w) for w in words(text)]
    return Analysed(
        terms=" ".join(a.term for a in analysed),
        parts=" ".join(p for a in analysed for p in a.parts),
    )


def terms(text: str) -> list[str]:
    """The terms of a text, in order."""
    return [analyse_word(w).term for w in words(text)]


def term(word: str) -> str:
    """The term of one folded word (as search.query gives them)."""
    return analyse_word(word).term
