"""The review queue: review requests, the private review conversation, trusted organisations

Revision ID: 6e2b8c4f1a90
Revises: 4bad4f4f9b5e
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e2b8c4f1a90'
down_revision = '4bad4f4f9b5e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trusted', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    op.create_table('review_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_review_requests_claimed_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_review_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_review_requests_practice_id_practices')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_review_requests_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_requests'))
    )
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.create_index('ix_review_requests_open', ['decided_at', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_requests_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_requests_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_requests_reason'), ['reason'], unique=False)

    op.create_table('review_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('from_moderator', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_messages_author_id_users')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_review_messages_practice_id_practices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_messages'))
    )
    with op.batch_alter_table('review_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_messages_practice_id'), ['practice_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_messages_practice_id'))
    op.drop_table('review_messages')
    with op.batch_alter_table('review_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_requests_reason'))
        batch_op.drop_index(batch_op.f('ix_review_requests_practice_id'))
        batch_op.drop_index(batch_op.f('ix_review_requests_claimed_by_id'))
        batch_op.drop_index('ix_review_requests_open')
    op.drop_table('review_requests')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('trusted')
