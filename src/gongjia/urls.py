from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from gongjia.api import api
from gongjia.platform import attachments, jobs
from gongjia.platform.views import healthz

# A request refused before any view: the platform's page, or JSON for the API.
handler400 = "gongjia.platform.views.bad_request"

urlpatterns = [
    path("", RedirectView.as_view(url="/portal/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    # Browsers ask every site for /favicon.ico; the platform's mark answers instead of a 404.
    path("favicon.ico", RedirectView.as_view(url=static("platform/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("portal/", include("gongjia.portal.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("attachments/<int:pk>/", attachments.download, name="attachment-download"),
    path("jobs/<uuid:job_id>/result/", jobs.result_download, name="job-result"),
]
