"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) served from files installed with the
package: the ``fastapi-offline`` package ships Swagger UI 5 (which reads the OpenAPI 3.1
document FastAPI writes) and ReDoc, so the API's documentation works offline and loads
nothing from a CDN. (``swagger-ui-bundle`` ships Swagger UI 4, which cannot read 3.1.)"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute

FILES = Path(fastapi_offline.__file__).parent / "static"
ASSETS = "/docs/assets"
REPLACED = ("/docs", "/docs/oauth2-redirect", "/redoc")


def _path(route: BaseRoute) -> str:
    return str(getattr(route, "path", ""))


def install(app: FastAPI) -> None:
    """Replace FastAPI's CDN-backed ``/docs`` and ``/redoc`` with pages whose scripts and
    styles come from ``/docs/assets``."""
    app.router.routes[:] = [r for r in app.router.routes if _path(r) not in REPLACED]
    app.mount(ASSETS, StaticFiles(directory=FILES), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} · API"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
