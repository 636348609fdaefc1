"""Report files: one name per job, written whole or not at all, and the sweep of orphans."""

import datetime
import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

from .models import REPORTS_FOLDER, ReportJob, report_upload_to

# A file younger than this may belong to a job being saved right now.
ORPHAN_AGE = datetime.timedelta(days=1)


def report_file_name(job: ReportJob) -> str:
    """Return the storage name of a job's PDF: one name per job, so a rerun replaces it."""
    scope = f"-{job.network_kind.slug}" if job.network_kind_id else ""
    return report_upload_to(job, f"{job.kind}-{job.year}{scope}-job{job.pk}.pdf")


def _write_in_one_step(final: Path, content: bytes) -> None:
    """Write `content` beside `final` and rename it into place.

    A reader (or a worker killed halfway) never sees half a file; part files left by a worker
    killed while writing are removed first.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f"{final.name}.*.part"):
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=f"{final.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def report_file_store(*, job: ReportJob, pdf: bytes) -> str:
    """Write the job's PDF under its one name, replacing an earlier one, and return the name.

    On a local disk the file is renamed into place in one step; other storages replace it.
    """
    name = report_file_name(job)
    storage = job.file.storage
    if isinstance(storage, FileSystemStorage):
        _write_in_one_step(Path(storage.path(name)), pdf)
        return name
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(pdf))
    if saved != name:  # pragma: no cover – a storage that renames would leave two files
        raise OSError(f"The storage saved {name} as {saved}")
    return name


def _files_under(storage, folder: str):
    """Yield the name of every file below `folder` in `storage`."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


def orphan_report_files_delete(*, now: datetime.datetime) -> int:
    """Delete report files older than ORPHAN_AGE that no job refers to (left by a deleted job
    or a worker killed while writing); return how many."""
    kept = set(ReportJob.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in list(_files_under(default_storage, REPORTS_FOLDER)):
        if name in kept or default_storage.get_modified_time(name) > now - ORPHAN_AGE:
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted
