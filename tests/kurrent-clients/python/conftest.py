"""Fixtures of the Python acceptance tests (run by ../run.sh, which starts eventstored and sets
KURRENT_CONNECTION_STRING and the other variables drivers.py and the tests read)."""
import asyncio

import pytest

from drivers import URI, open_driver


@pytest.fixture(params=["sync", "asyncio"])
def run(request):
    """run(body, uri=None): opens a client of the parametrized kind (KurrentDBClient or
    AsyncKurrentDBClient) on `uri` (default: the run's connection string), awaits body(driver)
    in a fresh event loop, closes the client."""
    if not URI:
        pytest.fail("KURRENT_CONNECTION_STRING is not set: run tests/kurrent-clients/run.sh")

    def runner(body, uri=None):
        async def main():
            driver = await open_driver(request.param, uri or URI)
            try:
                return await body(driver)
            finally:
                await driver.close()

        return asyncio.run(main())

    return runner
