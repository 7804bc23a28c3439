from pydantic import Field

from raikoo_common.settings import ServiceSettings


class SecretsProxySettings(ServiceSettings):
    host: str = "127.0.0.1"
    port: int = 8083
    key_vault_url: str | None = Field(
        default=None, description="Default Azure Key Vault (organizations may override)"
    )
