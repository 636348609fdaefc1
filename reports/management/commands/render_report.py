"""Write a report as PDF: `manage.py render_report annual|calendar --year 2017 --output f.pdf`.

Runs the same service as the report jobs of the web pages, in this process (no worker needed).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.years import FIRST_YEAR, LAST_YEAR, is_record_year
from networks.models import NetworkKind
from reports.build import report_build
from reports.models import ReportKind


class Command(BaseCommand):
    help = "Write the annual report or the meeting calendar of a year as a PDF/A file."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=[kind.value for kind in ReportKind])
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2017.")
        parser.add_argument(
            "--output", required=True, help="The PDF file to write; '-' writes to stdout."
        )
        parser.add_argument(
            "--kind",
            dest="network_kind",
            help="Only for the calendar: the slug of one kind of network (default: all).",
        )

    def handle(self, *args, report, year, output, network_kind=None, **options):
        if not is_record_year(year):
            raise CommandError(
                f"No report for the year {year}: give a year from {FIRST_YEAR} to {LAST_YEAR}."
            )
        kind = None
        if network_kind:
            if report != ReportKind.CALENDAR:
                raise CommandError("--kind is only for the calendar.")
            kind = NetworkKind.objects.filter(slug=network_kind).first()
            if kind is None:
                slugs = ", ".join(NetworkKind.objects.values_list("slug", flat=True))
                raise CommandError(f"No kind of network {network_kind!r}. Available: {slugs}")
        pdf = report_build(kind=report, year=year, network_kind=kind)
        if output == "-":
            sys.stdout.buffer.write(pdf)
            return
        path = Path(output)
        try:
            path.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(pdf) // 1024} kB)."))
