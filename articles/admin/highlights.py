"""Admin for highlight boxes: edited on the article page, one line per item."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.admin.rules import ArticleRulesAdminMixin
from articles.models import HighlightBox, HighlightItem
from articles.services.highlights import (
    highlight_box_set_items,
    highlight_items_problems,
    items_as_text,
    parse_items,
)


class HighlightBoxForm(forms.ModelForm):
    items_text = forms.CharField(
        label=_("items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_(
            "One item per line: an emoji, a space, then the text (bold, italics and links "
            "allowed). Example: “🇫🇷 Paris reacts”."
        ),
    )

    class Meta:
        model = HighlightBox
        fields = ["title", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["items_text"].initial = items_as_text(self.instance)

    def clean_items_text(self) -> str:
        text = self.cleaned_data.get("items_text", "")
        problems = highlight_items_problems(items=parse_items(text))
        if problems:
            raise forms.ValidationError(problems)
        return text

    def save(self, commit=True):
        # The items are written once the box is saved: now, or when the admin calls
        # save_m2m() after saving a commit=False form (a public ModelForm contract).
        box = super().save(commit=commit)
        if commit:
            self.save_items()
        else:
            save_m2m = self.save_m2m

            def save_all():
                save_m2m()
                self.save_items()

            self.save_m2m = save_all
        return box

    def save_items(self) -> None:
        if "items_text" in self.changed_data or not self.instance.items.exists():
            highlight_box_set_items(
                box=self.instance, items=parse_items(self.cleaned_data.get("items_text", ""))
            )


def mangled_warning(box: HighlightBox) -> str:
    damaged = box.mangled_texts() if box.pk else []
    if not damaged:
        return "—"
    return format_html(
        '<strong style="color:#cf222e">{}</strong><ul>{}</ul>',
        _(
            "Broken characters (a “?” where an emoji was): retype these emoji, "
            "they were damaged before reaching us."
        ),
        format_html_join("", "<li>{}</li>", ((t,) for t in damaged)),
    )


class HighlightBoxInline(admin.StackedInline):
    model = HighlightBox
    form = HighlightBoxForm
    extra = 0
    fields = [("title", "order"), "items_text", "encoding_check"]
    readonly_fields = ["encoding_check"]

    @admin.display(description=_("encoding check"))
    def encoding_check(self, obj: HighlightBox) -> str:
        return mangled_warning(obj)


class HighlightItemInline(admin.TabularInline):
    model = HighlightItem
    extra = 0
    fields = ["order", "emoji", "text", "damaged"]
    readonly_fields = ["damaged"]

    @admin.display(description=_("damaged?"), boolean=True)
    def damaged(self, obj: HighlightItem) -> bool:
        return obj.pk is not None and obj.is_mangled


@admin.register(HighlightBox)
class HighlightBoxAdmin(ArticleRulesAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "article", "order", "damaged"]
    list_select_related = ["article"]
    search_fields = ["title", "article__headline", "items__text"]
    autocomplete_fields = ["article"]
    inlines = [HighlightItemInline]
    readonly_fields = ["encoding_check"]
    fields = ["article", ("title", "order"), "encoding_check"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description=_("damaged?"), boolean=True)
    def damaged(self, obj: HighlightBox) -> bool:
        return bool(obj.mangled_texts())

    @admin.display(description=_("encoding check"))
    def encoding_check(self, obj: HighlightBox) -> str:
        return mangled_warning(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        box = HighlightBox.objects.filter(pk=object_id).first()
        if request.method == "GET" and box is not None and box.mangled_texts():
            self.message_user(
                request,
                _("Some emoji in this box were damaged by a broken encoding: retype them."),
                level=messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)
