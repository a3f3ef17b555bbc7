"""WSGI entry point for gunicorn (``veerkracht serve`` checks the set-up before starting it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veerkracht.settings")
application = get_wsgi_application()

# The apps' start-up checks, e.g. no demo account with its published password outside demo mode.
from veerkracht.core.startup import startup_checks_run  # noqa: E402

startup_checks_run()

# `veerkracht serve` imports this module once before gunicorn forks its workers (--preload): the
# check's connection must not be shared by them, each opens its own.
from django.db import connections  # noqa: E402

connections.close_all()

# Everything imported so far lives as long as the process. Frozen, the garbage collector does not
# walk it again on every collection of a worker (it can never be garbage), and forked workers keep
# sharing its memory pages instead of copying them.
import gc  # noqa: E402

gc.freeze()
