"""The form of a need or an offer: its fields as the page sends and shows them."""

from nanum.board import vocab

LIST_FIELDS = ("targets", "countries", "languages")


def from_request(form):
    """Return the fields a post form sent, as the services read them."""
    fields = {name: form.get(name, "") for name in
              ("kind", "title", "description", "end_date", "targets", "countries", "languages",
               *vocab.CONTEXT_FIELDS)}
    return fields


def from_post(post):
    """Return a post's values as the form shows them."""
    fields = {name: getattr(post, name) or "" for name in
              ("kind", "title", "description", *vocab.CONTEXT_FIELDS)}
    fields.update(end_date=post.end_date.isoformat(), targets=", ".join(post.target_keys),
                  countries=", ".join(post.country_codes),
                  languages=", ".join(post.language_codes))
    return fields
