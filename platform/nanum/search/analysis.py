"""How text becomes index terms, the same for every engine and for snippets.

A word is lower-cased, its accents folded ("Bogotá" is "bogota"), dropped when it is a
stop word, and stemmed with the Snowball stemmer of the text's language ("communities"
and "community" are one term in English, "viviendas" and "vivienda" in Spanish). Engines
index what `terms` returns and look up what `term` returns, so a word found by a search
is the word a snippet marks.

English is the default language and its terms are the stems themselves. A text in
another language gives terms marked with its code ("es:viviend"), so that the stems of
two languages never meet: an English search on an English index reads exactly the terms
it always did. A language without a Snowball stemmer is folded only. Chinese, Japanese
and Korean write words without spaces (or, in Korean, with particles glued to them), so
a run of their characters becomes overlapping pairs of characters ("주거지원" → "주거",
"거지", "지원"), unmarked and the same in every language; a search for a word finds the
documents holding its pairs next to each other.
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer

DEFAULT_LANGUAGE = "en"

# Words, with inner dots kept ("11.5", "e.g"), as people write targets and abbreviations.
WORD = re.compile(r"\w+(?:\.\w+)*")

# Han, Hiragana, Katakana and Hangul (syllables and jamo): scripts written without spaces
# between words, cut into pairs of characters.
CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
                 r"\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff]+")

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

# The commonest function words of the other languages with a stemmer here, accents
# folded as `fold` folds them.
OTHER_STOP_WORDS = {
    "es": frozenset("""
a al algo ante con como contra cual cuando de del desde donde durante e el ella ellas
ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha hay la las
le les lo los mas me mi muy ni no nos o os para pero por que se sea segun ser si sin
sobre son su sus tambien te tiene u un una uno unos y ya
""".split()),
    "fr": frozenset("""
a au aux avec ce ces cet cette d dans de des du elle elles en est et etre eu il ils je l
la le les leur leurs lui m ma mais me mes n ne ni nos notre nous on ont ou par pas pour
qu que qui s sa sans se ses si son sont sur t ta te tes toi ton tu un une vos votre vous y
""".split()),
    "pt": frozenset("""
a ao aos as com como da das de do dos e em entre era foi ha mais mas na nas no nos o os
ou para pela pelas pelo pelos por que se sem ser seu seus sua suas um uma umas uns
""".split()),
}

# ISO 639-1 codes of the languages PyStemmer has a Snowball stemmer for.
STEMMER_NAMES = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_ALGORITHMS = set(Stemmer.algorithms())
_stemmers = {code: Stemmer.Stemmer(name) for code, name in STEMMER_NAMES.items()
             if name in _ALGORITHMS}
_stemmer = _stemmers[DEFAULT_LANGUAGE]

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe",
                          "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"})

_CODE = re.compile(r"^[a-z]{2,3}$")


def language_of(code):
    """Return the language code texts are analysed in: a known code, else English."""
    code = (code or "").strip().lower()
    return code if _CODE.match(code) else DEFAULT_LANGUAGE


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
    """Return the English index term of one word, or "" for a stop word."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return ""
    return _stemmer.stemWord(folded)


@lru_cache(maxsize=200_000)
def _other_term(word, language):
    """Return the index term of one word (no CJK) in a language other than English."""
    folded = fold(word)
    if not folded or folded in OTHER_STOP_WORDS.get(language, ()):
        return ""
    stemmer = _stemmers.get(language)
    return f"{language}:{stemmer.stemWord(folded) if stemmer else folded}"


def _pairs(run):
    """Return the overlapping pairs of characters of a CJK run (a lone character alone)."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=200_000)
def word_terms(word, language=DEFAULT_LANGUAGE):
    """Return the index terms of one word as a tuple: none for a stop word, one for most
    words, several for a word holding CJK characters."""
    if word.isascii() or not CJK.search(word):
        found = term(word) if language == DEFAULT_LANGUAGE else _other_term(word, language)
        return (found,) if found else ()
    found = []
    cursor = 0
    for run in CJK.finditer(word):
        if run.start() > cursor:
            found += word_terms(word[cursor:run.start()], language)
        # Not folded: NFKD would split Hangul syllables into letters; NFC joins them.
        found += _pairs(unicodedata.normalize("NFC", run.group()))
        cursor = run.end()
    if cursor < len(word):
        found += word_terms(word[cursor:], language)
    return tuple(found)


def terms(text, language=DEFAULT_LANGUAGE):
    """Return the index terms of a text in a language, in order, stop words left out."""
    found = []
    if language == DEFAULT_LANGUAGE:
        for word in WORD.findall(text):
            if word.isascii() or not CJK.search(word):
                stemmed = term(word)
                if stemmed:
                    found.append(stemmed)
            else:
                found += word_terms(word)
        return found
    for word in WORD.findall(text):
        found += word_terms(word, language)
    return found


def forms(text, languages=(DEFAULT_LANGUAGE,)):
    """Return the distinct term sequences of a text analysed in each language, in the
    order of `languages`; a language that leaves no term adds nothing."""
    found = []
    for language in languages:
        sequence = tuple(terms(text, language))
        if sequence and sequence not in found:
            found.append(sequence)
    return found


def prefixes(prefix, languages=(DEFAULT_LANGUAGE,)):
    """Return the folded prefix as each language's terms begin with it."""
    folded = fold(prefix)
    return [folded if language == DEFAULT_LANGUAGE else f"{language}:{folded}"
            for language in languages]


def words(text):
    """Return the folded words of a text, stop words included (for spelling and prefixes)."""
    return [fold(word) for word in WORD.findall(text)]
