"""Property-based run over the app's own OpenAPI schema, signed in as admin: no 5xx answer.

Runs in-process (ASGI). Each operation gets a handful of generated cases (positive and
negative: wrong types, out-of-range ids, odd strings), enough to catch unvalidated input.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from sijill.web.testing import bearer_client

EXAMPLES = 15


def test_no_server_error(app) -> None:  # type: ignore[no-untyped-def]
    auth = {"Authorization": bearer_client(app, "admin").headers["Authorization"]}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=auth)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query}: {response.status_code}"
                )

        run()
    assert failures == []
