"""Storage: SQLAlchemy 2 tables, the engine, repositories and Alembic migrations."""
