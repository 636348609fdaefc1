"""Time and peak memory of building the 2017 annual report and meeting calendar as PDF.

    .venv/bin/python benchmarks/reports.py [--scales 1,10,100] [--output BENCHMARKS.md]

Builds a throwaway SQLite database (or uses --database-url), loads the default demo data set
with its report narrative, and measures each report at each scale: 1 is the demo (20 groups,
125 meetings in 2017), 10 and 100 copy every group with its districts, meetings and activities
10 and 100 times. Each build runs in a forked process so its peak memory is its own.
"Before WeasyPrint" is gathering the data and rendering the HTML (`report_html`); the rest is
WeasyPrint making the PDF.
The results replace the reports section of BENCHMARKS.md, with the command that produced them.
"""

import argparse
import datetime
import io
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
START, END = "<!-- reports benchmark: start -->", "<!-- reports benchmark: end -->"


def setup_django(database_url: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="reports-bench-")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalsamverkan.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def load_demo() -> None:
    from django.core.management import call_command

    from benchmarks.synthetic import load_demo as load_demo_data

    call_command("migrate", verbosity=0)
    load_demo_data()


def grow_to(scale: int, current: int, year: int, original_ids: list[int]) -> None:
    """Copy the demo's groups until there are `scale` of each, with the year's meetings."""
    from django.db import transaction

    from meetings.models import Activity, Meeting
    from networks.models import NetworkGroup
    from networks.search import search_key

    originals = list(NetworkGroup.objects.filter(pk__in=original_ids).prefetch_related("districts"))
    meetings = list(Meeting.objects.filter(group__in=originals, date__year=year))
    activities = list(Activity.objects.filter(group__in=originals, start_date__year=year))
    with transaction.atomic():
        for copy in range(current, scale):
            clones = {}
            for group in originals:
                clone = NetworkGroup(
                    kind_id=group.kind_id,
                    name=f"{group.name} {copy + 1}",
                    slug=f"{group.slug}-kopia-{copy}",
                    description=group.description,
                    active=group.active,
                    running_organisation_id=group.running_organisation_id,
                    search_name=search_key(f"{group.name} {copy + 1}"),
                )
                clones[group.pk] = clone
            NetworkGroup.objects.bulk_create(clones.values())
            links = NetworkGroup.districts.through
            links.objects.bulk_create(
                links(networkgroup_id=clones[group.pk].pk, district_id=district.pk)
                for group in originals
                for district in group.districts.all()
            )
            Meeting.objects.bulk_create(
                Meeting(
                    group_id=clones[m.group_id].pk,
                    date=m.date,
                    start_time=m.start_time,
                    type=m.type,
                    status=m.status,
                    participant_count=m.participant_count,
                )
                for m in meetings
            )
            Activity.objects.bulk_create(
                Activity(
                    type=a.type,
                    name=a.name,
                    group_id=clones[a.group_id].pk,
                    area=a.area,
                    start_date=a.start_date,
                    end_date=a.end_date,
                    theme=a.theme,
                    is_special=a.is_special,
                )
                for a in activities
            )


def _measure(kind: str, year: int, queue) -> None:
    """Build one report (in a forked child) and put its figures on `queue`."""
    from django.db import connections
    from pypdf import PdfReader

    from reports.build import report_html
    from reports.pdf import html_to_pdf

    connections.close_all()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    html = report_html(kind=kind, year=year)
    html_done = time.perf_counter()
    pdf = html_to_pdf(html)
    finished = time.perf_counter()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    queue.put(
        {
            "html_seconds": html_done - started,
            "total_seconds": finished - started,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before)
            / 1024,
            "pages": pages,
            "kilobytes": len(pdf) / 1024,
        }
    )


def measure(kind: str, year: int) -> dict:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_measure, args=(kind, year, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def counts(year: int) -> dict:
    from meetings.models import Activity, Meeting
    from networks.models import NetworkGroup

    return {
        "groups": NetworkGroup.objects.count(),
        "meetings": Meeting.objects.filter(date__year=year).count(),
        "activities": Activity.objects.filter(start_date__year=year).count(),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| scale | groups | meetings | activities | report | pages | total s | before WeasyPrint s "
        "| share before WeasyPrint | peak RSS MB | RSS growth MB |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['scale']}× | {row['groups']} | {row['meetings']} | {row['activities']} "
            f"| {row['kind']} | {row['pages']} | {row['total_seconds']:.2f} "
            f"| {row['html_seconds']:.2f} | {row['html_seconds'] / row['total_seconds']:.0%} "
            f"| {row['peak_rss_mb']:.0f} | {row['rss_growth_mb']:.0f} |"
        )
    return "\n".join(lines)


def write_results(path: Path, command: str, rows: list[dict]) -> None:
    import weasyprint

    section = "\n".join(
        [
            START,
            "## Reports: the annual report and the meeting calendar as PDF",
            "",
            f"Command: `{command}`",
            "",
            f"Run {datetime.date.today():%Y-%m-%d} on {platform.platform()}, Python "
            f"{platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
            f"{os.cpu_count()} CPUs; SQLite unless the command names a database.",
            "",
            table(rows),
            "",
            "Before WeasyPrint: gathering the data and rendering the HTML (`report_html`). "
            "Peak RSS is the forked build process's; the growth is over the process at fork, "
            "which already holds the loaded application.",
            END,
        ]
    )
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, _rest = text.split(START, 1)
        _old, tail = _rest.split(END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--year", type=int, default=2017)
    parser.add_argument(
        "--output", default=str(ROOT / "BENCHMARKS.md"), help="'-' to write no Markdown"
    )
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args(argv)
    scales = sorted({int(scale) for scale in args.scales.split(",")})
    setup_django(args.database_url)
    load_demo()
    from networks.models import NetworkGroup

    original_ids = list(NetworkGroup.objects.values_list("pk", flat=True))
    rows, current = [], 1
    for scale in scales:
        grow_to(scale, current, args.year, original_ids)
        current = scale
        sizes = counts(args.year)
        for kind in ("annual", "calendar"):
            result = measure(kind, args.year)
            row = {"scale": scale, "kind": kind, **sizes, **result}
            rows.append(row)
            print(
                f"{scale:>4}× {kind:<8} {row['pages']:>5} pages {row['total_seconds']:8.2f} s "
                f"(before WeasyPrint {row['html_seconds']:.2f} s) peak {row['peak_rss_mb']:.0f} MB",
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps(rows), encoding="utf-8")
    if args.output != "-":
        command = "python benchmarks/reports.py " + " ".join(argv or sys.argv[1:])
        write_results(Path(args.output), command.strip(), rows)
        print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
