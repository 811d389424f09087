"""Featured practices, collections and calls for contributions

Revision ID: 4bad4f4f9b5e
Revises: 8f2d350900a9
Create Date: 2026-12-02 04:11:45.610963

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4bad4f4f9b5e'
down_revision = '8f2d350900a9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sdgs', sa.JSON(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('cooked', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_calls_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_closes_on'), ['closes_on'], unique=False)

    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('cooked', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_collections_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections'))
    )
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collections_published'), ['published'], unique=False)

    op.create_table('call_answers',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('tagged_by_id', sa.Integer(), nullable=True),
    sa.Column('tagged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_answers_call_id_calls')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_call_answers_practice_id_practices')),
    sa.ForeignKeyConstraint(['tagged_by_id'], ['users.id'], name=op.f('fk_call_answers_tagged_by_id_users')),
    sa.PrimaryKeyConstraint('practice_id', name=op.f('pk_call_answers'))
    )
    with op.batch_alter_table('call_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_answers_call_id'), ['call_id'], unique=False)

    op.create_table('collection_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_collection_items_added_by_id_users')),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_collection_items_collection_id_collections')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_collection_items_practice_id_practices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_items')),
    sa.UniqueConstraint('collection_id', 'practice_id', name='uq_collection_items_practice')
    )
    with op.batch_alter_table('collection_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_items_collection_id'), ['collection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collection_items_practice_id'), ['practice_id'], unique=False)

    op.create_table('featured_practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('featured_by_id', sa.Integer(), nullable=True),
    sa.Column('featured_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['featured_by_id'], ['users.id'], name=op.f('fk_featured_practices_featured_by_id_users')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_featured_practices_practice_id_practices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_featured_practices')),
    sa.UniqueConstraint('practice_id', name=op.f('uq_featured_practices_practice_id'))
    )


def downgrade():
    op.drop_table('featured_practices')
    with op.batch_alter_table('collection_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collection_items_practice_id'))
        batch_op.drop_index(batch_op.f('ix_collection_items_collection_id'))

    op.drop_table('collection_items')
    with op.batch_alter_table('call_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_answers_call_id'))

    op.drop_table('call_answers')
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collections_published'))

    op.drop_table('collections')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_closes_on'))

    op.drop_table('calls')
