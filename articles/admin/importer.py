"""The admin page "Importer une dépêche" (paste or upload wire copy, get a draft), and what the
article page shows of an import: its warnings, the pending lead-image attribution, the text."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import permissions
from articles.formats.wirecopy import MAX_BYTES
from articles.models import Article, Desk
from articles.services.imports import article_import_text


class ImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Wire copy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        help_text=gettext_lazy("Paste the plain text, or upload a file below."),
    )
    file = forms.FileField(
        label=gettext_lazy("Text file"),
        required=False,
        help_text=gettext_lazy("A UTF-8 text file of at most 1 MB."),
    )
    desk = forms.ModelChoiceField(queryset=Desk.objects.none(), label=gettext_lazy("Desk"))
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[
            ("auto", gettext_lazy("Detect")),
            ("fr", gettext_lazy("French")),
            ("en", gettext_lazy("English")),
        ],
        initial="auto",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        desks = Desk.objects.all()
        if not permissions.is_admin(user):
            desks = desks.filter(memberships__user=user)
        self.fields["desk"].queryset = desks.order_by("name")
        if desks.count() == 1:
            self.fields["desk"].initial = desks.first()

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError(_("Paste the wire copy or choose a file."))
        return data

    def copy(self) -> bytes | str:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(MAX_BYTES + 1)
        return self.cleaned_data["text"]


def import_view(model_admin, request):
    """Paste or upload: a draft is made and its page opens, with what to check."""
    if not (permissions.is_admin(request.user) or permissions.roles(request.user)):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            article = article_import_text(
                data=form.copy(),
                user=request.user,
                desk=form.cleaned_data["desk"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = "file" if field == "text" and form.cleaned_data.get("file") else field
                form.add_error(target if target in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error("desk", str(exc))
        else:
            messages.success(
                request,
                _("Draft “%(headline)s” imported: check the suggestions below.")
                % {"headline": article.headline},
            )
            for warning in article.import_warnings:
                messages.warning(request, warning["message"])
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import wire copy"),
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/articles/article/import.html", context)


class ImportedCopyAdmin:
    """The article page's "Imported copy" group (only for an imported article)."""

    imported_fieldset = (
        gettext_lazy("Imported copy"),
        {"fields": ["import_warnings_list", "pending_image_summary", "import_source"]},
    )
    imported_readonly = ["import_warnings_list", "pending_image_summary", "import_source"]

    def imported_fieldsets(self, obj: Article | None) -> list:
        return [self.imported_fieldset] if obj is not None and obj.import_source else []

    @staticmethod
    def _warnings(obj: Article) -> str:
        if not obj.import_warnings:
            return _("None.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((w["message"],) for w in obj.import_warnings)),
        )

    def import_warnings_list(self, obj: Article) -> str:
        return self._warnings(obj)

    import_warnings_list.short_description = gettext_lazy("What to check")

    def pending_image_summary(self, obj: Article) -> str:
        if not obj.pending_image:
            return _("Nothing pending.")
        rows = ((key, value) for key, value in obj.pending_image.items())
        return format_html(
            "<p>{}</p><dl>{}</dl>",
            _("Given to the lead image when you attach it:"),
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    pending_image_summary.short_description = gettext_lazy("Lead image (pending)")
