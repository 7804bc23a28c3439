"""One budget for every wait of the suite that waits for something to happen (a process
ready to serve, a run finished, a message received): generous, because such a wait returns
as soon as it happens, and a loaded two-core machine can be ten times slower than an idle
one. ``RAIKOO_TEST_WAIT_SECONDS`` overrides it. Waits that check that something does NOT
happen use their own short windows instead."""

from __future__ import annotations

import os

WAIT_SECONDS = float(os.environ.get("RAIKOO_TEST_WAIT_SECONDS", "120"))
