"""Alembic's environment: run migrations on the connection ``Database.open`` hands over.

The caller owns the connection and its transaction, so on SQLite (with the
BEGIN issued by ``consult_aid.storage.database``) a failed migration leaves the
file as it was.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from consult_aid.storage.models import Base


def run_migrations(connection: Connection) -> None:
    """Upgrade or downgrade on the given connection, inside its transaction."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        transactional_ddl=True,
        # SQLite alters tables by copying them; batch mode does that for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("Consult Aid runs its migrations online, through Database.open.")
_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("Run migrations through consult_aid.storage.database.Database.open.")
run_migrations(_connection)
