"""What ``celery -A _celery_worker worker`` loads: the bench app, set up from the environment."""

import os

from _celery_tasks import make_app

app = make_app(os.environ["BENCH_CELERY_QUEUE"], os.environ["BENCH_CELERY_BACKEND"])
