"""newsroom.api: every API error as JSON, nested errors as paths."""

from newsroom.api import flatten_errors


def test_nested_drf_errors_flatten_into_paths():
    detail = {
        "headline": ["This field is required."],
        "claims": [{}, {}, {"status": ["Not a valid choice."]}],
        "authors": {1: ["Unknown user."]},
        "quotes": [{"non_field_errors": ["Name the speaker."]}],
    }

    assert flatten_errors(detail) == {
        "headline": ["This field is required."],
        "claims[2].status": ["Not a valid choice."],
        "authors[1]": ["Unknown user."],
        "quotes[0]": ["Name the speaker."],
    }
