from tests.oidc_provider import municipal_sign_in, oidc_provider  # noqa: F401 – the fixtures
