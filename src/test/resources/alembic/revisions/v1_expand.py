"""v1, expand: the orders table."""
from alembic import op

revision = "v1_expand"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("create table orders (id serial primary key, customer text)")


def downgrade():
    op.execute("drop table orders")
