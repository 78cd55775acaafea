"""The service runner: calls run off the GUI thread, one at a time, answers come back in order."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from consult_aid.ui.service_runner import ServiceRunner


@pytest.fixture
def runner(qtbot: Any) -> Iterator[ServiceRunner]:
    made = ServiceRunner()
    yield made
    made.drain(5000)
    made.stop()


def test_results_arrive_on_the_gui_thread_in_the_order_asked(
    runner: ServiceRunner, qtbot: Any
) -> None:
    ran_on: list[threading.Thread] = []
    delivered: list[tuple[int, threading.Thread]] = []

    def work(n: int) -> int:
        ran_on.append(threading.current_thread())
        return n

    def arrived(result: int) -> None:
        delivered.append((result, threading.current_thread()))

    for n in range(50):
        runner.submit(partial(work, n), on_done=arrived)
    qtbot.waitUntil(lambda: len(delivered) == 50, timeout=5000)
    assert [r for r, _ in delivered] == list(range(50))
    assert {t for _, t in delivered} == {threading.main_thread()}
    assert len(set(ran_on)) == 1
    assert ran_on[0] is not threading.main_thread()
    assert runner.pending == 0


def test_errors_go_to_their_handler_or_the_failed_signal(runner: ServiceRunner, qtbot: Any) -> None:
    caught: list[BaseException] = []

    def boom() -> None:
        raise ValueError("refused")

    runner.submit(boom, on_error=caught.append)
    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.submit(boom)
    assert isinstance(caught[0], ValueError)
    assert str(blocker.args[0]) == "refused"


def test_drain_waits_for_every_call_and_delivers_it(runner: ServiceRunner) -> None:
    release = threading.Event()
    delivered: list[int] = []
    runner.submit(release.wait, on_done=lambda _r: delivered.append(1))
    assert runner.drain(50) is False
    release.set()
    assert runner.drain(5000) is True
    assert delivered == [1]


def test_busy_is_reported_while_calls_are_in_flight(runner: ServiceRunner, qtbot: Any) -> None:
    seen: list[bool] = []
    runner.busy_changed.connect(seen.append)
    runner.submit(lambda: None)
    runner.submit(lambda: None)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert seen == [True, False]
