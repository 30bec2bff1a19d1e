"""v2, contract: once v1 is out of traffic, the customer column goes."""
from alembic import op

revision = "v2_contract"
down_revision = "v2_expand"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("alter table orders drop column customer")


def downgrade():
    op.execute("alter table orders add column customer text")
