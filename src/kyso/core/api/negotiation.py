"""The API answers in its own media type whatever the client says it accepts: a browser sends
`Accept: text/html`, and a 406 in place of the answer (or the error) helps nobody."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class FirstRendererWhenNoneFits(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type
