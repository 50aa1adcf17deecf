"""The pure core: identifiers, catalog, records, the rule language, packs and the engine.

Nothing in this package imports a database, web or command-line library.
"""
