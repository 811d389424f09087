"""Copy a whole Nanum database to another one: from the embedded SQLite file to PostgreSQL.

Every table of the models is copied in dependency order, in batches, inside one transaction
on the target: a copy that fails leaves the target as it was. Rows are read and written
through the models' tables, so dates, booleans and JSON are converted on the way. The two
keys that make a cycle (a thread's accepted answer) are filled once every row is in.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nanum.database import reading
from nanum.extensions import db

BATCH = 1000
SEEDED = {"content_version"}  # tables whose migration inserts a row: replaced by the copy


class CopyError(Exception):
    """The copy cannot start; nothing was written."""


@dataclass
class Report:
    """What was copied: rows per table, in the order they were copied."""

    counts: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.counts.values())


def tables():
    """The models' tables, parents before children."""
    return list(db.metadata.sorted_tables)


def _engine(url):
    try:
        return sa.create_engine(make_url(url))
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as error:
        raise CopyError(f"Not a database URL: {url} ({error})") from None


def _cyclic_columns(table):
    """Columns of `table` whose foreign key is added after the tables (use_alter)."""
    return [constraint.parent.name for constraint in table.foreign_keys
            if constraint.use_alter or (constraint.constraint is not None
                                        and constraint.constraint.use_alter)]


def _copied_columns(table):
    return [column for column in table.columns if column.computed is None]


def _revision(connection):
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def check(source, target):
    """Raise CopyError unless `target` has the schema of `source` and holds no content."""
    missing = [table.name for table in tables() if not sa.inspect(target).has_table(table.name)]
    if missing:
        raise CopyError(
            f"The target has no table {missing[0]} ({len(missing)} missing): create its "
            "schema first, with `nanum db upgrade` and NANUM_DATABASE_URL set to the target.")
    source_revision, target_revision = _revision(source), _revision(target)
    if source_revision and target_revision and source_revision != target_revision:
        raise CopyError(
            f"The source is at migration {source_revision} and the target at "
            f"{target_revision}: run `nanum db upgrade` on both first.")
    filled = [table.name for table in tables() if table.name not in SEEDED
              and target.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()]
    if filled:
        raise CopyError(
            f"The target already holds content ({', '.join(filled[:5])}"
            f"{', ...' if len(filled) > 5 else ''}): copy only into an empty database. "
            "Nothing was changed.")


def count_rows(connection):
    """Rows per table."""
    return {table.name: connection.execute(sa.select(sa.func.count()).select_from(table))
            .scalar() for table in tables()}


def _copy_table(source, target, table, progress):
    """Copy one table's rows; return their count and a statement filling the deferred keys."""
    columns = _copied_columns(table)
    deferred = _cyclic_columns(table)
    order = list(table.primary_key.columns) or columns
    rows = source.execute(sa.select(*columns).order_by(*order)
                          .execution_options(yield_per=BATCH))
    later = []
    copied = 0
    for batch in rows.partitions(BATCH):
        values = [row._asdict() for row in batch]
        for value in values:
            if any(value.get(name) is not None for name in deferred):
                later.append({**{f"pk_{c.name}": value[c.name] for c in order},
                              **{name: value[name] for name in deferred}})
                for name in deferred:
                    value[name] = None
        target.execute(table.insert(), values)
        copied += len(values)
        progress.update(len(values))
    fill = None
    if later:
        where = sa.and_(*(column == sa.bindparam(f"pk_{column.name}") for column in order))
        fill = (table.update().where(where)
                .values({name: sa.bindparam(name) for name in deferred}), later)
    return copied, fill


def reset_sequences(target):
    """Move PostgreSQL's id sequences past the copied ids."""
    if target.dialect.name != "postgresql":
        return
    for table in tables():
        for column in table.primary_key.columns:
            sequence = target.execute(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                      {"table": table.name, "column": column.name}).scalar()
            if sequence:
                target.execute(sa.text(
                    f'SELECT setval(:sequence, COALESCE(MAX("{column.name}"), 0) + 1, false) '
                    f'FROM "{table.name}"'), {"sequence": sequence})


def copy(source_url, target_url, progressbar):
    """Copy every row of `source_url` into the empty database at `target_url`.

    `progressbar(length, label)` returns a context manager with `update(n)` (click's).
    """
    source_engine, target_engine = _engine(source_url), _engine(target_url)
    if make_url(source_url) == make_url(target_url):
        raise CopyError("The source and the target are the same database.")
    report = Report()
    try:
        # Read the source in one snapshot, without taking SQLite's write lock.
        with reading(), source_engine.connect() as source, target_engine.begin() as target:
            check(source, target)
            counts = count_rows(source)
            with progressbar(length=sum(counts.values()), label="Copying") as progress:
                fills = []
                for table in tables():
                    if table.name in SEEDED:
                        target.execute(table.delete())
                    report.counts[table.name], fill = _copy_table(source, target, table,
                                                                   progress)
                    fills.append(fill)
            for statement, values in filter(None, fills):
                target.execute(statement, values)
            reset_sequences(target)
    except sa.exc.OperationalError as error:
        raise CopyError(f"Cannot use the database: {error.orig}") from None
    except sa.exc.IntegrityError as error:
        raise CopyError(f"The copy stopped and the target was left as it was: {error.orig}") \
            from None
    finally:
        source_engine.dispose()
        target_engine.dispose()
    return report
