"""The expert directory: expert profiles, their tags, and contact requests

Revision ID: 5e2b8c4d1a70
Revises: 7c4e1a9b2d35
Create Date: 2026-12-03 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2b8c4d1a70'
down_revision = "5d2b8e4f1c67"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('expert_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('listed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('summary', sa.String(length=600), server_default='', nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_expert_profiles_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_profiles')),
    sa.UniqueConstraint('user_id', name=op.f('uq_expert_profiles_user_id'))
    )
    op.create_table('expert_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['expert_profiles.id'], name=op.f('fk_expert_tags_profile_id_expert_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_tags')),
    sa.UniqueConstraint('profile_id', 'kind', 'value', name=op.f('uq_expert_tags_profile_id'))
    )
    with op.batch_alter_table('expert_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_tags_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index('ix_expert_tags_kind_value', ['kind', 'value'], unique=False)
    op.create_table('contact_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['expert_id'], ['users.id'], name=op.f('fk_contact_requests_expert_id_users')),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_contact_requests_sender_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_requests'))
    )
    with op.batch_alter_table('contact_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_requests_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_requests_sender_id'), ['sender_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_requests_sender_id'))
        batch_op.drop_index(batch_op.f('ix_contact_requests_expert_id'))
    op.drop_table('contact_requests')
    with op.batch_alter_table('expert_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_expert_tags_kind_value')
        batch_op.drop_index(batch_op.f('ix_expert_tags_profile_id'))
    op.drop_table('expert_tags')
    op.drop_table('expert_profiles')
