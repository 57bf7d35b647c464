"""Server-rendered pages (Jinja2 + vendored htmx), in Hindi and English."""
