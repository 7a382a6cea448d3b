"""The job pages: a person's jobs, one job's progress and outcome (in Vietnamese), polled as JSON."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from django.utils.translation import gettext as _

from .models import Job
from .submit import label_of, visible_jobs
from .uploads import file_names


def describe(job: Job) -> dict:
    """What a person reads about a job, also answered as JSON to the page that polls it.

    A file whose rows an import refused was read to its end, but nothing of it was written: it counts as refused,
    not done, and the text says so (the rows and reasons follow on the page)."""
    rows = _rows(job.result)
    file_refused = bool(rows) and not job.result.get("applied")
    refused_rows = len(job.result.get("rejected") or []) if file_refused else 0
    done, failed = job.done - file_refused, len(job.failures) + file_refused
    if file_refused:
        text = _("Nothing was written: %(rows)s rows of the file were refused (see below); correct them and send "
                 "the file again.") % {"rows": refused_rows}
    else:
        text = _("%(done)s done, %(failed)s refused, of %(total)s") % {"done": done, "failed": failed,
                                                                       "total": job.total}
    return {"id": job.id, "kind": job.kind, "label": label_of(job.kind), "state": job.state,
            "state_label": str(job.get_state_display()), "total": job.total, "position": job.position,
            "done": done, "failed": failed, "percent": job.percent, "ended": job.ended,
            "failures": [{"item": _item(job, f.get("item")), "message": f.get("message", "")}
                         for f in job.failures[:200]],
            "error": job.error_message, "rows": rows, "notes": _rows(job.result, "notes"), "text": text}


def _item(job: Job, item):
    """A failed item as a person knows it: the files of an upload, not the digest that names them in the job."""
    if item is not None and job.params.get("files") and item in (job.items or []):
        return ", ".join(file_names(job))
    return item


def _rows(result, which: str = "rejected") -> list[dict]:
    """The rows an import refused, or wrote with a note (its report, kept as the job's result): row, column, code
    and reason."""
    rejected = result.get(which) if isinstance(result, dict) else None
    return [{"row": r.get("row"), "column": r.get("heading") or r.get("column", ""), "code": r.get("code", ""),
             "message": r.get("message", "")} for r in (rejected or [])[:1000] if isinstance(r, dict)]


def _visible(request, pk) -> Job:
    job = visible_jobs(request.user).select_related("unit").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def index(request):
    jobs = visible_jobs(request.user).select_related("unit").order_by("-id")[:100]
    return render(request, "jobs/index.html", {"jobs": [(j, label_of(j.kind)) for j in jobs]})


@login_required
def detail(request, pk: int):
    job = _visible(request, pk)
    return render(request, "jobs/job.html", {"job": job, "info": describe(job)})


@login_required
def status(request, pk: int):
    return JsonResponse(describe(_visible(request, pk)))
