"""The REST API at /api/v1/ (OpenAPI at /api/v1/docs)."""

from gongjia.accounts.api import AUTH, token_endpoint
from gongjia.accounts.api import router as accounts_router
from gongjia.assistance.api import router as assistance_router
from gongjia.cockpit.api import router as cockpit_router
from gongjia.craftsmen.api import router as craftsmen_router
from gongjia.honours.api import router as honours_router
from gongjia.members.api import foundings as foundings_router
from gongjia.members.api import router as members_router
from gongjia.members.api import transfers as transfers_router
from gongjia.orgs.api import router as orgs_router
from gongjia.platform.api_base import GongjiaAPI, install_error_handlers
from gongjia.rights.api import router as rights_router
from gongjia.services.api import router as services_router
from gongjia.skills.api import router as skills_router
from gongjia.training.api import router as training_router

api = GongjiaAPI(
    title="Gongjia API",
    version="1",
    urls_namespace="api-v1",
    auth=AUTH,
    docs_url="/docs",
    description="工家平台接口。所有列表与统计均限定在调用者的管辖范围内。",
)
install_error_handlers(api)
token_endpoint(api)
api.add_router("/", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members/foundings", foundings_router)
api.add_router("/members/transfers", transfers_router)
api.add_router("/members", members_router)
api.add_router("/rights", rights_router)
api.add_router("/assistance", assistance_router)
api.add_router("/skills", skills_router)
api.add_router("/training", training_router)
api.add_router("/craftsmen", craftsmen_router)
api.add_router("/honours", honours_router)
api.add_router("/services", services_router)
api.add_router("/cockpit", cockpit_router)
