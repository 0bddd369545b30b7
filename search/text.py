"""Dutch text analysis shared by every engine, so they agree on what matches what.

The pipeline: lower case, fold accents (coördinatie → coordinatie), split into words, stem with the Snowball Dutch stemmer (the algorithm PostgreSQL's `dutch`
configuration and Elasticsearch's `dutch` stemmer use), then undo final devoicing
(initiatiev → initiatief, huiz → huis): Snowball leaves plural stems such as
"bewonersinitiatieven" → "bewonersinitiatiev", which would then miss the singular.
Elasticsearch's analyzer (search/engines/elasticsearch.py) runs the same steps.

Stop words stay in the index (so a quoted phrase such as "aanpak van de wijk" matches
exactly); the query parser drops them from loose words only.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Snowball's Dutch stop word list (as shipped with PostgreSQL and Lucene).
STOP_WORDS = frozenset(
    "de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar "
    "om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar "
    "haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden "
    "toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier "
    "wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand "
    "geweest andere".split()
)
# After stemming: a final v or z is written f or s in the singular.
DEVOICING = (("v", "f"), ("z", "s"))

# Letters and digits; an underscore splits words, as in Elasticsearch's tokenizer and FTS5.
WORD_RE = re.compile(r"[^\W_]+")
# Letters NFKD does not take apart but Elasticsearch's asciifolding does.
_FOLD_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d",
                               "ð": "d", "þ": "th", "ı": "i"})
_stemmer = snowballstemmer.stemmer("dutch_porter")


def fold(text: str) -> str:
    """Lower case without accents: 'Coördinatie' → 'coordinatie'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    stemmed = _stemmer.stemWord(word)
    for voiced, voiceless in DEVOICING:
        if stemmed.endswith(voiced):
            return stemmed[:-1] + voiceless
    return stemmed


def terms(text: str) -> list[str]:
    """Index terms of a text, in order: folded and stemmed."""
    return [stem(w) for w in words(text)]


def analyse(text: str) -> str:
    return " ".join(terms(text))
