"""The 2021 agricultural price competition's file: its schema, the validating loader, summaries.

The competition file (``train.csv``) holds one row per calendar day from 2016-01-01: the date,
the weekday in Korean (``금요일``) and, for each of 21 items, the day's wholesale volume in kg
and price in won per kg. Days without trading (Sundays, New Year's Day, Seollal and Chuseok)
are rows of zeros, not missing rows.

The real file cannot be shipped, so ``data/prices_synthetic.csv`` holds a seeded synthetic
file with the same schema (:mod:`helpers.forecasting.synthetic_market`). :func:`load_prices`
reads either; point it at the real file with ``load_prices(path)`` or the ``PRICE_DATA`` environment
variable.

The loader is not tied to the competition's 21 items: any file in the same column pattern
(``date``, optionally ``요일``, then ``<item>_거래량(kg)`` and ``<item>_가격(원/kg)`` for each
of one or more items, any names) is read, its items taken from the header in file order.
:func:`items_of` returns a loaded frame's items; :data:`ITEMS` stays the competition's list.
"""

from __future__ import annotations

import csv
import difflib
import os
import pathlib
import unicodedata

import numpy as np
import pandas as pd

from helpers.experiments import PROJECT_ROOT
from helpers.text_files import cut_off_hint, read_text, shorten

ITEMS = (
    "배추",
    "무",
    "양파",
    "건고추",
    "마늘",
    "대파",
    "얼갈이배추",
    "양배추",
    "깻잎",
    "시금치",
    "미나리",
    "당근",
    "파프리카",
    "새송이",
    "팽이버섯",
    "토마토",
    "청상추",
    "백다다기",
    "애호박",
    "캠벨얼리",
    "샤인마스캇",
)
DATE_COLUMN = "date"
WEEKDAY_COLUMN = "요일"
# Monday first, as pandas numbers weekdays. The real file writes full names ("금요일").
WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")
HORIZONS = (7, 14, 28)  # the competition's 1, 2 and 4 weeks ahead, in calendar days
VOLUME_SUFFIX = "_거래량(kg)"
PRICE_SUFFIX = "_가격(원/kg)"


def volume_column(item: str) -> str:
    """``'배추'`` -> ``'배추_거래량(kg)'``."""
    return f"{item}{VOLUME_SUFFIX}"


def price_column(item: str) -> str:
    """``'배추'`` -> ``'배추_가격(원/kg)'``."""
    return f"{item}{PRICE_SUFFIX}"


def parse_value_column(name: str) -> tuple[str, str] | None:
    """``'배추_거래량(kg)'`` -> ``('배추', 'volume')``, ``'무_가격(원/kg)'`` -> ``('무', 'price')``;
    None for a name that fits neither pattern (or has no item name before the suffix)."""
    for kind, suffix in (("volume", VOLUME_SUFFIX), ("price", PRICE_SUFFIX)):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], kind
    return None


def value_columns(items=None) -> tuple[str, ...]:
    """The volume and price column of each item, in order (the competition's 42 by default).

    ``items`` may also be a price frame: its items (:func:`items_of`) are taken.
    """
    if items is None:
        items = ITEMS
    elif isinstance(items, pd.DataFrame):
        items = items_of(items)
    elif isinstance(items, str):
        items = (items,)
    return tuple(name for item in items for name in (volume_column(item), price_column(item)))


def items_of(prices: pd.DataFrame) -> tuple[str, ...]:
    """The items of a price frame, in file order.

    :func:`load_prices` records them as ``prices.attrs["items"]``; a frame without that
    record, or whose columns no longer match it (a column selection keeps the attrs of the
    whole frame), gets the items read off its columns: every name with both a
    ``<item>_거래량(kg)`` and a ``<item>_가격(원/kg)`` column, in column order.
    """
    names = [str(name) for name in prices.columns]
    present = set(names)
    found = []
    for name in names:
        parsed = parse_value_column(name)
        if parsed is None or parsed[0] in found:
            continue
        item = parsed[0]
        if volume_column(item) in present and price_column(item) in present:
            found.append(item)
    recorded = prices.attrs.get("items")
    if recorded is not None and set(recorded) == set(found) and len(recorded) == len(found):
        return tuple(recorded)
    if not found:
        raise ValueError(
            f"the frame has no item columns (it has {shorten(repr(names))}); expected a pair "
            "<item>_거래량(kg) and <item>_가격(원/kg) for each item, as load_prices returns. "
            "Load the file with price_schema.load_prices(path)."
        )
    return tuple(found)


VALUE_COLUMNS = value_columns(ITEMS)
COLUMNS = (DATE_COLUMN, WEEKDAY_COLUMN, *VALUE_COLUMNS)

SYNTHETIC_PATH = PROJECT_ROOT / "data" / "prices_synthetic.csv"
PRICE_DATA_ENV = "PRICE_DATA"

REAL_FILE_HINT = (
    "The real file is train.csv of the 2021 농산물 가격예측 AI 경진대회 (DACON, data from "
    "KAMIS/농넷 of 한국농수산식품유통공사); download it from the competition page and pass its "
    f"path, or set {PRICE_DATA_ENV}=/path/to/train.csv. Without it, load_prices() with no "
    f"argument reads the synthetic stand-in {SYNTHETIC_PATH.name} shipped in data/."
)

MAX_LISTED = 5  # how many offending rows an error message names before summarising
PRICE_FORMAT = (
    "a CSV of the competition's column pattern (date, optionally 요일, then <item>_거래량(kg) "
    "and <item>_가격(원/kg) for each of one or more items) with one row per day"
)
COLUMN_PATTERN = (
    "date, optionally 요일, then a pair <item>_거래량(kg) and <item>_가격(원/kg) for each of "
    "one or more items with any names (the competition's 21 are "
    "helpers.forecasting.price_schema.ITEMS; see data/README.md)"
)


def _first_lines(line_numbers, values=None) -> str:
    """'line 3 ('x'), line 9 ('y') and 4 more' for error messages."""
    line_numbers = list(line_numbers)
    shown = []
    for position, line in enumerate(line_numbers[:MAX_LISTED]):
        value = f" ({shorten(repr(values[position]))})" if values is not None else ""
        shown.append(f"line {line}{value}")
    more = len(line_numbers) - MAX_LISTED
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def default_price_path() -> pathlib.Path:
    """The file :func:`load_prices` reads by default: ``$PRICE_DATA``, else the synthetic file."""
    return pathlib.Path(os.environ.get(PRICE_DATA_ENV) or SYNTHETIC_PATH)


def _read_rows(text: str, path) -> list[list[str]]:
    """The CSV text as rows of stripped cells, line n of the file being ``rows[n - 1]``.

    Read with the csv module rather than pandas so that each problem gets this file's own
    message with its line number instead of a parser's.
    """
    lines = text.rstrip("\n").split("\n")
    if "," not in lines[0] and ("\t" in lines[0] or ";" in lines[0]):
        separator = "tabs" if "\t" in lines[0] else "semicolons"
        raise ValueError(
            f"{path}: line 1 is separated by {separator}; expected {PRICE_FORMAT}, separated by "
            "commas. Save the file as CSV (comma-separated), e.g. Excel's CSV UTF-8."
        )
    reader = csv.reader(lines)
    try:
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise ValueError(
            f"{path}: line {reader.line_num} cannot be read as CSV ({error}); expected "
            f"{PRICE_FORMAT}. Check that line's quotes and commas in an editor."
        ) from error


def _check_row_lengths(rows: list[list[str]], text: str, path) -> None:
    for line_number, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            line = text.split("\n")[line_number - 1]
            plural = "s" * (len(row) != 1)
            shape = (
                "is blank" if not any(row) else f"has {len(row)} field{plural} ({shorten(line)!r})"
            )
            raise ValueError(
                f"{path}: line {line_number} {shape}; expected {len(rows[0])} comma-separated "
                "fields, one per column of the header on line 1. Complete or delete the line."
                + cut_off_hint(text, line_number)
            )


def _suggestion(name: str, candidates) -> str:
    """``" (did you mean '무_가격(원/kg)'?)"`` for a column that fits no pattern, or ``""``."""
    if not name:
        return " (an empty name: remove the extra comma or name the column)"
    guesses = list(candidates)
    # "사과가격" or "사과 거래량": the pattern's name for what it seems to hold.
    for marker, column in (("거래량", volume_column), ("가격", price_column)):
        if marker in name:
            item = name.split(marker)[0].strip(" _")
            if item:
                guesses.append(column(item))
    close = difflib.get_close_matches(name, guesses, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_columns(columns: list[str], path) -> tuple[str, ...]:
    """The header's items in file order, or ValueError naming every problem and the fix."""
    items, kinds, unexpected = [], {}, []
    for name in columns:
        if name in (DATE_COLUMN, WEEKDAY_COLUMN):
            continue
        parsed = parse_value_column(name)
        if parsed is None:
            unexpected.append(name)
            continue
        item, kind = parsed
        if item not in kinds:
            items.append(item)
            kinds[item] = set()
        kinds[item].add(kind)
    missing = [] if DATE_COLUMN in columns else [DATE_COLUMN]
    unpaired = []
    for item in items:
        for kind, column in (("volume", volume_column(item)), ("price", price_column(item))):
            if kind not in kinds[item]:
                missing.append(column)
                unpaired.append(f"item {item!r} has no {kind} column {column!r}")
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    duplicated_items = [
        item
        for item in items
        if volume_column(item) in duplicated or price_column(item) in duplicated
    ]
    duplicated = [name for name in duplicated if parse_value_column(name) is None]
    if not missing and not unexpected and not duplicated and not duplicated_items and items:
        return tuple(items)
    parts = []
    if missing:
        detail = f" ({', '.join(unpaired)})" if unpaired else ""
        parts.append(f"missing columns {missing}{detail}")
    if unexpected:
        valid = [DATE_COLUMN, WEEKDAY_COLUMN, *value_columns(items)]
        candidates = missing or valid
        hints = [f"{name!r}{_suggestion(name, candidates)}" for name in unexpected]
        parts.append("unexpected columns that fit no pattern " + ", ".join(hints))
    if duplicated_items:
        twice = [name for name in value_columns(duplicated_items) if columns.count(name) > 1]
        shown = ", ".join(repr(item) for item in duplicated_items)
        parts.append(
            f"duplicated item{'s' * (len(duplicated_items) > 1)} {shown} (columns {twice} "
            "appear more than once; keep one pair of columns per item: delete the second copy "
            "or give it another item name)"
        )
    if duplicated:
        parts.append(f"duplicated columns {duplicated}")
    if not items:
        parts.append(
            "no item at all (no pair <item>_거래량(kg), <item>_가격(원/kg)); add at least one"
        )
    raise ValueError(
        f"{path}: the header on line 1 does not fit the price file's columns: "
        + "; ".join(parts)
        + f". Expected {COLUMN_PATTERN}. Rename, add or delete columns to fit that pattern."
    )


def _parse_dates(text_dates: pd.Series, path) -> pd.DatetimeIndex:
    dates = pd.to_datetime(text_dates.str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        rows = np.flatnonzero(bad)
        raise ValueError(
            f"{path}: unparseable dates at {_first_lines(rows + 2, text_dates.iloc[rows].tolist())}"
            "; expected YYYY-MM-DD. Write every date that way, e.g. 2016-01-04."
        )
    dates = pd.DatetimeIndex(dates)
    duplicated = dates.duplicated()
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        shown = _first_lines(rows + 2, dates[rows].strftime("%Y-%m-%d"))
        raise ValueError(f"{path}: duplicated dates at {shown}. Keep exactly one row per day.")
    backwards = np.flatnonzero(np.diff(dates.asi8) < 0)
    if backwards.size:
        raise ValueError(
            f"{path}: dates go backwards at {_first_lines(backwards + 3)}. Sort the file by date."
        )
    calendar = pd.date_range(dates[0], dates[-1], freq="D")
    if len(calendar) != len(dates):
        missing = calendar.difference(dates)
        shown = ", ".join(missing[:MAX_LISTED].strftime("%Y-%m-%d"))
        raise ValueError(
            f"{path}: the calendar has gaps: {len(missing)} days missing ({shown}"
            f"{' ...' if len(missing) > MAX_LISTED else ''}). The competition file has one row "
            "per calendar day; add days without trading as rows of zeros."
        )
    return dates


def _check_weekdays(text_weekdays: pd.Series, dates: pd.DatetimeIndex, path) -> pd.Series:
    expected = np.array(WEEKDAYS)[dates.day_of_week]
    given = text_weekdays.str.strip()
    # Accept the short form ("금") as well as the real file's full names ("금요일").
    full = given.where(given.str.endswith("요일"), given + "요일")
    wrong = np.flatnonzero(full.to_numpy() != expected)
    if wrong.size:
        details = [f"{given.iloc[row]} for {dates[row]:%Y-%m-%d}" for row in wrong]
        raise ValueError(
            f"{path}: the 요일 column disagrees with the date at {_first_lines(wrong + 2, details)}"
            f". It should hold the date's weekday, e.g. {WEEKDAYS[4]} for 2016-01-01."
        )
    return pd.Series(expected, index=dates, name=WEEKDAY_COLUMN)


def _parse_values(table: pd.DataFrame, columns, path) -> pd.DataFrame:
    values = {}
    for name in columns:
        text = table[name].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        empty = (text == "").to_numpy()
        bad = numbers.isna().to_numpy() | ~np.isfinite(numbers.to_numpy(dtype=float, na_value=0))
        if empty.any():
            rows = np.flatnonzero(empty)
            raise ValueError(
                f"{path}: empty cells in column {name!r} at {_first_lines(rows + 2)}. The "
                "competition file has no missing values: write 0 for a day without trading."
            )
        if bad.any():
            rows = np.flatnonzero(bad)
            raise ValueError(
                f"{path}: non-numeric values in column {name!r} at "
                f"{_first_lines(rows + 2, text.iloc[rows].tolist())}. Volumes and prices must "
                "be plain numbers such as 1139099.2 (no units, no thousands separators)."
            )
        negative = (numbers < 0).to_numpy()
        if negative.any():
            rows = np.flatnonzero(negative)
            raise ValueError(
                f"{path}: negative values in column {name!r} at "
                f"{_first_lines(rows + 2, numbers.iloc[rows].tolist())}. Volumes and prices are "
                "zero or positive; fix or remove the sign."
            )
        values[name] = numbers.to_numpy(dtype=np.float64)
    return pd.DataFrame(values)


def load_prices(path=None) -> pd.DataFrame:
    """Read and validate a price file in the competition's column pattern (UTF-8 or CP949).

    Without ``path`` it reads ``$PRICE_DATA`` if that is set, else the synthetic file.
    The items are taken from the header, in file order: any names, one or more, each with a
    ``<item>_거래량(kg)`` and a ``<item>_가격(원/kg)`` column; ``요일`` may be left out.
    Returns a DataFrame indexed by a daily ``DatetimeIndex`` named ``date``, with the 요일
    column (full names, ``월요일``..``일요일``; from the date when the file has none) and each
    item's volume and price columns as float64, in file order (the competition file: its 21
    items, 42 columns). ``attrs["items"]`` records the items (see :func:`items_of`). Rows of
    zeros are kept: they are market holidays (see :func:`closed_days`). Raises
    FileNotFoundError or ValueError naming the problem and the fix.
    """
    path = default_price_path() if path is None else pathlib.Path(path)
    text = read_text(path, PRICE_FORMAT, missing_hint=REAL_FILE_HINT)
    rows = _read_rows(text, path)
    # One spelling of each Hangul name (a file saved on a Mac may decompose the syllables).
    header = [unicodedata.normalize("NFC", name) for name in rows[0]]
    items = _check_columns(header, path)
    _check_row_lengths(rows, text, path)
    table = pd.DataFrame(rows[1:], columns=header, dtype=str)
    if table.empty:
        raise ValueError(
            f"{path} has the right header on line 1 but no rows after it; expected one row per "
            "day from line 2 on. Add the rows, or point to the full file."
        )
    dates = _parse_dates(table[DATE_COLUMN], path)
    if WEEKDAY_COLUMN in table.columns:
        weekdays = _check_weekdays(table[WEEKDAY_COLUMN], dates, path)
    else:
        weekdays = pd.Series(np.array(WEEKDAYS)[dates.day_of_week], index=dates)
        weekdays = weekdays.rename(WEEKDAY_COLUMN)
    values = _parse_values(table, value_columns(items), path)
    values.index = dates
    frame = pd.concat([weekdays, values], axis=1)
    frame.index = pd.DatetimeIndex(dates, freq="D", name=DATE_COLUMN)
    frame.attrs["source"] = str(path)
    frame.attrs["items"] = items
    return frame


def write_prices_csv(prices: pd.DataFrame, path) -> None:
    """Write a frame shaped like :func:`load_prices`' result as a UTF-8 file in the
    competition's column pattern (its own items, in order; 요일 when the frame has it)."""
    weekday = [WEEKDAY_COLUMN] if WEEKDAY_COLUMN in prices.columns else []
    table = prices.loc[:, [*weekday, *value_columns(items_of(prices))]].copy()
    table.insert(0, DATE_COLUMN, prices.index.strftime("%Y-%m-%d"))
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def closed_days(prices: pd.DataFrame) -> pd.Series:
    """True on days when nothing traded (every volume and price is zero): market holidays."""
    columns = list(value_columns(items_of(prices)))
    return (prices.loc[:, columns] == 0).all(axis=1).rename("closed")


def calendar_summary(prices: pd.DataFrame) -> dict:
    """Counts of rows, closed days, closed Sundays and closed non-Sundays (holidays)."""
    closed = closed_days(prices).to_numpy()
    sunday = prices.index.day_of_week.to_numpy() == 6
    return {
        "rows": len(prices),
        "start": f"{prices.index[0]:%Y-%m-%d}",
        "end": f"{prices.index[-1]:%Y-%m-%d}",
        "closed_days": int(closed.sum()),
        "closed_sundays": int((closed & sunday).sum()),
        "closed_holidays": int((closed & ~sunday).sum()),
        "trading_sundays": int((~closed & sunday).sum()),
    }


def item_summary(prices: pd.DataFrame) -> pd.DataFrame:
    """One row per item: first trading day, share of zero days, price stats on trading days."""
    rows = []
    for item in items_of(prices):
        price = prices[price_column(item)]
        traded = price[price > 0]
        rows.append(
            {
                "item": item,
                "first_trade": f"{traded.index[0]:%Y-%m-%d}" if len(traded) else None,
                "zero_share": float((price == 0).mean()),
                "price_median": float(traded.median()),
                "price_min": float(traded.min()),
                "price_max": float(traded.max()),
                "volume_median": float(prices.loc[price > 0, volume_column(item)].median()),
            }
        )
    return pd.DataFrame(rows).set_index("item")
