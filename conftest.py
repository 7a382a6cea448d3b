"""Shared test fixtures live in kyso.core.testing (a pytest plugin)."""

pytest_plugins = ["kyso.core.testing", "kyso.pki.testing", "kyso.core.browser"]
