"""Backing up and restoring a deployment: the database (pg_dump's custom format) and every file
of the two media storages (local folders or an S3 bucket), with a manifest of their hashes.

A backup is a folder: database.dump, media/<storage>/<name>, manifest.json. The commands
`newsroom_backup` and `newsroom_restore` call these functions.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages

from media_credits.models.images import ORIGINALS, RENDITIONS

MEDIA_STORAGES = (ORIGINALS, RENDITIONS)


class BackupError(RuntimeError):
    pass


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage (public Storage.listdir, so local and S3 alike)."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups need PostgreSQL (pg_dump); this database is " + db["ENGINE"])
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(*, output: Path) -> dict:
    """Dump the database and copy every media file into `output` (which must not exist)."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=False)
    args, env = _pg_env()
    dump = output / "database.dump"
    name = settings.DATABASES["default"]["NAME"]
    subprocess.run(
        ["pg_dump", *args, "--format", "custom", "--no-owner", "--file", str(dump), name],
        env=env,
        check=True,
    )
    manifest: dict = {"database": {"file": dump.name, "sha256": _sha256(dump)}, "media": {}}
    for alias in MEDIA_STORAGES:
        storage = storages[alias]
        files: dict[str, str] = {}
        for name in walk(storage):
            target = output / "media" / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
            files[name] = _sha256(target)
        manifest["media"][alias] = files
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(*, source: Path) -> dict:
    """Restore a backup into the configured (empty) database and storages; checks every hash."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    dump = source / manifest["database"]["file"]
    if _sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump} does not match its manifest")
    for alias, files in manifest["media"].items():
        for name, digest in files.items():
            if _sha256(source / "media" / alias / name) != digest:
                raise BackupError(f"media/{alias}/{name} does not match its manifest")
    args, env = _pg_env()
    subprocess.run(
        [
            "pg_restore",
            *args,
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            settings.DATABASES["default"]["NAME"],
            str(dump),
        ],
        env=env,
        check=True,
    )
    for alias, files in manifest["media"].items():
        storage = storages[alias]
        for name in files:
            if storage.exists(name):
                storage.delete(name)
            with (source / "media" / alias / name).open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"{alias}: {name} was stored as {saved}")
    return manifest
