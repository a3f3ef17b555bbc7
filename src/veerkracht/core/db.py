"""The one module that writes SQL by hand (and may use Django's and libraries' private internals).

Everything else goes through the ORM; ``pyproject.toml``'s banned-API rule holds the rest of the
project to that. Each statement here takes its table and columns from the model, so a change to
the model changes the statement with it.
"""

from collections.abc import Sequence

from django.db import connections, models, router

INSERT_BATCH = 500  # rows per INSERT: within SQLite's limit on parameters for every model here


def insert_without_returning(objs: Sequence[models.Model]) -> None:
    """INSERT the instances (all of one model), asking nothing back, in batches.

    ``bulk_create`` asks PostgreSQL for the new ids (INSERT ... RETURNING), and PostgreSQL checks
    a row handed back against the table's read policy (row-level security, ADR 12). A table that
    anyone may append to but each organisation reads only its own of (the audit log) therefore
    needs an insert that returns nothing. The columns are the model's concrete fields but its
    generated key; each value is prepared by its field, as ``save()`` prepares it.
    """
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    fields = [field for field in opts.concrete_fields if field is not opts.auto_field]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), INSERT_BATCH):
            batch = objs[start : start + INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES {', '.join([row] * len(batch))}",  # noqa: S608 - the model's own names, values as parameters
                [
                    field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                    for obj in batch
                    for field in fields
                ],
            )
