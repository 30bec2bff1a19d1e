"""v3, expand: orders get a note."""
from alembic import op

revision = "v3_expand"
down_revision = "v2_contract"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("alter table orders add column note text")


def downgrade():
    op.execute("alter table orders drop column note")
