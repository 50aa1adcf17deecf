"""Record linkage of records without an identity number (splink on DuckDB), with review."""
