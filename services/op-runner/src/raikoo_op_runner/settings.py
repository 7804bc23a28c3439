from raikoo_common.settings import ServiceSettings


class OpRunnerSettings(ServiceSettings):
    op_runner_concurrency: int = 32
