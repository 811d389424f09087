"""Store each organisation's normalised name, for finding look-alikes

Revision ID: b7e3a1c5d902
Revises: 9c4e1d7b2f65
Create Date: 2026-12-02 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from nanum.organisations.names import normalise


# revision identifiers, used by Alembic.
revision = 'b7e3a1c5d902'
down_revision = '9c4e1d7b2f65'
branch_labels = None
depends_on = None

organisations = sa.table('organisations', sa.column('id', sa.Integer),
                         sa.column('name', sa.String),
                         sa.column('normalised_name', sa.Text))


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('normalised_name', sa.Text(), server_default='',
                                      nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.select(organisations.c.id, organisations.c.name)).all()
    for chunk in range(0, len(rows), 1000):
        connection.execute(
            organisations.update().where(organisations.c.id == sa.bindparam('row_id'))
            .values(normalised_name=sa.bindparam('key')),
            [{'row_id': row.id, 'key': normalise(row.name)} for row in rows[chunk:chunk + 1000]])


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('normalised_name')
