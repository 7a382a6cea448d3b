from .site import any_site, site  # noqa: F401 - real installations for the worker-process tests
