"""Alembic migrations, run in code by ``Database.open`` (no alembic.ini needed)."""
