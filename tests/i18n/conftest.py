"""A pseudo-translation of every marked string, for telling marked text from English left."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo

ROOT = Path(__file__).resolve().parents[2]
OPEN, CLOSE = "⟦", "⟧"
PSEUDO_LOCALES = ("es", "fr", "ko")


def pseudo(text):
    """Mark a message so that it is seen on a page: "Search" -> "⟦Search⟧"."""
    return f"{OPEN}{text}{CLOSE}"


def extracted_catalogue():
    """Extract the marked strings as `make messages` does (babel.cfg)."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalogue = Catalog(locale="en")
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        catalogue.add(message, None, context=context)
    return catalogue


@pytest.fixture(scope="session")
def catalogue():
    return extracted_catalogue()


@pytest.fixture(scope="session")
def pseudo_translations(tmp_path_factory, catalogue):
    """A translations folder where es, fr and ko say every marked message as ⟦message⟧."""
    folder = tmp_path_factory.mktemp("pseudo-translations")
    for locale in PSEUDO_LOCALES:
        translated = Catalog(locale=locale)
        for message in catalogue:
            if not message.id:
                continue
            if message.pluralizable:
                forms = tuple(pseudo(message.id[0] if n == 0 else message.id[1])
                              for n in range(translated.num_plurals))
                translated.add(message.id, forms, context=message.context)
            else:
                translated.add(message.id, pseudo(message.id), context=message.context)
        target = folder / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        with open(target / "messages.mo", "wb") as mo:
            write_mo(mo, translated)
    return folder


@pytest.fixture
def config(config, pseudo_translations):
    """Apps of these tests read the pseudo-translations instead of the real catalogues."""
    return {**config, "BABEL_TRANSLATION_DIRECTORIES": str(pseudo_translations)}
