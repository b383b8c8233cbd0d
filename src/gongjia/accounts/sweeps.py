"""Periodic clean-up of security data that must not outlive its use (GB/T 22239 8.1.4.10)."""

import datetime as dt

from django.utils import timezone

from gongjia.accounts.models import ApiToken, LoginFailure
from gongjia.platform import parameters
from gongjia.platform.worker import sweep


@sweep("accounts.expired_security_rows", every_seconds=600)
def purge_expired():
    window = dt.timedelta(minutes=parameters.value("security.lockout_minutes"))
    LoginFailure.objects.filter(at__lt=timezone.now() - window).delete()
    ApiToken.objects.filter(expires_at__lt=timezone.now()).delete()
