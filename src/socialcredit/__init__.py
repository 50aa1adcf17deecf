"""socialcredit: a reference open implementation of a social credit system."""

__version__ = "0.1.0"
