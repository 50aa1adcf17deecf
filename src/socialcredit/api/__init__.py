"""The REST API (FastAPI, ``/v1``): a thin interface over the services."""
