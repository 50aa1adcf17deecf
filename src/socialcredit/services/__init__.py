"""Services: each orchestrates the core and the adapters for one job, in one transaction."""
