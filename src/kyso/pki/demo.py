"""Demo CA: the root and issuing CA, their OCSP responders and the time-stamping unit."""

from .bootstrap import ensure_ca


def load(ctx):
    issuing = ensure_ca()
    ctx["ca"] = issuing
    ctx["lines"].append(f"CA: {issuing.common_name} (gốc: {issuing.parent.common_name})")
