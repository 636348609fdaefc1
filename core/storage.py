"""The storages: production's static files (whitenoise's hashed, compressed files), and the
private files of the shared documents.

Vendor files (Bootstrap) end with a sourceMappingURL comment naming a .map file we do not ship;
Django's manifest storage would refuse to collect them. Those comments are left as they are
(a browser's developer tools just find no map); every url() and @import is still hashed.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern):
        text = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in text

    return tuple((extension, tuple(p for p in rules if keep(p))) for extension, rules in patterns)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)


class PrivateFileSystemStorage(FileSystemStorage):
    """Files only a view that checks who may read them sends: in PRIVATE_MEDIA_ROOT, outside
    MEDIA_ROOT, and without any URL (asking for one is a programming error)."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view.")
