"""The form of an organisation's name that look-alikes are found by.

Stored beside the name (`Organisation.normalised_name`, set whenever the name is), so that
finding possible duplicates never normalises a whole country's names again.
"""

import re
import unicodedata

# Words that say what kind of body an organisation is rather than which one.
GENERIC_WORDS = frozenset("""
    the of de del della des du la le les el los and et y for pour para &
    organisation organization organisations organizations association
    municipality municipal city town county council district region regional
    government local state office department authority
""".split())


def normalise(name):
    """Return a name's distinctive words, lower-cased, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"\w+", text)
    distinctive = [word for word in words if word not in GENERIC_WORDS]
    return " ".join(distinctive or words)
