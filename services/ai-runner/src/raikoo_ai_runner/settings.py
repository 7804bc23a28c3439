from raikoo_common.settings import ServiceSettings


class AiRunnerSettings(ServiceSettings):
    ai_runner_concurrency: int = 64
    """LLM calls are I/O bound: many may wait at once."""
