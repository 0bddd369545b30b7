"""A sendfile backend (SENDFILE_BACKEND) for nginx: after the site has checked who may see a
file, nginx sends its bytes (X-Accel-Redirect to SENDFILE_URL, an `internal` location that
maps to SENDFILE_ROOT, the media folder). Wagtail ships only the streaming backend."""

import os
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse


def sendfile(request, filename, **kwargs):
    relative = os.path.relpath(os.path.abspath(filename), os.path.abspath(settings.SENDFILE_ROOT))
    if relative.startswith(".."):
        raise ValueError(f"{filename} is not under SENDFILE_ROOT")
    response = HttpResponse()
    response["X-Accel-Redirect"] = (
        settings.SENDFILE_URL.rstrip("/") + "/" + quote(relative.replace(os.sep, "/"))
    )
    return response
