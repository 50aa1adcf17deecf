"""Typed answers of the use cases: the API's response models and what ``--json`` prints.

Every model forbids fields it does not declare, so an answer that drifts from its model
fails loudly (a test, or schemathesis checking the API's bodies) instead of silently."""
