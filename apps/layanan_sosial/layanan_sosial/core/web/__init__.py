"""The web application: REST API, landing page, (later) the desk and portal."""
