"""Alembic's environment: the database comes from libpq's variables (PGHOST, PGPORT, PGDATABASE, PGUSER,
PGPASSWORD, PGOPTIONS), which Switchman sets, so nothing here names a host or a password."""
import logging.config

from alembic import context
from sqlalchemy import create_engine

if context.config.config_file_name:
    logging.config.fileConfig(context.config.config_file_name)

if context.is_offline_mode():
    context.configure(dialect_name="postgresql", literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine("postgresql+psycopg2://").connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
