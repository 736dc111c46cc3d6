"""FastAPI service: HTTP in, domain calls, HTTP out."""
