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


def numbers(page, pages):
    """Return the page numbers a pager shows, None where it skips some: 1 … 4 5 6 … 20.

    The first, the last and the neighbours of the current page; a gap of one page shows
    that page rather than an ellipsis.
    """
    shown = sorted({1, pages, *range(max(1, page - 1), min(pages, page + 1) + 1)})
    found = []
    for number in shown:
        if found and number - found[-1] == 2:
            found.append(number - 1)
        elif found and number - found[-1] > 2:
            found.append(None)
        found.append(number)
    return found
