from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from networks import permissions

from .jobs import report_job_delete, report_publish
from .models import AnnualReportText, KindReportText, ReportJob


class KindReportTextInline(admin.StackedInline):
    model = KindReportText
    extra = 0
    fields = ["kind", "experiences", "challenges"]


@admin.register(AnnualReportText)
class AnnualReportTextAdmin(admin.ModelAdmin):
    """The narrative of the annual report; the report page's form edits the same rows."""

    list_display = ["year", "title", "updated_at", "updated_by"]
    fields = [
        "year",
        "title",
        "introduction",
        "organisation",
        "development_areas",
        "signatures",
        "updated_at",
        "updated_by",
    ]
    readonly_fields = ["updated_at", "updated_by"]
    inlines = [KindReportTextInline]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Report jobs are made from the report pages; here they can be looked at and published."""

    list_display = [
        "kind",
        "year",
        "network_kind",
        "status",
        "is_published",
        "requested_by",
        "created_at",
        "finished_at",
        "attempts",
    ]
    list_filter = ["kind", "status", "is_published", "year"]
    list_select_related = ["network_kind", "requested_by"]
    readonly_fields = [
        "kind",
        "year",
        "network_kind",
        "requested_by",
        "status",
        "created_at",
        "queued_at",
        "started_at",
        "finished_at",
        "attempts",
        "error_message",
        "file",
        "is_published",
        "published_at",
    ]
    actions = ["publish", "unpublish"]

    def has_add_permission(self, request):
        return False

    def has_publish_permission(self, request):
        # Who publishes is the permissions module's to say, here as on the report pages.
        return permissions.can_publish_reports(request.user)

    @admin.action(description=_("Publish the selected annual reports"), permissions=["publish"])
    def publish(self, request, queryset):
        done = 0
        for job in queryset:
            try:
                report_publish(job=job, published=True)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{job}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d report published.", "%(n)d reports published.", done) % {"n": done},
            )

    @admin.action(
        description=_("Withdraw the selected reports from the public pages"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        for job in queryset:
            report_publish(job=job, published=False)

    def delete_model(self, request, obj):
        report_job_delete(job=obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            report_job_delete(job=job)
