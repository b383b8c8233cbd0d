"""Schemathesis over the whole API, short and deterministic: no server error and no answer that
breaks its own documented contract, on whichever database the suite runs. `make fuzz` runs the
long version against a live server."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import sign_in
from gongjia.assistance.models import Household
from gongjia.members.models import Member
from gongjia.platform.testing import factories
from gongjia.rights.models import DisputeCase, Negotiation, Station
from gongjia.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(tree, make_user, client):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    make_user("district_admin", tree.district, username="fuzzer")
    made = factories()
    for model in (Member, DisputeCase, Negotiation, Household, Station):
        made[model](tree, tree.town_a)  # rows for the reads and the changes to find
    raw = sign_in(client, "fuzzer")
    # Requests go straight to the WSGI application, inside the test's transaction: the
    # connection must not be closed at each request's start and end (Django's test client
    # does the same around each of its requests).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield raw
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
