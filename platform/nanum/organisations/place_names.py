"""The names of countries and M49 regions in the languages the site shows them in.

Country names come from pycountry's ISO 3166 translations; the M49 region names are the
United Nations' own in English, Spanish and French (with the everyday forms people type,
such as "Afrique de l'Est"), and the usual Korean ones.
"""

import functools
import gettext
import unicodedata

import pycountry

from nanum import i18n
from nanum.organisations import regions

LANGUAGES = ("es", "fr", "ko")  # beside English

REGION_NAMES = {
    # English M49 name: (Spanish, French, Korean) names, each a tuple of the forms in use
    "Africa": (("África",), ("Afrique",), ("아프리카",)),
    "Americas": (("Américas", "América"), ("Amériques", "Amérique"), ("아메리카",)),
    "Asia": (("Asia",), ("Asie",), ("아시아",)),
    "Australia and New Zealand": (("Australia y Nueva Zelandia", "Australia y Nueva Zelanda"),
                                  ("Australie et Nouvelle-Zélande",), ("호주 뉴질랜드",)),
    "Caribbean": (("Caribe",), ("Caraïbes",), ("카리브",)),
    "Central America": (("Centroamérica", "América Central"), ("Amérique centrale",),
                        ("중앙아메리카", "중미")),
    "Central Asia": (("Asia central",), ("Asie centrale",), ("중앙아시아",)),
    "Eastern Africa": (("África oriental", "África del Este"),
                       ("Afrique orientale", "Afrique de l'Est"), ("동아프리카",)),
    "Eastern Asia": (("Asia oriental", "Asia del Este"), ("Asie orientale", "Asie de l'Est"),
                     ("동아시아",)),
    "Eastern Europe": (("Europa oriental", "Europa del Este"),
                       ("Europe orientale", "Europe de l'Est"), ("동유럽",)),
    "Europe": (("Europa",), ("Europe",), ("유럽",)),
    "Latin America and the Caribbean": (("América Latina y el Caribe",),
                                        ("Amérique latine et Caraïbes",),
                                        ("라틴아메리카 카리브", "중남미")),
    "Melanesia": (("Melanesia",), ("Mélanésie",), ("멜라네시아",)),
    "Micronesia": (("Micronesia",), ("Micronésie",), ("미크로네시아",)),
    "Middle Africa": (("África central",), ("Afrique centrale",), ("중앙아프리카",)),
    "Northern Africa": (("África septentrional", "África del Norte"),
                        ("Afrique septentrionale", "Afrique du Nord"), ("북아프리카",)),
    "Northern America": (("América septentrional", "América del Norte"),
                         ("Amérique septentrionale", "Amérique du Nord"),
                         ("북아메리카", "북미")),
    "Northern Europe": (("Europa septentrional", "Europa del Norte"),
                        ("Europe septentrionale", "Europe du Nord"), ("북유럽",)),
    "Oceania": (("Oceanía",), ("Océanie",), ("오세아니아",)),
    "Polynesia": (("Polinesia",), ("Polynésie",), ("폴리네시아",)),
    "South America": (("América del Sur", "Sudamérica"), ("Amérique du Sud",),
                      ("남아메리카", "남미")),
    "South-eastern Asia": (("Asia sudoriental", "Sudeste Asiático"), ("Asie du Sud-Est",),
                           ("동남아시아",)),
    "Southern Africa": (("África meridional", "África austral"), ("Afrique australe",),
                        ("남아프리카",)),
    "Southern Asia": (("Asia meridional", "Asia del Sur"),
                      ("Asie méridionale", "Asie du Sud"), ("남아시아",)),
    "Southern Europe": (("Europa meridional", "Europa del Sur"),
                        ("Europe méridionale", "Europe du Sud"), ("남유럽",)),
    "Sub-Saharan Africa": (("África subsahariana",), ("Afrique subsaharienne",),
                           ("사하라 이남 아프리카",)),
    "Western Africa": (("África occidental", "África del Oeste"),
                       ("Afrique occidentale", "Afrique de l'Ouest"), ("서아프리카",)),
    "Western Asia": (("Asia occidental",), ("Asie occidentale", "Asie de l'Ouest"),
                     ("서아시아",)),
    "Western Europe": (("Europa occidental",), ("Europe occidentale", "Europe de l'Ouest"),
                       ("서유럽",)),
}


@functools.cache
def _translation(language):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # pycountry without this language: English names only
        return gettext.NullTranslations()


@functools.cache
def country_names(code):
    """Return a country's names in English, Spanish, French and Korean, each once."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return ()
    names = regions.country_names(code)
    # Translations of the common and ISO names only: official names such as "República de
    # Kenia" would add words ("república") to every practice of a country.
    short = [name for name in (getattr(country, "common_name", None), country.name) if name]
    for language in LANGUAGES:
        translate = _translation(language).gettext
        names += [translate(name) for name in short]
    return tuple(dict.fromkeys(names))


def region_names(region):
    """Return an M49 region's names in English, Spanish, French and Korean."""
    return (region, *(name for names in REGION_NAMES.get(region, ()) for name in names))


def _base(language):
    """Return the language part of a locale code: "es" for "es_MX" or "es-419"."""
    return str(language or "en").replace("-", "_").split("_", 1)[0].lower()


def _catalogue(language):
    """Return the name of pycountry's catalogue for a language: "zh_CN" for Chinese in
    simplified characters ("zh-Hans"), else the language part of the code."""
    if str(language or "").replace("_", "-").lower().startswith("zh-hans"):
        return "zh_CN"
    return _base(language)


def country_name(code, language):
    """Return a country's display name in a language, in English when there is no translation."""
    english = regions.country_name(code)
    if english is None or _base(language) == "en":
        return english
    country = pycountry.countries.get(alpha_2=code.strip().upper())
    translate = _translation(_catalogue(language)).gettext
    for name in (getattr(country, "common_name", None), country.name):
        if name and translate(name) != name:
            return translate(name)
    return english


def region_name(region, language):
    """Return an M49 region's name in a language, in English when there is none."""
    base = _base(language)
    names = REGION_NAMES.get(region)
    if not names or base not in LANGUAGES:
        return region
    return names[LANGUAGES.index(base)][0]


def shown_country(code):
    """Return a country's name in the language of the page, else its code."""
    return country_name(code, i18n.current_language()) or code


def shown_region(region):
    """Return a region's name in the language of the page."""
    return region_name(region, i18n.current_language()) if region else region


def _fold(name):
    """Fold accents and case so names sort alphabetically."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@functools.cache
def _country_choices(base):
    named = ((code, country_name(code, base)) for code, _english in regions.COUNTRY_CHOICES)
    return tuple(sorted(named, key=lambda choice: (_fold(choice[1]), choice[0])))


def country_choices():
    """Return (code, name) of every country, named and sorted in the language of the page."""
    return list(_country_choices(_base(i18n.current_language())))


def region_choices():
    """Return (M49 name, shown name) of every sub-region, in the language of the page."""
    language = i18n.current_language()
    return [(name, region_name(name, language)) for name in regions.SUBREGIONS]
