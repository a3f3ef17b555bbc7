"""Search every text column of every table in the database (SQLite and PostgreSQL) for a value.

The tables and columns come from the database itself, not from the models, so a table that no
model describes (a library's, a many-to-many's) is searched as well.
"""

from django.db import connection

TEXT_TYPES = {"CharField", "TextField", "JSONField", "GenericIPAddressField", "EmailField", "SlugField"}


def text_columns() -> list[tuple[str, str]]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind in TEXT_TYPES:
                    found.append((table, column.name))
    return found


def places_holding(values: list[str]) -> dict[str, list[str]]:
    """For each value, the ``table.column`` places where it still occurs (case-insensitive)."""
    columns = text_columns()
    found: dict[str, list[str]] = {value: [] for value in values}
    with connection.cursor() as cursor:
        for table, column in columns:
            quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            for value in values:
                # Table and column names come from the database's own catalogue, quoted by the backend.
                sql = f"SELECT 1 FROM {quoted_table} WHERE LOWER(CAST({quoted_column} AS TEXT)) LIKE %s LIMIT 1"  # noqa: S608
                cursor.execute(sql, [f"%{value.lower()}%"])
                if cursor.fetchone():
                    found[value].append(f"{table}.{column}")
    return {value: places for value, places in found.items() if places}
