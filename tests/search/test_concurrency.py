"""Several processes write at once; no update is lost and nobody sees a lock error."""

import multiprocessing

from fixtures.writers import EACH, write
from nanum.practices.browse import Filters
from nanum.search import service

WRITERS = 4


def test_concurrent_writers_lose_nothing(app, config, tmp_path):
    config = {**config, "SEARCH_WRITER_TIMEOUT": 0.2}
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS)
    errors = context.Queue()
    processes = [context.Process(target=write, args=(config, str(tmp_path / "instance"),
                                                     worker, barrier, errors))
                 for worker in range(WRITERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=240)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [process.exitcode for process in processes] == [0] * WRITERS

    service.sync()
    assert service.check() == ([], [])
    results = service.search("concurrent", Filters(), per_page=100)
    assert results.total == WRITERS * EACH
    edited = service.search("edited", Filters(), per_page=100)
    assert edited.total == WRITERS * len(range(0, EACH, 3))
