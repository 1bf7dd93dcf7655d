"""Persistence: SQLModel tables, the database connection and the Alembic migrations.

Nothing here knows about Textual or the command line; the services are the only writers.
"""
