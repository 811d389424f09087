"""The catalogues: every translation keeps its message's placeholders and markup, so that
no page breaks (a missing `%(count)s` is an error at render time) and no link is lost."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "platform" / "nanum" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
TAG = re.compile(r"</?([a-z]+)")


def catalogue(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=locale)


def pairs(message):
    """(source, translation) pairs of a message, plural forms included."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    for index, string in enumerate(strings):
        if string:
            yield ids[min(index, len(ids) - 1)], ids, string


@pytest.mark.parametrize("locale", ["es", "fr", "ko"])
def test_translations_keep_placeholders_and_markup(locale):
    problems = []
    for message in catalogue(locale):
        if not message.id:
            continue
        for source, ids, string in pairs(message):
            # A plural may leave out the count its singular states ("this field").
            wanted = set().union(*(set(PLACEHOLDER.findall(i)) for i in ids))
            if not set(PLACEHOLDER.findall(string)) <= wanted:
                problems.append((source, string, "placeholder"))
            if sorted(TAG.findall(string)) != sorted(TAG.findall(source)):
                problems.append((source, string, "markup"))
    assert problems == []


@pytest.mark.parametrize("locale", ["es", "fr", "ko"])
def test_catalogue_figures(locale, capsys):
    """Print how much of each catalogue is translated (untranslated entries show English)."""
    messages = [m for m in catalogue(locale) if m.id]
    translated = [m for m in messages if (all(m.string) if isinstance(m.string, tuple)
                                          else m.string)]
    with capsys.disabled():
        print(f"\n{locale}: {len(translated)} of {len(messages)} messages translated")
    assert messages, "an empty catalogue: run make messages"
