"""Read a folder in the interchange format (docs/interchange-format.md) into tables of text."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from service.errors import InvalidInput, Problem
from service.i18n import _
from service.model import Model


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text, empty cells as "", exactly as the spreadsheet shows them."""
    try:
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skipinitialspace=False,
        )
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [Problem(path.name, None, None, _("not UTF-8 text ({reason})", reason=exc.reason))]
        ) from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InvalidInput(
            [Problem(path.name, None, None, _("not a readable CSV file: {error}", error=exc))]
        ) from exc
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def read_folder(folder: Path, model: Model) -> dict[str, pd.DataFrame]:
    """The interchange files present in `folder`, by file name; other CSV files are errors."""
    if not folder.is_dir():
        raise InvalidInput([Problem(str(folder), None, None, _("not a folder"))])
    known = {label.file for label in model.labels.values()} | {model.relationship_file}
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.csv")):
        if path.name not in known:
            if path.name == "xref_truth.csv":  # the seed's cross-reference answers, not records
                continue
            problems.append(Problem(path.name, None, None, _("unknown file (see the format)")))
            continue
        tables[path.name] = read_table(path)
    if problems:
        raise InvalidInput(problems)
    if not tables:
        raise InvalidInput([Problem(str(folder), None, None, _("no interchange CSV file in it"))])
    return tables
