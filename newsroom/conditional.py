"""Conditional writes (RFC 9110 If-Match) shared by the articles and images APIs: a client
sends the ETag of the version it edited; none is a 428, a stale one a 412."""

from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException

from newsroom.params import ascii_int

# What the schema says of If-Match: one or more tags with a version number, never "*" (the API
# never lets "any version" overwrite someone's change: 428). A tag that names no version is a
# 412, so the schema asks for a digit.
IF_MATCH_SCHEMA = {"type": "string", "pattern": r"^[^*]*[0-9][^*]*$"}


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
