"""One page of a list from the database; a page past the end is the last page."""

from nanum.extensions import db

MAX_PER_PAGE = 100


def paginate(statement, page, per_page):
    """Return page `page` of `statement`'s rows, or the last page when there are fewer."""
    found = db.paginate(statement, page=page, per_page=per_page, error_out=False,
                        max_per_page=MAX_PER_PAGE)
    last = max(found.pages, 1)
    if found.page > last:
        found = db.paginate(statement, page=last, per_page=per_page, error_out=False,
                            max_per_page=MAX_PER_PAGE)
    return found
