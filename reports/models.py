"""Report jobs (a PDF someone asked for) and the narrative of a year's annual report."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.years import year_validators
from networks.models import NetworkKind


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("annual report")
    CALENDAR = "calendar", _("meeting calendar")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being created")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class ReportJobQuerySet(models.QuerySet):
    def active(self):
        """Return the jobs still waiting or being rendered."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def identical(self, *, kind: str, year: int, network_kind: NetworkKind | None = None):
        """Return the jobs for the same report: same kind, year and (calendar) network kind."""
        return self.filter(kind=kind, year=year, network_kind=network_kind)

    def published(self):
        """Return the annual reports anyone may download: published and done."""
        return self.filter(kind=ReportKind.ANNUAL, is_published=True, status=JobStatus.DONE)

    def for_listing(self):
        return self.select_related("network_kind", "requested_by")


# The storage folder of every report file.
REPORTS_FOLDER = "reports"


def report_upload_to(job, filename):
    """Keep every report under reports/<year>/; the service names the file."""
    return f"{REPORTS_FOLDER}/{job.year}/{filename}"


class ReportJob(models.Model):
    """A PDF someone asked for, and how far it has come. The pages read this row only."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    network_kind = models.ForeignKey(
        NetworkKind,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network kind"),
        help_text=_("Only for the meeting calendar: one kind of network instead of all."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_message = models.TextField(_("error message"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True, max_length=200)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("A published annual report can be downloaded by anyone from the public pages."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Asking for a report that is already queued or being made returns that job: the
            # database refuses a second active job for the same report, whatever the race.
            models.UniqueConstraint(
                "kind",
                "year",
                Coalesce("network_kind", Value(0)),
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_job_per_report",
            ),
            models.CheckConstraint(
                condition=Q(network_kind__isnull=True) | Q(kind=ReportKind.CALENDAR),
                name="only_the_calendar_has_a_network_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "status"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:job_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.network_kind_id and self.kind != ReportKind.CALENDAR:
            raise ValidationError(
                {"network_kind": _("Only the meeting calendar can be limited to one kind.")}
            )
        if self.is_published and (self.kind != ReportKind.ANNUAL or self.status != JobStatus.DONE):
            raise ValidationError(
                {"is_published": _("Only a finished annual report can be published.")}
            )

    @property
    def title(self) -> str:
        """Return the report's name as a reader says it: "Årsredovisning 2017"."""
        if self.kind == ReportKind.ANNUAL:
            return _("Annual report %(year)s") % {"year": self.year}
        if self.network_kind_id:
            return _("Meeting calendar %(year)s: %(kind)s") % {
                "year": self.year,
                "kind": self.network_kind.name,
            }
        return _("Meeting calendar %(year)s") % {"year": self.year}

    @property
    def download_name(self) -> str:
        """Return the file name a browser saves the PDF under."""
        stem = "arsredovisning" if self.kind == ReportKind.ANNUAL else "motesschema"
        if self.network_kind_id:
            stem += f"-{self.network_kind.slug}"
        return f"{stem}-{self.year}.pdf"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file)


class AnnualReportText(models.Model):
    """The parts of a year's annual report that people write: the narrative around the data.

    Plain text: paragraphs separated by an empty line, lines starting with "- " make a list.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=year_validators())
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("The report's heading, e.g. 'Redovisning av samarbetsuppdraget'."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    organisation = models.TextField(_("organisation, information and follow-up"), blank=True)
    development_areas = models.TextField(_("development areas for next year"), blank=True)
    signatures = models.TextField(
        _("signed by"),
        blank=True,
        help_text=_("Date and names at the end of the report, one per line."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("annual report text")
        verbose_name_plural = _("annual report texts")
        ordering = ["-year"]

    def __str__(self):
        return str(_("Annual report text %(year)s") % {"year": self.year})

    def get_absolute_url(self):
        return reverse("reports:text_edit", kwargs={"year": self.year})


class KindReportText(models.Model):
    """What the network developer writes about one kind in a year: experiences and challenges."""

    report = models.ForeignKey(
        AnnualReportText,
        on_delete=models.CASCADE,
        related_name="kind_texts",
        verbose_name=_("annual report text"),
    )
    kind = models.ForeignKey(
        NetworkKind, on_delete=models.CASCADE, related_name="+", verbose_name=_("network kind")
    )
    experiences = models.TextField(_("experiences of the year"), blank=True)
    challenges = models.TextField(_("challenges ahead"), blank=True)

    class Meta:
        verbose_name = _("text about a kind")
        verbose_name_plural = _("texts about the kinds")
        ordering = ["report", "kind__order", "kind__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="one_text_per_kind_and_year")
        ]

    def __str__(self):
        return f"{self.kind} {self.report.year}"
