"""What every exercise check shares: a result shown green or red, and calling attendee code.

An exercise notebook ends with a cell such as ``checks.correction_factor(my_factor)``. The check
(in the workshop's ``checks.py``) runs the attendee's function on cases it knows the answer to,
shows one green or red line in the notebook and returns a :class:`Result`, which is true or
false. Its message names the first case that went wrong and gives a hint, so the attendee can
fix one thing at a time. The solutions are kept apart in ``exercises/solutions/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Result:
    """The outcome of a check: passed or not, and the message shown."""

    passed: bool
    message: str

    def _repr_html_(self) -> str:
        from kit import templates

        return templates.render("check_result.html.j2", passed=self.passed, message=self.message)

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return ("✔ " if self.passed else "✘ ") + self.message


def call(fn: Callable, *args: object) -> tuple[Any, str | None]:
    """Call the attendee's function; an exception becomes feedback, not a traceback."""
    try:
        return fn(*args), None
    except Exception as exc:  # noqa: BLE001 - any mistake in exercise code is feedback
        return None, f"{type(exc).__name__}: {exc}"
