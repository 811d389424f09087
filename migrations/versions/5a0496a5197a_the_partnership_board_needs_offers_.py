"""The partnership board: needs, offers, matches and introductions

Revision ID: 5a0496a5197a
Revises: 7c4e1a9b2d35
Create Date: 2026-12-03 01:51:22.868766

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a0496a5197a'
down_revision = "8d2f4b6a1c37"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('government_level', sa.String(length=20), nullable=True),
    sa.Column('population_band', sa.String(length=20), nullable=True),
    sa.Column('settlement_type', sa.String(length=20), nullable=True),
    sa.Column('budget_band', sa.String(length=20), nullable=True),
    sa.Column('infrastructure_level', sa.String(length=20), nullable=True),
    sa.Column('staff_band', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('cooked', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_board_posts_author_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_board_posts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_posts'))
    )
    with op.batch_alter_table('board_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_board_posts_kind_status_end', ['kind', 'status', 'end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_posts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_posts_status'), ['status'], unique=False)

    op.create_table('board_countries',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['board_posts.id'], name=op.f('fk_board_countries_post_id_board_posts')),
    sa.PrimaryKeyConstraint('post_id', 'country', name=op.f('pk_board_countries'))
    )
    with op.batch_alter_table('board_countries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_countries_country'), ['country'], unique=False)

    op.create_table('board_goals',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['board_posts.id'], name=op.f('fk_board_goals_post_id_board_posts')),
    sa.PrimaryKeyConstraint('post_id', 'goal', name=op.f('pk_board_goals'))
    )
    with op.batch_alter_table('board_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_goals_goal'), ['goal'], unique=False)

    op.create_table('board_languages',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['board_posts.id'], name=op.f('fk_board_languages_post_id_board_posts')),
    sa.PrimaryKeyConstraint('post_id', 'language', name=op.f('pk_board_languages'))
    )
    with op.batch_alter_table('board_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_languages_language'), ['language'], unique=False)

    op.create_table('board_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('told_at', sa.DateTime(), nullable=True),
    sa.Column('formed_at', sa.DateTime(), nullable=True),
    sa.Column('formed_by_id', sa.Integer(), nullable=True),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['formed_by_id'], ['users.id'], name=op.f('fk_board_matches_formed_by_id_users')),
    sa.ForeignKeyConstraint(['need_id'], ['board_posts.id'], name=op.f('fk_board_matches_need_id_board_posts')),
    sa.ForeignKeyConstraint(['offer_id'], ['board_posts.id'], name=op.f('fk_board_matches_offer_id_board_posts')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_board_matches_practice_id_practices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_matches')),
    sa.UniqueConstraint('need_id', 'offer_id', name='uq_board_matches_pair')
    )
    with op.batch_alter_table('board_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_matches_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_matches_offer_id'), ['offer_id'], unique=False)

    op.create_table('board_targets',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['board_posts.id'], name=op.f('fk_board_targets_post_id_board_posts')),
    sa.PrimaryKeyConstraint('post_id', 'target', name=op.f('pk_board_targets'))
    )
    with op.batch_alter_table('board_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_targets_target'), ['target'], unique=False)

    op.create_table('board_introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('from_organisation_id', sa.Integer(), nullable=False),
    sa.Column('to_organisation_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_board_introductions_answered_by_id_users')),
    sa.ForeignKeyConstraint(['from_organisation_id'], ['organisations.id'], name=op.f('fk_board_introductions_from_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['match_id'], ['board_matches.id'], name=op.f('fk_board_introductions_match_id_board_matches')),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_board_introductions_sender_id_users')),
    sa.ForeignKeyConstraint(['to_organisation_id'], ['organisations.id'], name=op.f('fk_board_introductions_to_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_introductions'))
    )
    with op.batch_alter_table('board_introductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_introductions_match_id'), ['match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_introductions_to_organisation_id'), ['to_organisation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('board_introductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_introductions_to_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_board_introductions_match_id'))

    op.drop_table('board_introductions')
    with op.batch_alter_table('board_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_targets_target'))

    op.drop_table('board_targets')
    with op.batch_alter_table('board_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_matches_offer_id'))
        batch_op.drop_index(batch_op.f('ix_board_matches_need_id'))

    op.drop_table('board_matches')
    with op.batch_alter_table('board_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_languages_language'))

    op.drop_table('board_languages')
    with op.batch_alter_table('board_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_goals_goal'))

    op.drop_table('board_goals')
    with op.batch_alter_table('board_countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_countries_country'))

    op.drop_table('board_countries')
    with op.batch_alter_table('board_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_posts_status'))
        batch_op.drop_index(batch_op.f('ix_board_posts_organisation_id'))
        batch_op.drop_index('ix_board_posts_kind_status_end')
        batch_op.drop_index(batch_op.f('ix_board_posts_author_id'))

    op.drop_table('board_posts')
