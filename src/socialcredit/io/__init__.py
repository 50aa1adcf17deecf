"""Readers of agency files: CSV, JSON Lines and Parquet."""
