"""Content-Security-Policy with a fresh nonce per request (outside debug mode).

Kyso's pages load only their own assets: scripts and style sheets from this server, plus the few inline
`<script>`/`<style>` blocks that carry `nonce="{{ request.csp_nonce }}"`. Event-handler attributes are not
allowed (use a static script); style attributes are (`style-src-attr`), they cannot run code.
"""

from __future__ import annotations

import secrets

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        policy = getattr(settings, "KYSO_CSP", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy.replace("{nonce}", request.csp_nonce)
        return response


def allow_connect(request, response, origin: str):
    """This page's policy, with `origin` added to connect-src: the portal's submit page talks to the signer's
    own signing helper on 127.0.0.1 (`kyso_signer`); no other page may."""
    policy = getattr(settings, "KYSO_CSP", "")
    if policy and origin:
        policy = policy.replace("connect-src 'self'", f"connect-src 'self' {origin}")
        response["Content-Security-Policy"] = policy.replace("{nonce}", request.csp_nonce)
    return response
