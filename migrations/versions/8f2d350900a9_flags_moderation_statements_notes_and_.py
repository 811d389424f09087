"""flags, moderation statements, notes and sanctions

Revision ID: 8f2d350900a9
Revises: 4a7d9e2c1b03
Create Date: 2026-12-02 04:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f2d350900a9'
down_revision = '4a7d9e2c1b03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flag_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('open_key', sa.String(length=40), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('flag_count', sa.Integer(), nullable=False),
    sa.Column('auto_hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_flagged_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_flag_entries_author_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_flag_entries_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_entries')),
    sa.UniqueConstraint('open_key', name=op.f('uq_flag_entries_open_key'))
    )
    with op.batch_alter_table('flag_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_entries_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_entries_status'), ['status'], unique=False)
        batch_op.create_index('ix_flag_entries_target', ['target_type', 'target_id'], unique=False)

    op.create_table('user_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_user_notes_author_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_notes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_notes'))
    )
    with op.batch_alter_table('user_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_notes_user_id'), ['user_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['flag_entries.id'], name=op.f('fk_flags_entry_id_flag_entries')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flags_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('user_id', 'target_type', 'target_id', name='uq_flags_user_target')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_user_id'), ['user_id'], unique=False)

    op.create_table('moderation_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('target_label', sa.String(length=300), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=True),
    sa.Column('changed', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('appeal_status', sa.String(length=20), nullable=True),
    sa.Column('appeal_text', sa.Text(), nullable=True),
    sa.Column('appealed_at', sa.DateTime(), nullable=True),
    sa.Column('appeal_moderator_id', sa.Integer(), nullable=True),
    sa.Column('appeal_message', sa.Text(), nullable=True),
    sa.Column('appeal_decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['appeal_moderator_id'], ['users.id'], name=op.f('fk_moderation_statements_appeal_moderator_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['flag_entries.id'], name=op.f('fk_moderation_statements_entry_id_flag_entries')),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_statements_moderator_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_moderation_statements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_statements'))
    )
    with op.batch_alter_table('moderation_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_statements_appeal_status'), ['appeal_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_statements_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('silenced_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('suspended_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('hidden')
        batch_op.drop_column('suspended_until')
        batch_op.drop_column('silenced_until')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('hidden')

    with op.batch_alter_table('moderation_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_statements_user_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_statements_appeal_status'))

    op.drop_table('moderation_statements')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_user_id'))
        batch_op.drop_index(batch_op.f('ix_flags_entry_id'))

    op.drop_table('flags')
    with op.batch_alter_table('user_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_notes_user_id'))

    op.drop_table('user_notes')
    with op.batch_alter_table('flag_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_flag_entries_target')
        batch_op.drop_index(batch_op.f('ix_flag_entries_status'))
        batch_op.drop_index(batch_op.f('ix_flag_entries_author_id'))

    op.drop_table('flag_entries')
