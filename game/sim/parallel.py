"""Batches of games in parallel processes, with the same result for any number of them.

Work is cut into fixed tasks (chunks of game indices) before it is handed out, and results
come back in the tasks' order, so the caller sums them in one fixed order: the result (floats
included) is the same with one process or many. Workers get a rules folder, not a ``Rules``
object (it does not pickle), and load it once per process.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

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


#: How long to wait for a Dask scheduler to answer.
CLUSTER_TIMEOUT = "20s"
_CLUSTER: list[str] = []


@contextmanager
def use_cluster(address: str | None) -> Iterator[None]:
    """Within this block, :func:`run_ordered` runs on the Dask cluster at ``address`` unless told
    otherwise (the CLI's ``--cluster`` for commands whose code does not pass it down)."""
    if address is None:
        yield
        return
    _CLUSTER.append(address)
    try:
        yield
    finally:
        _CLUSTER.pop()


def cluster_address() -> str | None:
    """The cluster :func:`run_ordered` uses now by default, or None (local)."""
    return _CLUSTER[-1] if _CLUSTER else None


def cluster_executor(address: str) -> Any:
    """A Dask client connected to the scheduler at ``address`` (``tcp://host:8786``), used
    through its ``concurrent.futures`` executor interface. Needs the optional ``cluster`` extra
    (``pip install 'closed-loop[cluster]'``, which brings ``dask.distributed``); the workers
    need this game installed and the rules folder at the same path."""
    try:
        # Imported by name: the extra is optional, and the type checker runs without it.
        client_class = importlib.import_module("distributed").Client
    except ImportError:
        raise ValueError("--cluster needs Dask's distributed scheduler: install the 'cluster' extra "
                         "(pip install 'closed-loop[cluster]')") from None
    try:
        return client_class(address, timeout=CLUSTER_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask cluster at {address}: {exc}") from None


def run_ordered(fn: Callable[[T], R], tasks: Sequence[T], jobs: int = 1,
                chunksize: int = 1, cluster: str | None = None,
                spawn: bool = False) -> Generator[R, None, None]:
    """``fn`` over ``tasks``, yielding results in the tasks' order, in ``jobs`` processes (1,
    or a single task: in this one), or on a Dask cluster (``cluster``, else the one of
    :func:`use_cluster`). ``fn`` and the tasks must pickle (a module-level function, plain
    data). ``spawn``: start local workers fresh rather than forked (from a GUI process, whose
    other threads may hold locks a forked child would inherit)."""
    address = cluster if cluster is not None else cluster_address()
    if address is not None:
        client = cluster_executor(address)
        try:
            # The executor's map keeps the tasks' order, like a process pool's; pure=False: every
            # task runs (none is taken for another with the same arguments).
            yield from client.get_executor(pure=False).map(fn, tasks)
        finally:
            client.close()
        return
    check_jobs(jobs)
    if jobs == 1 or len(tasks) <= 1:
        for task in tasks:
            yield fn(task)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn") if spawn else None
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        try:
            # map keeps the tasks' order whatever order the workers finish them in.
            yield from pool.map(fn, tasks, chunksize=chunksize)
        except GeneratorExit:
            # The caller stopped early (a cancelled review): drop the tasks not started yet
            # rather than wait for all of them on leaving the block.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
