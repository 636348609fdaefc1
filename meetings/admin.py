"""Meetings, series and activities in the admin, with their history of changes.

The admin follows the same rules as the meeting pages: the agenda, notes and follow-up points
of a meeting the user may not read are left out of its form; nobody but those who may read
them all filters, searches or sorts by them (networks.admin.ConfidentialFieldsAdmin); and the
history of changes is the network developer's (networks.permissions.can_view_history).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from networks import permissions
from networks.admin import ConfidentialFieldsAdmin

from .models import Activity, Meeting, MeetingSeries


class HistoryForTheNetworkDeveloper:
    """Show the history of changes only to those the permissions module allows."""

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return permissions.can_view_history(request.user) and (
            super().has_view_history_or_change_history_permission(request, obj)
        )


@admin.register(Meeting)
class MeetingAdmin(ConfidentialFieldsAdmin, HistoryForTheNetworkDeveloper, SimpleHistoryAdmin):
    list_display = [
        "date",
        "start_time",
        "owner_display",
        "type",
        "status",
        "place",
        "visibility",
        "notes_written",
    ]
    list_filter = ["status", "type", "visibility", "notes_visibility", "group__kind", "forum"]
    list_select_related = ["group__kind", "forum", "kind"]
    search_fields = ["place", "agenda", "notes", "group__name", "forum__name", "kind__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["group", "forum", "kind", "organisations"]
    readonly_fields = ["series", "uid", "created_at", "updated_at"]
    ordering = ["-date", "-start_time"]

    @admin.display(description=_("whose meeting"), ordering="group__name")
    def owner_display(self, meeting):
        return meeting.owner_label

    @admin.display(description=_("notes written"), boolean=True)
    def notes_written(self, meeting):
        return bool(meeting.notes)

    def get_queryset(self, request):
        """Only the meetings the user's tiers reach (the head of administration: not the
        restricted ones)."""
        return (
            super().get_queryset(request).filter(permissions.visible_meetings_filter(request.user))
        )

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if obj is not None and not permissions.can_view_notes(request.user, obj):
            exclude.extend(Meeting.confidential_fields)
        return exclude

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not permissions.can_view_notes(request.user, obj):
            fields = [name for name in fields if name not in Meeting.confidential_fields]
        return fields


class SeriesMeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["date", "start_time", "end_time", "place", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    # A series keeps no history of its own: its meetings do.
    list_display = ["description", "created_by", "created_at"]
    list_select_related = ["created_by"]
    search_fields = ["description"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_by", "created_at"]
    inlines = [SeriesMeetingInline]


@admin.register(Activity)
class ActivityAdmin(HistoryForTheNetworkDeveloper, SimpleHistoryAdmin):
    list_display = [
        "start_date",
        "end_date",
        "type",
        "name",
        "group",
        "area",
        "participant_count",
        "visibility",
    ]
    list_filter = ["type", "visibility", "is_special", "group__kind"]
    list_select_related = ["group__kind"]
    search_fields = ["name", "area", "theme", "description", "group__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["group", "partners"]
    ordering = ["-start_date"]

    def get_queryset(self, request):
        """Only the activities the user's tiers reach."""
        return (
            super()
            .get_queryset(request)
            .filter(permissions.visible_activities_filter(request.user))
        )
