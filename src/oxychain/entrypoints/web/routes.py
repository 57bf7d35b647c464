"""Every page router, in the order the app includes them."""

from oxychain.entrypoints.web import admin_pages, pages, session_pages

ROUTERS = (session_pages.router, pages.router, admin_pages.router)
