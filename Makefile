# Tasks. `make help` lists them.
.PHONY: help up quickstart console test test-fast lint format bench

help:
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-12s %s\n", $$1, $$2}'

up: ## Run Raikoo embedded (API on 127.0.0.1:8000)
	uv run raikoo up

quickstart: ## Run the bundled example workflow end to end
	uv run raikoo run examples/quickstart.yaml --input name=Ada --watch

test: ## The whole suite (needs PostgreSQL and RabbitMQ, see README)
	uv run pytest

test-fast: ## Unit tests only
	uv run pytest tests/unit -q

console: ## Build the web console (web/out), which `raikoo up` then serves at /
	npm --prefix web ci --no-audit --no-fund && npm --prefix web run build

lint: ## ruff + mypy --strict
	uv run ruff format --check .
	uv run ruff check .
	uv run mypy libs services src tests bench
	uv run lint-imports

format: ## Format and autofix
	uv run ruff format .
	uv run ruff check --fix .

bench: ## Benchmarks (embedded and distributed, with Celery as the reference)
	uv run python bench/run_all.py
