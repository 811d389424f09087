"""How text becomes index terms, the same for every engine and for snippets.

A word is lower-cased, its accents folded ("Bogotá" is "bogota"), dropped when it is a
stop word, and stemmed with the Snowball stemmer ("communities" and "community" are one
term). Engines index what `terms` returns and look up what `term` returns, so a word found
by a search is the word a snippet marks.
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Words, with inner dots kept ("11.5", "e.g"), as people write targets and abbreviations.
WORD = re.compile(r"\w+(?:\.\w+)*")

# Function words and the words of a question ("how can a town ...?"), which say nothing
# about what a practice is about. Words that do ("no", "out", "under", "up", "over") stay.
STOP_WORDS = frozenset("""
a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing during each either etc few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself neither nor not now of off on once only or other
ought our ours ourselves she should so some such tbd than that the their theirs them
themselves then there these they this those through to too until us very was we were what
when where whether which while who whom whose why will with would yet you your yours
yourself yourselves
""".split())

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe",
                          "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"})

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def fold(word):
    """Return a lower-cased word without accents: "Bogotá" → "bogota"."""
    lowered = word.lower().translate(_LETTERS)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def term(word):
    """Return the index term of one word, or "" for a stop word."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return ""
    return _stemmer.stemWord(folded)


def terms(text):
    """Return the index terms of a text, in order, stop words left out."""
    found = []
    for word in WORD.findall(text):
        stemmed = term(word)
        if stemmed:
            found.append(stemmed)
    return found


def words(text):
    """Return the folded words of a text, stop words included (for spelling and prefixes)."""
    return [fold(word) for word in WORD.findall(text)]
