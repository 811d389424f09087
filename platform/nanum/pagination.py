"""One page of a list from the database; a page past the end is the last page."""

from dataclasses import dataclass

from sqlalchemy import func, select

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


@dataclass
class RowPage:
    """A page of rows of several columns, with what a Flask-SQLAlchemy pagination says."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def paginate_rows(statement, page, per_page):
    """Return page `page` of a statement selecting several columns (whose rows a
    Flask-SQLAlchemy pagination would cut to their first), or the last page: LIMIT and
    OFFSET in SQL, and one count."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = db.session.scalar(select(func.count()).select_from(
        statement.order_by(None).subquery()))
    page = max(1, min(page, -(-total // per_page) or 1))
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return RowPage(rows, page, per_page, total)


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
