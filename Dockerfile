# syntax=docker/dockerfile:1
#
# One image for every Raikoo service. The argument picks the service:
#
#   docker build -t raikoo .
#   docker run --rm -e RAIKOO_BUS_URL=amqp://… -e RAIKOO_DATABASE_URL=postgresql+asyncpg://… \
#       raikoo scheduler            # or gateway | op-runner | ai-runner | secrets-proxy
#
# Configuration is environment only (RAIKOO_*; docs/deployment.md lists every variable).
# No HEALTHCHECK here on purpose: the orchestrator (Compose, Container Apps) probes
# /healthz and /readyz on the port each service is given.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build

# Pinned to the uv that wrote uv.lock; a newer uv also reads it.
ARG UV_VERSION=0.13.9
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
RUN pip install "uv==${UV_VERSION}"

WORKDIR /src

# Third-party dependencies first, from the lock file and the manifests only: this layer is
# rebuilt when a dependency changes, not on every source edit.
COPY pyproject.toml uv.lock ./
COPY libs/raikoo_common/pyproject.toml libs/raikoo_common/
COPY services/gateway/pyproject.toml services/gateway/
COPY services/scheduler/pyproject.toml services/scheduler/
COPY services/op-runner/pyproject.toml services/op-runner/
COPY services/ai-runner/pyproject.toml services/ai-runner/
COPY services/secrets-proxy/pyproject.toml services/secrets-proxy/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --all-packages --no-editable --no-install-workspace

# Then the workspace itself, installed as wheels (--no-editable), so the runtime stage
# needs the virtual environment and nothing from /src.
COPY README.md ./
COPY src src
COPY libs libs
COPY services services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-default-groups --all-packages --no-editable

# ---------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# The service user. Its data directory (RAIKOO_DATA_DIR) exists in the image and belongs to
# it, so a named volume mounted there starts with that ownership and stays writable.
ARG RAIKOO_UID=10001
RUN groupadd --system --gid "${RAIKOO_UID}" raikoo \
    && useradd --system --uid "${RAIKOO_UID}" --gid raikoo --create-home \
        --home-dir /home/raikoo --shell /usr/sbin/nologin raikoo \
    && install -d -o raikoo -g raikoo -m 0700 /home/raikoo/.raikoo

# Owned by root and read-only to the service user: the code cannot be changed at run time.
COPY --from=build /app/.venv /app/.venv

# A container is reached from outside its own loopback, so the API and health servers
# listen on every interface here (the code's defaults, 127.0.0.1, suit a laptop).
# Logs are JSON lines for the platform's log collector.
ENV PATH=/app/.venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RAIKOO_HOST=0.0.0.0 \
    RAIKOO_HEALTH_HOST=0.0.0.0 \
    RAIKOO_LOG_FORMAT=json \
    RAIKOO_DATA_DIR=/home/raikoo/.raikoo

WORKDIR /home/raikoo
# Numeric, so platforms that enforce runAsNonRoot can check it without /etc/passwd.
USER ${RAIKOO_UID}:${RAIKOO_UID}

# gateway 8000, ai-runner health 8082 (its default), secrets-proxy 8083. Scheduler and
# op-runner serve health only when RAIKOO_HEALTH_PORT is set.
EXPOSE 8000 8082 8083

ENTRYPOINT ["raikoo", "service"]
CMD ["--help"]
