"""A pooled connection the database server has dropped (restart, wait_timeout, KILL) is
replaced when the next transaction opens, instead of failing a user's request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sitekit import _root_engine

from layanan_sosial.core.site import Site


def _connection_id(site: Site) -> int:
    with site.begin() as ctx:
        return int(ctx.conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar())


def test_transaction_survives_a_connection_the_server_dropped(site: Site) -> None:
    if not site.db_url.startswith("mariadb"):
        pytest.skip("SQLite has no server that could drop the connection")
    site.engine.dispose()  # one pooled connection, so the next checkout is the killed one
    dropped = _connection_id(site)
    root = _root_engine()
    with root.connect() as admin:
        admin.exec_driver_sql(f"KILL {dropped}")
    root.dispose()

    with site.begin() as ctx:
        replaced = int(ctx.conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar())
        users = ctx.get_all("User", pluck="name")

    assert replaced != dropped
    assert "Administrator" in users


def test_a_failing_version_read_is_a_database_error_not_a_driver_error(site: Site) -> None:
    """Code above the connection layer catches SQLAlchemy's exceptions only."""
    from layanan_sosial.core.db.fastpath import select_rows

    with site.begin() as ctx, pytest.raises(sa.exc.DBAPIError) as raised:
        select_rows(ctx.conn, "SELECT id FROM __no_such_table WHERE id = ?", (1,))
    assert not raised.value.connection_invalidated
