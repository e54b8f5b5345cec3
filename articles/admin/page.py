"""How the article page is laid out for a journalist: its groups (with counts and error
markers), the history page's labels, and the formsets the change view builds."""

from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

# The article page's groups, the way a desk thinks: (id, title, fieldset names, inline classes).
# Own CSS and <details> sections rather than a theme (django-unfold, django-jazzmin): one
# template and one small stylesheet keep every stock admin page and test as it is, need no new
# dependency, and <details> opens and closes without JavaScript, keyboard and screen reader
# included.
DESK_GROUPS = [
    # An imported draft shows what to check first, in the group that opens with the page.
    ("text", _("Text"), [_("Imported copy"), None, _("Where and by whom")], ["BylineInline"]),
    (
        "facts",
        _("Facts and sources"),
        [],
        [
            "MentionInline",
            "ClaimInline",
            "QuoteInline",
            "KeyFigureInline",
            "KeyDateInline",
            "SourceInline",
        ],
    ),
    ("images", _("Images"), [], ["ArticleImageInline"]),
    ("box", _("Highlight box and follow-up"), [], ["HighlightBoxInline", "FollowUpInline"]),
    (
        "publication",
        _("Publication"),
        [_("Workflow"), _("For the desk only")],
        ["CorrectionInline"],
    ),
]


def _fieldset_has_errors(fieldset) -> bool:
    form = fieldset.form
    for line in fieldset.fields:
        for name in line if isinstance(line, (list, tuple)) else [line]:
            if name in form.fields and form[name].errors:
                return True
    return False


def _formset_rows(formset) -> int:
    """Rows the journalist has or is adding, not counting those ticked for deletion."""
    rows = 0
    for form in formset.forms:
        if form.instance.pk is None and not form.has_changed():
            continue  # an empty extra row
        if getattr(form, "cleaned_data", {}).get("DELETE"):
            continue
        rows += 1
    return rows


def desk_groups(adminform, inline_admin_formsets) -> list[dict]:
    """The page's fieldsets and inlines sorted into DESK_GROUPS, each with its count of rows
    and whether it holds an error (an error opens its group: it is never hidden)."""
    fieldsets = {str(fs.name) if fs.name is not None else None: fs for fs in adminform}
    inlines = {type(ifs.opts).__name__: ifs for ifs in inline_admin_formsets}
    groups = []
    for key, title, fieldset_names, inline_names in DESK_GROUPS:
        group_fieldsets = [
            fieldsets.pop(str(n) if n is not None else None)
            for n in fieldset_names
            if (str(n) if n is not None else None) in fieldsets
        ]
        group_inlines = [inlines.pop(n) for n in inline_names if n in inlines]
        errors = any(_fieldset_has_errors(fs) for fs in group_fieldsets) or any(
            any(ifs.formset.errors) or ifs.formset.non_form_errors() for ifs in group_inlines
        )
        groups.append(
            {
                "key": key,
                "title": title,
                "fieldsets": group_fieldsets,
                "inlines": group_inlines,
                "count": sum(_formset_rows(ifs.formset) for ifs in group_inlines),
                "errors": errors,
                "open": key == "text" or errors,
            }
        )
    # Anything a later change adds shows in the last group rather than disappearing.
    groups[-1]["fieldsets"] += list(fieldsets.values())
    groups[-1]["inlines"] += list(inlines.values())
    return groups


class LabelledHistoryHelper(HistoricalRecordContextHelper):
    """The history page shows a choice's label ("Draft → Published"), and "—" for nothing."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


def recording_formset(formset_class: type, formsets: list) -> type:
    """``formset_class`` whose instances append themselves to ``formsets``."""

    class Recording(formset_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            formsets.append(self)

    Recording.__name__ = Recording.__qualname__ = formset_class.__name__
    return Recording
