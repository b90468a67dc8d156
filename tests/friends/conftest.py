"""The API fixtures (tokens, a JSON client, the error and document checks) for these tests."""

from tests.api.conftest import api_as, documented, error_of, make_token  # noqa: F401
