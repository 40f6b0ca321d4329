"""The third-party table a mapping reads: CSV or a workbook's sheet, every cell as text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from service.errors import InvalidInput, Problem
from service.i18n import _
from service.ingest.mapping.spec import Mapping, TableOptions

_EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})


def _unreadable(path: Path, message: str) -> InvalidInput:
    return InvalidInput([Problem(path.name, None, None, message)])


def read_table(path: Path, mapping: Mapping) -> pd.DataFrame:
    """The table in `path` (CSV, or .xlsx with openpyxl installed), every cell as text.

    Column names are stripped of surrounding spaces; no cell is NaN. Raises InvalidInput.
    """
    options = mapping.table
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        table = _read_workbook(path, options)
    else:
        table = _read_csv(path, options)
    return table.rename(columns=lambda c: str(c).strip()).fillna("")


def _read_csv(path: Path, options: TableOptions) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=options.encoding,
            sep=options.delimiter,
            # Blank lines stay rows, so that row numbers remain the spreadsheet's line numbers.
            skip_blank_lines=False,
        )
    except UnicodeDecodeError as exc:
        raise _unreadable(
            path, _("not {encoding} text ({reason})", encoding=options.encoding, reason=exc.reason)
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise _unreadable(path, _("the file is empty")) from exc
    except pd.errors.ParserError as exc:
        raise _unreadable(path, _("not a readable CSV file: {error}", error=exc)) from exc
    except OSError as exc:
        raise _unreadable(path, _("cannot read it: {error}", error=exc.strerror)) from exc


def _read_workbook(path: Path, options: TableOptions) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=options.sheet or 0, dtype=str, keep_default_na=False)
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:  # no such sheet, not a workbook
        raise _unreadable(path, _("cannot read the workbook: {error}", error=exc)) from exc
    except OSError as exc:
        raise _unreadable(path, _("cannot read it: {error}", error=exc.strerror)) from exc
