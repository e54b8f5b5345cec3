"""The desk's admin, one module per subject; importing the package registers them all."""

from articles.admin import articles, desks, followups, highlights  # noqa: F401
