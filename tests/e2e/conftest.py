"""Fixtures of the end-to-end tests: a stack of service processes per test.

On a failure, the output of every process the test started is attached to the report.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Generator
from pathlib import Path

import pytest

from tests.e2e._stack import Stack

_STACK = pytest.StashKey[Stack]()


@pytest.fixture
async def stack(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    amqp_url: str,
    make_postgres_database: Callable[[], str],
    azurite_connection_string: str,
) -> AsyncIterator[Stack]:
    """Nothing started yet: set ``stack.settings``, then ``await stack.up()``.

    Artifacts go to Azurite, in a container of this test: the processes share it the way
    services share Azure Blob Storage."""
    prefix = f"e2e-{uuid.uuid4().hex[:12]}"
    stack = Stack(
        root=tmp_path,
        database_url=make_postgres_database(),
        amqp_url=amqp_url,
        prefix=prefix,
        blob_url=f"azure://{prefix}",
        blob_connection_string=azurite_connection_string,
    )
    request.node.stash[_STACK] = stack
    try:
        yield stack
    finally:
        await stack.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    stack = item.stash.get(_STACK, None)
    if report.failed and stack is not None and stack.processes:
        report.sections.append(("service output (last lines)", stack.report(tail=150)))
    return report
