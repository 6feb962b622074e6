"""Frappe-style list queries, each compiled to one SQL statement.

    filters.py    Frappe's filter forms → validated `Filter` records (`parse_filters`)
    operators.py  one operator on one column → SQLAlchemy condition (NULL ≙ empty, as Frappe)
    dates.py      timespan / previous / next / between date ranges
    fields.py     `fields`, `order_by`, `group_by` tokens → `FieldRef`s (closed grammar)
    builder.py    QueryBuilder: names resolved against meta, joins, conditions, decoding
    get_list.py   public API: get_list, get_count, get_value, build_select

User text never reaches SQL as text: every name is checked against meta, every operator
against a closed list, every value is a bound parameter.

Permissions: `QueryBuilder.permission()` is the one place a permission condition enters a
query; get_list.`_where` adds it to the caller's filters for every statement built here
(build_select → get_list/get_value, and get_count). A new read path must go through it.
"""

from .filters import Filter, parse_filters
from .get_list import build_select, get_count, get_list, get_value

__all__ = ["Filter", "build_select", "get_count", "get_list", "get_value", "parse_filters"]
