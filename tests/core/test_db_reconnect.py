"""A pooled connection the database server has dropped (restart, wait_timeout, KILL) is
replaced when the next transaction opens, instead of failing a user's request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sitekit import _root_engine, backends, drop_site, make_site

from layanan_sosial.core.site import Site


def _connection_id(site: Site) -> int:
    with site.begin() as ctx:
        return int(ctx.conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar())


@pytest.fixture
def mariadb_site(sites_root) -> Iterator[Site]:
    created = make_site(sites_root, "mariadb")
    yield created
    drop_site(created)


@pytest.mark.skipif("mariadb" not in backends(), reason="MariaDB not among the test backends")
def test_transaction_survives_a_connection_the_server_dropped(mariadb_site: Site) -> None:
    """(MariaDB only: an SQLite file has no server that could drop the connection.)"""
    site = mariadb_site
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
