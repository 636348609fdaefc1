"""Report pages: ask for a PDF, follow the job, download it, publish it, write the narrative.

The pages read the ReportJob row only, never Celery's result backend. A job page that is still
waiting reloads itself every few seconds (an HTTP Refresh header: no JavaScript), and offers a
link that stops the reloading for people whose screen reader it disturbs.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import allowed
from core.years import is_record_year
from meetings.models import Meeting
from networks import permissions
from networks.models import NetworkKind

from .forms import AnnualReportTextForm, ReportRequestForm, ReportYearForm
from .jobs import report_publish, report_request, report_retry
from .models import AnnualReportText, JobStatus, KindReportText, ReportJob, ReportKind
from .narrative import annual_report_text_save

REFRESH_SECONDS = 5
JOBS_SHOWN = 20

NOT_ALLOWED = gettext_lazy(
    "Reports are made by the head of administration and the network developer. Published "
    "annual reports are on the page of published reports."
)
TEXT_NOT_ALLOWED = gettext_lazy(
    "The text of the annual report is written by the network developer."
)


def _report_years() -> list[int]:
    """Return the years a report can be made for: those with meetings, and this year."""
    years = {day.year for day in Meeting.objects.dates("date", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def _default_year(years: list[int]) -> int:
    """Return the year the page opens on: the latest finished year with meetings."""
    this_year = timezone.localdate().year
    past = [year for year in years if year < this_year]
    return past[0] if past else this_year


@allowed(permissions.can_create_reports, NOT_ALLOWED)
def report_list(request):
    """Show the buttons that make a year's reports, and the reports asked for lately."""
    years = _report_years()
    year_form = ReportYearForm(request.GET or None, years=years)
    year = year_form.cleaned_data["ar"] if year_form.is_valid() else _default_year(years)
    if not year_form.is_bound:
        year_form = ReportYearForm(initial={"ar": year}, years=years)
    jobs = ReportJob.objects.for_listing()[:JOBS_SHOWN]
    return render(
        request,
        "reports/report_list.html",
        {
            "year": year,
            "year_form": year_form,
            "kinds": list(NetworkKind.objects.all()),
            "jobs": jobs,
            "text": AnnualReportText.objects.filter(year=year).first(),
            "can_edit_text": permissions.can_edit_report_text(request.user),
            "annual": ReportKind.ANNUAL,
            "calendar": ReportKind.CALENDAR,
        },
    )


# This and the other POST-only views ask for the login first, then the method, then the role:
# a visitor is sent to log in, and a GET is refused as a 405 whoever is logged in.
@allowed(permissions.can_create_reports, NOT_ALLOWED, methods=["POST"])
def report_create(request):
    """Ask for a report and go to its job page (the job already on its way, if there is one)."""
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:report_list")
    job = report_request(requested_by=request.user, **form.cleaned_data)
    job.refresh_from_db()
    if job.status == JobStatus.FAILED:
        messages.error(request, job.error_message)
    return redirect(job)


@allowed(permissions.can_create_reports, NOT_ALLOWED)
def job_detail(request, pk):
    """Show how far a report has come; reload while it is queued or being made."""
    job = get_object_or_404(ReportJob.objects.for_listing(), pk=pk)
    auto_refresh = job.is_active and request.GET.get("uppdatera") != "nej"
    response = render(
        request,
        "reports/job_detail.html",
        {
            "job": job,
            "auto_refresh": auto_refresh,
            "refresh_seconds": REFRESH_SECONDS,
            "can_publish": permissions.can_publish_reports(request.user)
            and job.kind == ReportKind.ANNUAL
            and job.is_done,
        },
    )
    if auto_refresh:
        response["Refresh"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@allowed(permissions.can_create_reports, NOT_ALLOWED, methods=["POST"])
def job_retry(request, pk):
    """Run a failed report job again."""
    job = get_object_or_404(ReportJob, pk=pk)
    job = report_retry(job=job, requested_by=request.user)
    job.refresh_from_db()
    if job.status == JobStatus.FAILED:
        messages.error(request, job.error_message)
    return redirect(job)


@allowed(permissions.can_publish_reports, NOT_ALLOWED, methods=["POST"])
def job_publish(request, pk):
    """Publish a finished annual report, or withdraw it from the public pages."""
    job = get_object_or_404(ReportJob, pk=pk)
    publish = request.POST.get("publicera") == "ja"
    try:
        report_publish(job=job, published=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The annual report is published: anyone can download it from the public pages.")
            if publish
            else _("The annual report is no longer published."),
        )
    return redirect(job)


def job_download(request, pk):
    """Send the PDF of a finished job: to staff who make reports, or to anyone if published."""
    job = get_object_or_404(ReportJob.objects.select_related("network_kind"), pk=pk)
    if not job.is_done:
        raise Http404("The report is not ready.")
    if not permissions.can_download_report(request.user, job):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(NOT_ALLOWED)
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The report's file is missing.") from error
    response = FileResponse(handle, content_type="application/pdf", filename=job.download_name)
    response["Content-Disposition"] = f'inline; filename="{job.download_name}"'
    if not job.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@allowed(permissions.can_edit_report_text, TEXT_NOT_ALLOWED)
def text_edit(request, year):
    """Write the narrative of a year's annual report (the network developer)."""
    if not is_record_year(year):
        raise Http404("No such year.")
    text = AnnualReportText.objects.filter(year=year).first() or AnnualReportText(year=year)
    kinds = list(NetworkKind.objects.all())
    kind_texts = (
        {item.kind_id: item for item in KindReportText.objects.filter(report=text)}
        if text.pk
        else {}
    )
    form = AnnualReportTextForm(
        request.POST or None, instance=text, kinds=kinds, kind_texts=kind_texts
    )
    if request.method == "POST" and form.is_valid():
        annual_report_text_save(
            year=year,
            updated_by=request.user,
            kind_texts=form.kind_texts(),
            **form.text_values(),
        )
        messages.success(
            request, _("The text of the annual report %(year)s is saved.") % {"year": year}
        )
        return redirect(f"{reverse('reports:report_list')}?ar={year}")
    return render(request, "reports/text_form.html", {"form": form, "year": year, "text": text})
