"""The store: SQLAlchemy 2.0 tables on SQLite (default) or PostgreSQL, migrated by Alembic."""
