"""Sites: one database + files + `sites/<name>/site_config.json`.

A `Site` object is per process and long-lived: it owns the SQLAlchemy engine and the
meta cache. Request state never lives here; it lives in a `Context` (context.py).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .db.engine import create_site_engine
from .exceptions import SiteError

if TYPE_CHECKING:
    from .context import Context
    from .meta.cache import MetaCache

CURRENT_SITE_FILE = "currentsite.txt"
COMMON_CONFIG_FILE = "common_site_config.json"


def bench_root() -> Path:
    """The checkout root (the folder holding apps/, sites/, config/)."""
    return Path(__file__).resolve().parents[4]


_resolved_dirs: dict[tuple[str | None, str], Path] = {}


def sites_dir() -> Path:
    """Where sites live: $LAYANAN_SITES_DIR, else ./sites, else the checkout's sites/.

    Memoised per ($LAYANAN_SITES_DIR, cwd): resolving paths on every request showed up as
    several percent of a small API call."""
    env = os.environ.get("LAYANAN_SITES_DIR")
    key = (env, os.getcwd())
    found = _resolved_dirs.get(key)
    if found is None:
        if env:
            found = Path(env).resolve()
        elif (Path.cwd() / "sites").is_dir():
            found = (Path.cwd() / "sites").resolve()
        else:
            found = bench_root() / "sites"
        _resolved_dirs[key] = found
    return found


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except json.JSONDecodeError as exc:
        raise SiteError(f"{path}: invalid JSON ({exc})") from exc


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def common_config(root: Path | None = None) -> dict[str, Any]:
    return read_json((root or sites_dir()) / COMMON_CONFIG_FILE)


def default_site_name(root: Path | None = None) -> str | None:
    path = (root or sites_dir()) / CURRENT_SITE_FILE
    if path.exists():
        name = path.read_text(encoding="utf-8").strip()
        return name or None
    return None


def list_sites(root: Path | None = None) -> list[str]:
    root = root or sites_dir()
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob("*/site_config.json"))


class Site:
    """A site's configuration, engine and meta cache."""

    def __init__(self, name: str, root: Path | None = None):
        self.name = name
        self.root = root or sites_dir()
        self.path = self.root / name
        config_path = self.path / "site_config.json"
        if not config_path.exists():
            known = ", ".join(list_sites(self.root)) or "none"
            raise SiteError(
                f"site {name!r} does not exist in {self.root}",
                hint=f"create it with `layanan new-site {name}` (existing sites: {known})",
            )
        self.config: dict[str, Any] = {**common_config(self.root), **read_json(config_path)}
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()
        self._meta_cache: MetaCache | None = None

    def __repr__(self) -> str:
        return f"<Site {self.name}>"

    @property
    def db_url(self) -> str:
        url = self.config.get("db_url")
        if not url:
            raise SiteError(f"site {self.name}: site_config.json has no db_url")
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            # relative SQLite paths are relative to the site folder
            return "sqlite:///" + str(self.path / url[len("sqlite:///") :])
        return url

    @property
    def apps(self) -> tuple[str, ...]:
        """Installed apps (Python packages) of this site, in load order."""
        return tuple(self.config.get("apps") or ("layanan_sosial",))

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = create_site_engine(
                        self.db_url, pool_size=int(self.config.get("db_pool_size", 10))
                    )
        return self._engine

    @property
    def is_mariadb(self) -> bool:
        return self.engine.dialect.name in ("mysql", "mariadb")

    @property
    def meta_cache(self) -> MetaCache:
        if self._meta_cache is None:
            from .meta.cache import MetaCache

            with self._lock:
                if self._meta_cache is None:
                    self._meta_cache = MetaCache(self)
        return self._meta_cache

    @property
    def files_path(self) -> Path:
        return self.path / "public" / "files"

    @property
    def private_files_path(self) -> Path:
        return self.path / "private" / "files"

    @property
    def jobs_mode(self) -> str:
        """'inprocess' (embedded default) or 'celery' (Redis queue + worker)."""
        return self.config.get("jobs_mode") or (
            "celery" if self.config.get("redis_queue") else "inprocess"
        )

    @contextmanager
    def begin(
        self, user: str = "Administrator", *, write: bool = True, **flags: Any
    ) -> Iterator[Context]:
        """One transaction as `user`: commit on success, roll back on any error.

        Work queued with `ctx.after_commit` runs only after a successful commit.
        """
        from .context import Context

        ctx = Context.open(self, user=user, write=write, flags=flags)
        try:
            yield ctx
        except BaseException:
            ctx.close()  # rolls back
            ctx.run_after_rollback()
            raise
        try:
            ctx.commit(reopen=False)
        finally:
            ctx.close()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class SiteRegistry:
    """Process-wide cache of open Site objects, so engines and meta caches are shared."""

    def __init__(self) -> None:
        self._sites: dict[tuple[str, str], Site] = {}
        self._lock = threading.Lock()

    def get(self, name: str, root: Path | None = None) -> Site:
        root = sites_dir() if root is None else root.resolve()
        key = (str(root), name)
        site = self._sites.get(key)
        if site is None:
            with self._lock:
                site = self._sites.get(key)
                if site is None:
                    site = Site(name, root)
                    self._sites[key] = site
        return site

    def forget(self, name: str, root: Path | None = None) -> None:
        root = (root or sites_dir()).resolve()
        site = self._sites.pop((str(root), name), None)
        if site is not None:
            site.dispose()


sites = SiteRegistry()


def get_site(name: str | None = None, root: Path | None = None) -> Site:
    """Open a site by name, or the default site (`sites/currentsite.txt`)."""
    name = name or os.environ.get("LAYANAN_SITE") or default_site_name(root)
    if not name:
        raise SiteError(
            "no site given and no default site set",
            hint="pass --site NAME or run `layanan use NAME`",
        )
    return sites.get(name, root)
