"""Running calls at the same moment on separate database connections (PostgreSQL tests)."""

import threading
from collections.abc import Callable

from django.db import connections


def race(*calls: Callable[[], object], timeout: float = 60) -> list[object]:
    """Run each call in its own thread, released together by a barrier. Each result is the
    call's value or the exception it raised, in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck on a lock"
    return results


def raise_any(results: list[object]) -> list[object]:
    """The results, after re-raising the first exception a call raised."""
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results
