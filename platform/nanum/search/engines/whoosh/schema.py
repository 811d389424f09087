"""The Whoosh index's fields and analyzers, and how a Nanum document fills them."""

from datetime import datetime

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema

from nanum.search import analysis
from nanum.search.engine import FACET_FIELDS, TEXT_FIELDS

MATCH_FIELD = "text"  # every text field at once, with positions: what words and phrases match


class NanumTerms(Filter):
    """Turn lower-cased words into Nanum's index terms (`analysis.term`), dropping stop
    words and renumbering positions so that a phrase's words stay next to each other."""

    def __call__(self, tokens):
        position = None
        for token in tokens:
            text = analysis.term(token.text)
            if not text:
                continue
            token.text = text
            if token.positions:
                position = 0 if position is None else position + 1
                token.pos = position
            yield token


class SpellWords(Filter):
    """Folded words of three letters or more: what "did you mean" may suggest."""

    def __call__(self, tokens):
        for token in tokens:
            text = analysis.fold(token.text)
            if len(text) >= 3 and text not in analysis.STOP_WORDS:
                token.text = text
                yield token


TEXT_ANALYZER = RegexTokenizer(analysis.WORD) | LowercaseFilter() | NanumTerms()
SPELL_ANALYZER = RegexTokenizer(analysis.WORD) | LowercaseFilter() | SpellWords()


def schema():
    """Return the index schema: text to match and score, keyword fields to filter and count."""
    fields = {
        "key": ID(stored=True, unique=True),
        MATCH_FIELD: TEXT(analyzer=TEXT_ANALYZER),
        "spell": TEXT(analyzer=SPELL_ANALYZER, phrase=False),
        "published": DATETIME(sortable=True),
        "discussed": NUMERIC(sortable=True),
    }
    for name in TEXT_FIELDS:
        fields[name] = TEXT(analyzer=TEXT_ANALYZER, phrase=False)
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(commas=True, scorable=False)
    return Schema(**fields)


def as_fields(document):
    """Turn a Nanum document (text, lists and values) into Whoosh field values."""
    fields = {}
    for name, value in document.items():
        if name == "language":
            continue  # every word is stemmed as English here
        if name in FACET_FIELDS:
            values = value if isinstance(value, (list, tuple)) else [value]
            fields[name] = ",".join(str(v).replace(",", " ") for v in values if v)
        elif value is not None:
            fields[name] = value
    fields[MATCH_FIELD] = "\n".join(document.get(name) or "" for name in TEXT_FIELDS)
    fields.setdefault("published", datetime(1970, 1, 1))
    fields.setdefault("discussed", 0)
    return fields
