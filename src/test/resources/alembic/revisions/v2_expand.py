"""v2, expand: orders get a client, beside the customer v1 still writes."""
from alembic import op

revision = "v2_expand"
down_revision = "v1_expand"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("alter table orders add column client text")


def downgrade():
    op.execute("alter table orders drop column client")
