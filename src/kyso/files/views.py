from django.http import Http404, HttpResponse

from kyso.core.errors import KysoError

from .storage import read


def file_response(stored, *, inline: bool = False) -> HttpResponse:
    """Serve an archived file after its hash check (callers check scope first)."""
    try:
        data = read(stored)
    except KysoError as exc:
        if exc.http_status == 404:
            raise Http404 from exc
        raise
    response = HttpResponse(data, content_type=stored.media_type)
    disposition = "inline" if inline else "attachment"
    from urllib.parse import quote

    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(stored.name)}"
    response["X-Content-SHA256"] = stored.sha256
    return response
