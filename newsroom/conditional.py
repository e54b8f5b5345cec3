"""Conditional writes (RFC 9110 If-Match) shared by the articles and images APIs: a client
sends the ETag of the version it edited; none is a 428, a stale one a 412."""

from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException

from newsroom.params import ascii_int


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = gettext_lazy(
        'Send If-Match with the ETag of the version you edited (e.g. If-Match: "3"), so '
        "that nobody's change is silently overwritten."
    )
    default_code = "precondition_required"


def if_match_versions(request) -> list[int]:
    """The versions named by If-Match; an unparsable tag matches nothing (412)."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired()
    versions = []
    for tag in raw.split(","):
        tag = tag.strip().removeprefix("W/").strip('"')
        if tag == "*":
            raise PreconditionRequired()
        version = ascii_int(tag)
        if version is not None:
            versions.append(version)
    return versions
