"""Plain domain objects and rules: standard library only, no Qt, SQLAlchemy or ReportLab."""
