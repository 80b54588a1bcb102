"""The REST API under /api/v1/: every app's router, token or session auth, JSON errors, OpenAPI."""

from __future__ import annotations

from ninja import NinjaAPI

from anjian.core.api_support import BearerTokenAuth, install_error_handlers, session_auth
from anjian.enterprises.api import router as enterprises_router
from anjian.hazards.api import router as hazards_router
from anjian.inspections.api import router as inspections_router
from anjian.inspections.api_enforcement import router as enforcement_router
from anjian.orgs.api import router as orgs_router
from anjian.regions.api import router as regions_router
from anjian.risks.api import router as risks_router
from anjian.stats.api import router as stats_router

api = NinjaAPI(
    title="anjian API",
    version="1",
    description=(
        "安监 anjian REST API. Authenticate with `POST /api/v1/auth/token` and send "
        "`Authorization: Bearer <token>`, or use the browser session. Objects outside your scope answer 404. "
        "POSTs accept an `Idempotency-Key` header."
    ),
    urls_namespace="api",
    auth=[BearerTokenAuth(), session_auth()],
)
install_error_handlers(api)
api.add_router("", orgs_router)
api.add_router("", enterprises_router)
api.add_router("", regions_router)
api.add_router("", hazards_router)
api.add_router("", inspections_router)
api.add_router("", enforcement_router)
api.add_router("", stats_router)
api.add_router("", risks_router)
