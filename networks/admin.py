from django.contrib import admin
from django.db.models import Count
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

admin.site.site_header = _("Local collaboration – administration")
admin.site.site_title = _("Local collaboration")
admin.site.index_title = _("Administration")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "email", "phone"]

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


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "order"]
    list_editable = ["order"]
    list_filter = ["active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
