"""The static files storage of production: whitenoise's hashed, compressed files.

Vendor files (Bootstrap) end with a sourceMappingURL comment naming a .map file we do not ship;
Django's manifest storage would refuse to collect them. Those comments are left as they are
(a browser's developer tools just find no map); every url() and @import is still hashed.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern):
        text = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in text

    return tuple((extension, tuple(p for p in rules if keep(p))) for extension, rules in patterns)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)
