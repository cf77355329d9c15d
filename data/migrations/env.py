"""Alembic environment: migrations run on the connection the store hands over.

The store (data/store.py) calls Alembic with `config.attributes["connection"]`
already inside a transaction and holding the schema lock; there is no
alembic.ini and no URL here.
"""
from alembic import context

from data.schema_sql import metadata

connection = context.config.attributes["connection"]
# SQLite cannot ALTER most things in place: batch mode copies the table.
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
