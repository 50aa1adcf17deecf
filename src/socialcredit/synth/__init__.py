"""A deterministic synthetic nation: persons, organisations and the feeds of their agencies.

Usage::

    from socialcredit.synth import generate_nation
    summary = generate_nation(Path("feeds"), persons=20_000, orgs=5_000, seed=7)

writes ``samr-registration.csv`` (one registration per organisation), ``court-enforcement.csv``
(enforcement cases, then rows recording how some of them ended) and ``manifest.json`` (the
feeds in the order to ingest them, the seed, the sizes and the counts). The rates, each with
its basis, are in ``socialcredit.synth.rates``.
"""

from socialcredit.synth.nation import NationSummary, feed_list, generate_nation

__all__ = ["NationSummary", "feed_list", "generate_nation"]
