"""Writing an article's nested lists (claims, quotes, boxes, images, …), for the API and the admin.

A nested list in a payload replaces the stored list in the same transaction as the article.
Each list has a writer (``articles.services.writing.NESTED_LISTS`` names them all); its
``write`` raises ValidationError keyed by paths into the payload (``claims[2].status``).
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from articles.models import Article


def item_path(name: str, index: int, field_name: str | None = None) -> str:
    """The path of an item (``claims[2]``) or of one of its fields (``claims[2].status``)."""
    path = f"{name}[{index}]"
    if field_name and field_name != NON_FIELD_ERRORS:
        path = f"{path}.{field_name}"
    return path


def add_errors(
    errors: dict[str, list[str]], path: str, exc: ValidationError
) -> dict[str, list[str]]:
    """Put a model or service ValidationError under ``path`` (``highlight_boxes[1].title``)."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            key = path if name == NON_FIELD_ERRORS else f"{path}.{name}"
            errors.setdefault(key, []).extend(messages)
    else:
        errors.setdefault(path, []).extend(exc.messages)
    return errors


class NestedWriter(Protocol):
    """Replaces one nested list of an article. ``write`` raises ValidationError keyed by paths
    into the payload (``claims[2].status``) and runs inside the caller's transaction."""

    name: str

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None: ...


@dataclass
class ModelListWriter:
    """Writes a list of rows that point to the article (``fk_name``), in payload order.

    Stored rows are reused rather than deleted and re-created, so the revision history shows
    what changed in each: by position, or by ``match_on(row)`` for rows with a natural key
    (a mention is its entity and role).
    """

    name: str
    model: type[models.Model]
    fk_name: str = "article"
    order_field: str | None = "order"
    match_on: Callable[[models.Model], Hashable] | None = None
    history: bool = field(default=True)

    def _values(self, obj: models.Model) -> dict[str, Any]:
        return {
            f.attname: getattr(obj, f.attname)
            for f in self.model._meta.concrete_fields
            if not f.primary_key
        }

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        stored = list(self.model._default_manager.filter(**{self.fk_name: article}))
        wanted = []
        for index, item in enumerate(items):
            obj = self.model(**{self.fk_name: article}, **item)
            if self.order_field:
                setattr(obj, self.order_field, index)
            wanted.append(obj)

        errors: dict[str, list[str]] = {}
        pairs: list[tuple[models.Model, models.Model | None]] = []
        if self.match_on is None:
            pairs = [(obj, stored[i] if i < len(stored) else None) for i, obj in enumerate(wanted)]
            leftovers = stored[len(wanted) :]
        else:
            by_key = {self.match_on(row): row for row in stored}
            seen: dict[Hashable, int] = {}
            for index, obj in enumerate(wanted):
                key = self.match_on(obj)
                if key in seen:
                    errors[f"{self.name}[{index}]"] = [
                        _("This is the same as item %(index)d of the list.") % {"index": seen[key]}
                    ]
                seen[key] = index
                pairs.append((obj, by_key.pop(key, None)))
            leftovers = list(by_key.values())
        if errors:
            raise ValidationError(errors)

        for row in leftovers:
            row.delete()
        to_save = []
        for index, (obj, row) in enumerate(pairs):
            if row is not None:
                new_values = self._values(obj)
                if new_values == self._values(row):
                    continue
                for attname, value in new_values.items():
                    setattr(row, attname, value)
                obj = row
            try:
                obj.full_clean(exclude=[self.fk_name])
            except ValidationError as exc:
                for fname, messages in exc.message_dict.items():
                    path = f"{self.name}[{index}]"
                    if fname != NON_FIELD_ERRORS:
                        path = f"{path}.{fname}"
                    errors.setdefault(path, []).extend(messages)
            to_save.append(obj)
        if errors:
            raise ValidationError(errors)
        for obj in to_save:
            obj.save()
