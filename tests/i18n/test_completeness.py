"""Every marked message is in every catalogue, translated: a page in Spanish, French or
Korean shows no English the code or a template marked (`make messages` adds new messages to
the catalogues; a translator then fills them in)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "platform" / "nanum" / "translations"


def translated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and "fuzzy" not in message.flags


@pytest.mark.parametrize("locale", ["es", "fr", "ko"])
def test_every_marked_message_is_translated(catalogue, locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        translations = read_po(po, locale=locale)
    missing, untranslated = [], []
    for message in catalogue:
        if not message.id:
            continue
        found = translations.get(message.id, context=message.context)
        if found is None:
            missing.append(message.id)
        elif not translated(found):
            untranslated.append(message.id)
    assert missing == [], f"not in the {locale} catalogue (run make messages): {missing[:20]}"
    assert untranslated == [], f"not translated into {locale}: {untranslated[:20]}"
