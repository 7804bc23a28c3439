"""Cron schedules: when a schedule's ticks fall (``cron``), their records (``store``), and
the ticker that fires them exactly once with any number of gateway replicas (``ticker``)."""
