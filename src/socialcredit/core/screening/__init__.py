"""Screening counterparties against the lists: name normalisation, region agreement and the
matcher (pure: the candidates come from the caller)."""
