import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

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
        return super().get_queryset(request).annotate(group_count=Count("groups"))

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
