"""The live part's order: pytest-xdist hands each worker two tests in a row to begin with, so the
longest tests must not share a worker's first pair (tests/conftest.py, `handed_out`)."""

from tests.conftest import handed_out


def test_each_of_the_longest_tests_begins_a_worker_beside_one_of_the_shortest():
    tests = [f"t{length:03d}" for length in range(300, 0, -10)]  # longest first, as the limits order them
    order = handed_out(tests, 4)
    assert sorted(order) == sorted(tests)  # every test, once
    pairs = [order[k:k + 2] for k in range(0, 8, 2)]  # each worker's first two
    assert pairs == [["t300", "t010"], ["t290", "t020"], ["t280", "t030"], ["t270", "t040"]]
    assert order[8:] == tests[4:-4]  # then the rest, longest first


def test_too_few_tests_or_one_worker_keep_the_longest_first_order():
    tests = ["a", "b", "c", "d", "e"]
    assert handed_out(tests, 1) == tests
    assert handed_out(tests, 3) == tests  # fewer than two each: xdist hands them out one by one
