"""What is wrong with a content pack, said so that a clinician can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack file.

    Attributes:
        file: the file (or other origin) the pack came from.
        place: where in the file, as a path of sections and topics, or a line.
        problem: what is wrong, in plain English.
    """

    file: str
    place: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.place}: {self.problem}"


class PackError(Exception):
    """A pack could not be loaded; every problem found is listed, not only the first.

    Attributes:
        problems: each thing wrong, in the order found.
    """

    def __init__(self, problems: list[PackProblem]) -> None:
        self.problems: list[PackProblem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
