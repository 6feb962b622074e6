"""Frappe-style list queries to one SQL statement: filters (filters.py, operators.py),
fields/order_by/group_by (fields.py), and the public get_list/get_count/get_value
(get_list.py). User text never reaches SQL as text: every name is checked against meta,
every operator against a closed list, every value bound as a parameter.

Permission conditions join every query in `build_select` (get_list.py) — the one place.
"""
