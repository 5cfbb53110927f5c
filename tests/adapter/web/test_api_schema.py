"""The API against its own OpenAPI document (schemathesis): for any generated input the answer is
documented (status, content type, schema) and never a 500. A modest example count keeps CI quick."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.adapter.web.conftest import bearer
from tickets.teams import Actor

EXAMPLES = 30


def test_no_generated_request_gets_a_500_or_an_undocumented_answer(web_app, tokens, web_container):
    web_container.service.open(Actor("console:budi"), "IT", "an existing ticket")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web_app)
    headers = bearer(tokens["hr"])  # IT and HR: generated team keys hit both scopes and refusals
    seen: dict[str, set[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text)
            # Schema-valid bodies may still be refused with 422 by the ticket rules (an unknown team or
            # category, a blank title): that is documented behaviour, so that one check is left out.
            case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])
            seen.setdefault(f"{case.method} {operation.path}", set()).add(response.status_code)
        run()
    assert len(seen) == 4, seen
    assert any(2 <= code // 100 <= 2 for codes in seen.values() for code in codes), seen  # some got through
