"""WSGI entry point for gunicorn (``anjian serve``).

Each worker imports the whole project once (the URLconf and the API included, which Django would otherwise load on
the first request), then freezes what it loaded out of the cyclic garbage collector: the ~140 k objects of Django,
the models and the API schemas live as long as the worker, yet a full collection walks them all. On P a full
collection fell in every other province dashboard request and took ~100 ms of it; frozen, ~10 ms.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")


def settle() -> None:
    """Load what the first request would load, then freeze everything alive out of the collector."""
    get_resolver().url_patterns  # noqa: B018  (loads the URLconf, the views and the API now)
    gc.collect()
    gc.freeze()


application = get_wsgi_application()
settle()
