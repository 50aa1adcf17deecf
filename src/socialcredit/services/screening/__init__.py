"""Bulk screening of counterparties against the lists."""
