"""The bulk fetch pool: bounds in all and per host, errors kept per item, stop."""

from __future__ import annotations

import threading
import time

from reader.fetch_pool import host_of, run_each


def _tracked(per_item: float = 0.02):
    lock = threading.Lock()
    now: dict[str, int] = {}
    peak: dict[str, int] = {}
    total = [0, 0]

    def work(url: str) -> str:
        host = host_of(url)
        with lock:
            now[host] = now.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), now[host])
            total[0] += 1
            total[1] = max(total[1], total[0])
        time.sleep(per_item)
        with lock:
            now[host] -= 1
            total[0] -= 1
        if url.endswith("/bad"):
            raise ValueError(url)
        return url.upper()

    return work, peak, total


def test_bounds_in_all_and_per_host() -> None:
    urls = [f"http://h{h}.test/{i}" for h in range(5) for i in range(6)]
    work, peak, total = _tracked()
    outcomes = list(run_each(urls, work, host_of, workers=4, per_host=2))
    assert sorted(o.item for o in outcomes) == sorted(urls)
    assert all(o.value == o.item.upper() and o.error is None for o in outcomes)
    assert max(peak.values()) == 2
    assert total[1] == 4


def test_an_error_is_that_items_alone() -> None:
    urls = ["http://a.test/1", "http://a.test/bad", "http://b.test/2"]
    work, _, _ = _tracked(0)
    outcomes = {o.item: o for o in run_each(urls, work, host_of)}
    assert isinstance(outcomes["http://a.test/bad"].error, ValueError)
    assert outcomes["http://b.test/2"].value == "HTTP://B.TEST/2"


def test_stop_starts_nothing_more() -> None:
    urls = [f"http://a.test/{i}" for i in range(50)]
    work, _, _ = _tracked(0.01)
    stop = threading.Event()
    seen = []
    for outcome in run_each(urls, work, host_of, workers=2, per_host=2, stop=stop):
        seen.append(outcome.item)
        if len(seen) == 3:
            stop.set()
    assert 3 <= len(seen) <= 4


def test_host_of_odd_urls() -> None:
    assert host_of("https://Example.ORG/x") == "example.org"
    assert host_of("not a url") == ""
    assert host_of("http://[::1") == ""
