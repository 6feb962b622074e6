"""The web application (FastAPI): REST API routes, the landing page, later desk and portal."""
