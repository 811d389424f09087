"""The Whoosh index's fields and analyzers, and how a Nanum document fills them."""

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, TEXT, Schema
from whoosh.util.times import datetime_to_long

from nanum.search import analysis
from nanum.search.engine import FACET_FIELDS, TEXT_FIELDS
from nanum.search.engines.whoosh.positions import CountedFrequency, PackedPositions


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


# Every text field's terms with their positions, a gap between fields: what phrases are
# found in. Kept apart from the scored fields, whose postings are read far more often and
# are much cheaper to read without positions.
PHRASE_FIELD = "text"

TEXT_ANALYZER = RegexTokenizer(analysis.WORD) | LowercaseFilter() | NanumTerms()
SPELL_ANALYZER = RegexTokenizer(analysis.WORD) | LowercaseFilter() | SpellWords()


def schema():
    """Return the index schema: text to match and score, keyword fields to filter and count,
    and the values results are ordered by (columns only: nothing searches them)."""
    fields = {
        "key": ID(stored=True, unique=True),
        "spell": TEXT(analyzer=SPELL_ANALYZER, phrase=False),
        "published": COLUMN(NumericColumn("q")),
        "discussed": COLUMN(NumericColumn("q")),
    }
    fields["spell"].format = CountedFrequency()
    for name in TEXT_FIELDS:  # frequencies only: scoring reads them for every word searched
        fields[name] = TEXT(analyzer=TEXT_ANALYZER, phrase=False)
        fields[name].format = CountedFrequency()
    fields[PHRASE_FIELD] = TEXT(analyzer=TEXT_ANALYZER)
    fields[PHRASE_FIELD].format = PackedPositions()
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(commas=True, scorable=False)
        fields[name].format = CountedFrequency()
    return Schema(**fields)


def same_fields(stored, wanted):
    """Tell whether an index's schema has the fields of `wanted`, each of the same kind and
    format (Whoosh's own comparison also compares column objects, which are never equal)."""
    if sorted(stored.names()) != sorted(wanted.names()):
        return False
    return all(type(stored[name]) is type(wanted[name])
               and type(stored[name].format) is type(wanted[name].format)
               and type(stored[name].column_type) is type(wanted[name].column_type)
               for name in wanted.names())


def as_fields(document):
    """Turn a Nanum document (text, lists and values) into Whoosh field values.

    Text goes in already analysed in the document's language (`analysis.terms`), as lists
    of terms: Whoosh indexes a list of tokens as it is (`None` in the phrase field's list is
    a position left empty). `TEXT_ANALYZER` is English's, term by term.
    """
    fields = {}
    for name, value in document.items():
        if name in FACET_FIELDS:  # as KEYWORD(commas=True) reads "a, b": values stripped
            values = value if isinstance(value, (list, tuple)) else [value]
            fields[name] = [text for v in values if v and (text := str(v).strip())]
        elif name == "key":
            fields[name] = value
    everything = []
    language = analysis.language_of(document.get("language"))
    for name in TEXT_FIELDS:
        fields[name] = analysis.terms(document.get(name) or "", language)
        if everything and fields[name]:
            everything.append(None)  # a gap: no phrase runs from one field into the next
        everything += fields[name]
    fields[PHRASE_FIELD] = everything
    fields["spell"] = spell_words(document.get("spell") or "")
    published = document.get("published")
    fields["published"] = datetime_to_long(published) if published else 0
    fields["discussed"] = int(document.get("discussed") or 0)
    return fields


def spell_words(text):
    """Return what `SPELL_ANALYZER` makes of a text: the words "did you mean" may offer."""
    return [word for word in analysis.words(text)
            if len(word) >= 3 and word not in analysis.STOP_WORDS]
