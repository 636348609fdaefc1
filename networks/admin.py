import json

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, F
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import (
    District,
    Forum,
    GroupRole,
    Municipality,
    NetworkGroup,
    NetworkKind,
    Organisation,
    Person,
)
from .personal_data import people_remove, person_export

admin.site.site_header = _("Local collaboration – administration")
admin.site.site_title = _("Local collaboration")
admin.site.index_title = _("Administration")


# --- confidential fields ------------------------------------------------------------------


def confidential_fields(model) -> tuple[str, ...]:
    """Return the names of `model`'s fields that only some may read (its `confidential_fields`).

    A historical copy made by django-simple-history has its original's.
    """
    original = getattr(model, "instance_type", model)
    return tuple(getattr(original, "confidential_fields", ()))


def reaches_confidential(model, path: str) -> bool:
    """Return whether a lookup, search or ordering `path` from `model` reaches such a field.

    E.g. "notes__regex" on a meeting, "meetings__notes__icontains" on a group, "-agenda".
    """
    for part in path.lstrip("-^=@").split(LOOKUP_SEP):
        if part in confidential_fields(model):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.related_model is None:
            return False  # a plain field: what follows are transforms and lookups
        model = field.related_model
    return False


def paths_of(item) -> list[str]:
    """Return the field paths an ordering, list filter or search field names.

    A string is a path; (path, filter class) a list filter on it; an expression such as
    Lower("notes").desc() names the paths of the F()s inside it.
    """
    if isinstance(item, str):
        return [item]
    if isinstance(item, list | tuple):
        return paths_of(item[0])
    if isinstance(item, F):
        return [item.name]
    sources = getattr(item, "get_source_expressions", list)()
    return [path for source in sources for path in paths_of(source)]


class SortableOnlyChangeList(ChangeList):
    """Sort only by the columns the admin lets this user sort (its sortable_by).

    Django sorts by any column with an ordering field when asked with ?o=, whatever
    sortable_by says; that only hides the column's sorting link.
    """

    def get_ordering_field(self, field_name):
        if field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


class ConfidentialFieldsAdmin:
    """Never filter, search or sort by a confidential field for those who may not read them all.

    Whether a row is listed, found or sorted first answers a question about the text it was
    tested on, and enough such questions spell the text out.
    Those who may read every such text (permissions.can_search_confidential_text) keep all;
    for anyone else a lookup in the address that reaches one is refused (Django answers 400),
    and the search fields, list filters, columns and orderings that reach one are left out.
    """

    def hides_confidential(self, request) -> bool:
        return not permissions.can_search_confidential_text(request.user)

    def without_confidential(self, request, items) -> list:
        """Return `items` (paths, filters, orderings) less those that reach a confidential field."""
        if not self.hides_confidential(request):
            return list(items)
        return [
            item
            for item in items
            if not any(reaches_confidential(self.model, path) for path in paths_of(item))
        ]

    def lookup_allowed(self, lookup, value, request):
        if self.hides_confidential(request) and reaches_confidential(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        return self.without_confidential(request, super().get_search_fields(request))

    def get_list_filter(self, request):
        return self.without_confidential(request, super().get_list_filter(request))

    def get_list_display(self, request):
        return self.without_confidential(request, super().get_list_display(request))

    def get_ordering(self, request):
        # An empty ordering would fall back to the admin's or the model's own, unfiltered.
        ordering = super().get_ordering(request) or self.model._meta.ordering
        return self.without_confidential(request, ordering) or ["-pk"]

    def get_sortable_by(self, request):
        return [
            column
            for column in super().get_sortable_by(request)
            if self.without_confidential(request, [self.column_ordering(column)])
        ]

    def column_ordering(self, column):
        """Return what a list_display column sorts by: its ordering field, or itself."""
        attribute = column
        if isinstance(column, str):
            attribute = getattr(self, column, getattr(self.model, column, None))
        attribute = getattr(attribute, "fget", attribute)  # a property sorts by its getter's
        ordering = getattr(attribute, "admin_order_field", None)
        return ordering if ordering is not None else (column if isinstance(column, str) else "")

    def get_changelist(self, request, **kwargs):
        return SortableOnlyChangeList


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "email", "phone"]
    fieldsets = [
        (None, {"fields": ["name", "website", "email", "phone"]}),
        (
            _("Accessibility statement"),
            {
                "description": _(
                    "Shown on the accessibility statement, which every page's footer links "
                    "to. Update it after each review of the portal's accessibility."
                ),
                "fields": [
                    "accessibility_compliance",
                    "accessibility_known_gaps",
                    "accessibility_assessed_on",
                    "accessibility_updated_on",
                    "accessibility_contact_email",
                    "accessibility_contact_phone",
                    "accessibility_response_time",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        # One municipality runs the portal: its row is edited, never duplicated.
        return not Municipality.objects.exists() and super().has_add_permission(request)


class GroupRoleInline(admin.TabularInline):
    model = GroupRole
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(NetworkKind)
class NetworkKindAdmin(admin.ModelAdmin):
    list_display = ["name", "meetings_per_term", "group_count", "order"]
    list_editable = ["order"]
    search_fields = ["name", "goal", "purpose"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # The count's GROUP BY drops the model's ordering; the autocomplete pages need one.
        return (
            super()
            .get_queryset(request)
            .annotate(group_count=Count("groups"))
            .order_by(*NetworkKind._meta.ordering)
        )

    @admin.display(description=_("groups"), ordering="group_count")
    def group_count(self, kind):
        return kind.group_count

    @admin.display(description=_("meetings per term"))
    def meetings_per_term(self, kind):
        return kind.meetings_per_term


@admin.register(NetworkGroup)
class NetworkGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district_list", "running_organisation", "active"]
    list_filter = ["kind", "active", "districts"]
    list_select_related = ["kind", "running_organisation"]
    search_fields = ["name", "districts__name", "running_organisation__name"]
    autocomplete_fields = ["running_organisation"]
    filter_horizontal = ["districts"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GroupRoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("districts")

    @admin.display(description=_("districts"))
    def district_list(self, group):
        return ", ".join(district.name for district in group.districts.all())


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "group_list"]
    search_fields = ["name", "search_name"]
    list_filter = ["groups__kind"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups__kind")

    @admin.display(description=_("groups"))
    def group_list(self, district):
        return ", ".join(str(group) for group in district.groups.all())


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "organisation_number"]
    list_filter = ["type"]
    search_fields = ["name", "organisation_number"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "email", "public_consent"]
    list_filter = ["public_consent", "organisation__type", "group_roles__role"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "title", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]
    inlines = [GroupRoleInline]
    actions = ["export_personal_data", "remove_personal_data"]

    @admin.action(description=_("Export the personal data (JSON)"), permissions=["change"])
    def export_personal_data(self, request, queryset):
        """Download all the portal keeps about the selected people (networks.personal_data)."""
        people = [person_export(person) for person in queryset.select_related("user")]
        response = HttpResponse(
            json.dumps(people, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personuppgifter.json"'
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(
        description=_("Remove the selected people (archive rules apply)"), permissions=["delete"]
    )
    def remove_personal_data(self, request, queryset):
        """Ask, then remove the selected people as personal_data.person_remove does."""
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/networks/person/remove_personal_data.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Remove personal data"),
                    "people": queryset,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        try:
            removals = people_remove(people=list(queryset.select_related("user")))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            _("Removed: %(names)s. Their user accounts are anonymised and deactivated.")
            % {"names": ", ".join(removal.person for removal in removals)},
        )
        return None


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "order"]
    list_editable = ["order"]
    list_filter = ["active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["members"]
