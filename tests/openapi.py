"""The API's own OpenAPI schema as a test oracle: does an answer match what it declares?"""

import functools
import json

import requests
import schemathesis


@functools.cache
def document() -> dict:
    """The /api/v1 schema as clients download it (generated once per test run)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@functools.cache
def _schema():
    return schemathesis.openapi.from_dict(document())


def assert_conforms(response) -> None:
    """response (a Django or DRF test client's) has a status code, media type and body
    that the schema declares for its operation; schemathesis raises otherwise."""
    request = response.wsgi_request
    operation = _schema().find_operation_by_path(request.method, request.path)
    assert operation is not None, f"{request.method} {request.path} is not in the schema"
    assert operation.responses.find_by_status_code(response.status_code) is not None, (
        f"{request.method} {request.path} does not declare {response.status_code}"
    )
    prepared = requests.Request(
        request.method, "http://testserver" + request.get_full_path()
    ).prepare()
    answer = schemathesis.Response(
        status_code=response.status_code,
        headers={key: [value] for key, value in response.headers.items()},
        content=response.content,
        request=prepared,
        elapsed=0.0,
        verify=False,
    )
    operation.validate_response(answer)
