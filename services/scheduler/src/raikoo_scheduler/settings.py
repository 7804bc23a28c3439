from raikoo_common.settings import ServiceSettings


class SchedulerSettings(ServiceSettings):
    scheduler_concurrency: int = 64
    """Results handled at once (across runs; one run's results are applied in order)."""
    scheduler_tick_seconds: float = 0.2
    """How often due retries, expired leases and run deadlines are looked for."""
    scheduler_lease_seconds: float = 300.0
    """How long a dispatched operation without a timeout may go unheard (heartbeats extend)."""
    scheduler_lease_grace_seconds: float = 30.0
    scheduler_events_linger_seconds: float = 0.01
    """How long run events wait for more before they are broadcast: live listeners see them
    that much later, and a busy run's steps share a broadcast instead of one each."""
