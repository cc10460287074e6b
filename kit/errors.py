"""The one error type users see: bad input, told in plain language.

A :class:`KitInputError` carries where the problem is (file, row, column) and a catalogue key for
what is wrong, so the same error reads in Finnish, Swedish or English. The command line prints
:meth:`KitInputError.message` and exits with status 1; in a notebook,
:func:`kit.notebook.start` makes the kernel show the same one line instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kit.i18n import t


class KitInputError(ValueError):
    """Bad input: a file, a parameter or a response the kit cannot use.

    ``reason`` is a catalogue key under ``reason.``; ``params`` fill its placeholders. ``row`` is
    the row as a spreadsheet shows it (the header is row 1), ``column`` the column's name as
    written in the file, and ``parameter`` the name of a notebook parameter, option or
    environment variable.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        parameter: str | None = None,
        more: int = 0,
        **params: Any,
    ) -> None:
        self.reason = reason
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.parameter = parameter
        self.more = more
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """The one-line message in ``lang`` (default: the current language)."""
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(t("where.row", lang, row=self.row))
        if self.column is not None:
            where.append(t("where.column", lang, column=self.column))
        if self.parameter is not None:
            where.append(t("where.parameter", lang, parameter=self.parameter))
        text = self.reason_text(lang)
        return (", ".join(where) + ": " + text) if where else text

    def reason_text(self, lang: str | None = None) -> str:
        """What is wrong, without where: what an app tells the person at it, who typed into a
        form rather than a file or a parameter (their names would mean nothing to them)."""
        text = t(f"reason.{self.reason}", lang, **self.params)
        if self.more:
            text += " " + t("where.more", lang, count=self.more)
        return text

    def __str__(self) -> str:
        return self.message()

    def with_file(self, file: str | Path) -> KitInputError:
        """The same error, naming ``file`` (used when a reader did not know the file name)."""
        return KitInputError(
            self.reason,
            file=file,
            row=self.row,
            column=self.column,
            parameter=self.parameter,
            more=self.more,
            **self.params,
        )
