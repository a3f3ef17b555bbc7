"""Encrypted backup archives, their rotation, and the record of the last successful backup.

A scheduled backup (``veerkracht backup --rotate``, deploy/veerkracht-backup.timer) dumps the
database, encrypts the dump with age (the ``pyrage`` package) to the public key(s) in
``BACKUP_AGE_RECIPIENTS``, and keeps 7 daily, 4 weekly and 12 monthly archives in ``BACKUP_DIR``.
The server has only the public key: someone who takes the server cannot read old backups. The
private key (the identity) is kept elsewhere and handed to ``veerkracht restore --identity``.
"""

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyrage  # type: ignore[import-untyped]  # no type information shipped
from django.utils import timezone

from veerkracht.core.backup import BackupError, backup_database, restore_database
from veerkracht.core.models import MaintenanceKind, MaintenanceRun
from veerkracht.envconfig import env_list, env_str

AGE_HEADER = b"age-encryption.org/v1"
ARCHIVE_NAME = re.compile(r"^veerkracht-(\d{8}T\d{6}Z)\.backup\.age$")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


def backup_recipients() -> list[str]:
    return env_list("BACKUP_AGE_RECIPIENTS", default=[])


def backup_directory() -> Path:
    return Path(env_str("BACKUP_DIR", "/var/backups/veerkracht"))


def _recipient(text: str) -> pyrage.x25519.Recipient | pyrage.ssh.Recipient:
    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        return pyrage.ssh.Recipient.from_str(text)
    except pyrage.RecipientError:
        raise BackupError(f"BACKUP_AGE_RECIPIENTS: {text[:12]}… is not an age or SSH public key") from None


def encrypt_file(plain: Path, target: Path, recipients: Iterable[str]) -> None:
    keys = [_recipient(text) for text in recipients]
    if not keys:
        raise BackupError("no public key to encrypt to: set BACKUP_AGE_RECIPIENTS")
    partial = target.with_name(target.name + ".partial")
    pyrage.encrypt_file(str(plain), str(partial), keys)
    partial.replace(target)  # a half-written archive never carries the final name


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(AGE_HEADER)) == AGE_HEADER


def decrypt_file(archive: Path, target: Path, identity_file: Path) -> None:
    try:
        lines = identity_file.read_text().splitlines()
    except OSError as error:
        raise BackupError(f"the identity file cannot be read: {error.strerror}") from None
    keys = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    try:
        identities = [pyrage.x25519.Identity.from_str(key) for key in keys]
        pyrage.decrypt_file(str(archive), str(target), identities)
    except (pyrage.IdentityError, pyrage.DecryptError) as error:
        raise BackupError(f"the backup cannot be decrypted with this identity ({type(error).__name__})") from None


def archive_name(at: datetime) -> str:
    return f"veerkracht-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}.backup.age"


def backup_encrypted(directory: Path, *, now: datetime | None = None) -> Path:
    """Dump, encrypt to ``BACKUP_AGE_RECIPIENTS`` and record the backup; the plain dump never stays."""
    now = now or timezone.now()
    recipients = backup_recipients()
    if not recipients:
        raise BackupError("BACKUP_AGE_RECIPIENTS is not set: scheduled backups are always encrypted")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / archive_name(now)
    with tempfile.TemporaryDirectory(prefix="veerkracht-backup-") as scratch:
        os.chmod(scratch, 0o700)
        plain = backup_database(Path(scratch) / "database.backup")
        encrypt_file(plain, target, recipients)
    MaintenanceRun.objects.create(kind=MaintenanceKind.BACKUP, finished_at=timezone.now(), detail=target.name)
    return target


def restore_archive(archive: Path, identity_file: Path | None) -> None:
    """Restore a backup, decrypting it first when it is an age archive."""
    if not archive.is_file():
        raise BackupError(f"no backup file at {archive}")
    if not is_encrypted(archive):
        restore_database(archive)
        return
    if identity_file is None:
        raise BackupError("this backup is encrypted: give the private key with --identity FILE")
    with tempfile.TemporaryDirectory(prefix="veerkracht-restore-") as scratch:
        os.chmod(scratch, 0o700)
        plain = Path(scratch) / "database.backup"
        decrypt_file(archive, plain, identity_file)
        restore_database(plain)


@dataclass(frozen=True)
class Rotation:
    keep: list[Path]
    remove: list[Path]


def _taken_at(path: Path) -> datetime | None:
    match = ARCHIVE_NAME.match(path.name)
    return datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) if match else None


def rotation_plan(
    archives: Iterable[Path], *, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY
) -> Rotation:
    """Keep the newest archive of each of the last ``daily`` days, ``weekly`` ISO weeks and ``monthly``
    months that have one; files not named like an archive are never touched."""
    dated = sorted(((at, path) for path in archives if (at := _taken_at(path))), reverse=True)
    keep: set[Path] = set()
    for count, bucket in (
        (daily, lambda at: at.date()),
        (weekly, lambda at: at.isocalendar()[:2]),
        (monthly, lambda at: (at.year, at.month)),
    ):
        seen: set[object] = set()
        for at, path in dated:
            key = bucket(at)
            if key not in seen and len(seen) < count:
                seen.add(key)
                keep.add(path)
    kept = [path for _, path in dated if path in keep]
    return Rotation(keep=kept, remove=[path for _, path in dated if path not in keep])


def rotate(directory: Path) -> Rotation:
    plan = rotation_plan(directory.glob("veerkracht-*.backup.age"))
    for path in plan.remove:
        path.unlink()
    return plan
