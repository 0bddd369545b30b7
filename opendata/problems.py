"""Errors as `application/problem+json` (RFC 9457): type, title, status, detail, instance,
plus `invalid-params` on a 400 that names each offending query parameter."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.absolute_urls import absolute_url

PROBLEM_CONTENT_TYPE = "application/problem+json"

# The `type` of each problem: an anchor on the documentation page, which explains it.
PROBLEM_ANCHORS = {
    400: "fout-ongeldige-parameters",
    404: "fout-niet-gevonden",
    405: "fout-methode",
    410: "fout-ingetrokken",
    500: "fout-server",
}


def _titles():
    return {
        400: _("Invalid request"),
        404: _("Not found"),
        405: _("Method not allowed"),
        410: _("Withdrawn"),
        500: _("Internal server error"),
    }


class ApiError(Exception):
    """Raised by a view (or the parameter checks) to answer with a problem."""

    def __init__(self, status: int, detail: str, invalid_params=None, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.invalid_params = invalid_params or []
        self.extra = extra

    def response(self, request):
        return problem_response(
            request, self.status, self.detail, invalid_params=self.invalid_params, **self.extra
        )


def invalid(name: str, reason: str) -> dict:
    return {"name": name, "reason": str(reason)}


def problem_response(
    request, status: int, detail: str, invalid_params=None, **extra
) -> HttpResponse:
    anchor = PROBLEM_ANCHORS.get(status, "fouten")
    body = {
        "type": absolute_url(f"/open-data/#{anchor}"),
        "title": str(_titles().get(status, _("Error"))),
        "status": status,
        "detail": str(detail),
        "instance": absolute_url(request.path),
    }
    if invalid_params:
        body["invalid-params"] = invalid_params
    body.update(extra)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
