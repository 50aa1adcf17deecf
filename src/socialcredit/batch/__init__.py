"""Batch labelling: rule packs compiled to SQL (sqlglot trees, DuckDB and Spark dialects).

``expressions`` compiles one rule expression, ``plan`` the queries of a rulebook, ``inputs``
lays the facts out as the tables the plan reads, and ``duck`` / ``spark`` run the plan and
turn its rows into the engine's entries and ratings.
"""
