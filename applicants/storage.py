"""Storage for private uploads such as résumés.

Files live under ``settings.MEX_PRIVATE_MEDIA_ROOT``, outside MEDIA_ROOT and
the static files, and have no URL: a view that checks who is asking reads
them and streams them back.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at MEX_PRIVATE_MEDIA_ROOT, with no URL."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.MEX_PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.MEX_PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view.")
