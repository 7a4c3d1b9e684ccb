"""Fast, seeded random choices for the generator."""

import random
from bisect import bisect_right
from collections.abc import Container, Iterable
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


class Choice:
    """A weighted choice over fixed items, with the cumulative weights computed once."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weighted):
        pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


class FastRandom(random.Random):
    """random.Random with cheaper choice() and randint(): one random() call each.

    Still fully determined by the seed; the tiny bias of scaling a float does not matter here.
    """

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def weighted_sample(
    rng: random.Random, weighted: Iterable[tuple[T, float]], k: int, exclude: Container[T] = ()
) -> list[T]:
    """Up to k distinct items, drawn by weight without replacement."""
    pool = [(item, weight) for item, weight in weighted if item not in exclude]
    chosen: list[T] = []
    while pool and len(chosen) < k:
        point = rng.random() * sum(weight for _, weight in pool)
        for index, (item, weight) in enumerate(pool):
            point -= weight
            if point < 0 or index == len(pool) - 1:
                chosen.append(item)
                break
        pool = [(i, w) for i, w in pool if i != chosen[-1]]  # pools may list an item twice
    return chosen
