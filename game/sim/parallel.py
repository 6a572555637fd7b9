"""Batches of games in parallel processes, with the same result for any number of them.

Work is cut into fixed tasks (chunks of game indices) before it is handed out, and results
come back in the tasks' order, so the caller sums them in one fixed order: the result (floats
included) is the same with one process or many. Workers get a rules folder, not a ``Rules``
object (it does not pickle), and load it once per process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from game.engine import Rules, load_rules

T = TypeVar("T")
R = TypeVar("R")

_RULES: dict[str, Rules] = {}


def default_jobs() -> int:
    """Processes to use when the user does not say: one per CPU."""
    return os.cpu_count() or 1


def rules_for(rules_dir: str | Path, fingerprint: str | None = None) -> Rules:
    """The rules of a folder, loaded once per process. With ``fingerprint``, checks the folder
    still holds the rules the parent process had (a worker must not play other rules)."""
    key = str(rules_dir)
    rules = _RULES.get(key)
    if rules is None:
        rules = _RULES[key] = load_rules(key)
    if fingerprint is not None and rules.fingerprint != fingerprint:
        raise ValueError(f"{key}: the rules folder changed while games were being played "
                         f"(fingerprint {rules.fingerprint}, expected {fingerprint})")
    return rules


def chunks(first: int, stop: int, size: int) -> list[range]:
    """``range(first, stop)`` cut into consecutive ranges of at most ``size``."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    return [range(a, min(a + size, stop)) for a in range(first, stop, size)]


def check_jobs(jobs: int) -> int:
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"--jobs must be a whole number of processes, at least 1 (got {jobs!r})")
    return jobs


_CLUSTER: list[str] = []


@contextmanager
def use_cluster(address: str | None) -> Iterator[None]:
    """Within this block, :func:`run_ordered` hands its tasks to the Dask cluster at ``address``
    (``tcp://host:8786``) through Dask's executor interface instead of local processes; the
    results come back in the same order, so they are the same as a local run's. The workers
    need this package installed and the rules folder at the same path."""
    if address is None:
        yield
        return
    _CLUSTER.append(address)
    try:
        yield
    finally:
        _CLUSTER.pop()


def cluster_address() -> str | None:
    """The cluster :func:`run_ordered` uses now, or None (local)."""
    return _CLUSTER[-1] if _CLUSTER else None


def _on_cluster(address: str, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
    try:
        from distributed import Client
    except ImportError:
        raise ValueError("--cluster needs Dask: pip install 'closed-loop[cluster]' "
                         "(dask and distributed)") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask cluster at {address}: {exc}") from None
    with client:
        # Executor.map keeps the tasks' order, whichever worker finishes first.
        yield from client.get_executor().map(fn, tasks)


def run_ordered(fn: Callable[[T], R], tasks: Sequence[T], jobs: int = 1,
                chunksize: int = 1, spawn: bool = False) -> Iterator[R]:
    """``fn`` over ``tasks``, yielding results in the tasks' order, in ``jobs`` processes (1,
    or a single task: in this one). ``fn`` and the tasks must pickle (a module-level function,
    plain data). ``spawn``: start the workers fresh rather than forked (from a GUI process,
    whose other threads may hold locks a forked child would inherit)."""
    check_jobs(jobs)
    if cluster_address() is not None:
        yield from _on_cluster(cluster_address() or "", fn, tasks)
        return
    if jobs == 1 or len(tasks) <= 1:
        for task in tasks:
            yield fn(task)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn") if spawn else None
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        # map keeps the tasks' order whatever order the workers finish them in.
        yield from pool.map(fn, tasks, chunksize=chunksize)
