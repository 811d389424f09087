"""When an event was last submitted for review; event decisions named event.publish and
event.reject in the audit log, like every other area's

Revision ID: 3500ff166a5d
Revises: 70371b0af149
Create Date: 2026-12-03 07:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3500ff166a5d'
down_revision = "70371b0af149"
branch_labels = None
depends_on = None

RENAMED = (("event_publish", "event.publish"), ("event_reject", "event.reject"))


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(), nullable=True))
    # An event waiting now began to wait when it was last saved.
    op.execute("UPDATE events SET submitted_at = updated_at WHERE status = 'submitted'")
    for old, new in RENAMED:
        op.execute(f"UPDATE audit_records SET action = '{new}' WHERE action = '{old}'")


def downgrade():
    for old, new in RENAMED:
        op.execute(f"UPDATE audit_records SET action = '{old}' WHERE action = '{new}'")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('submitted_at')
