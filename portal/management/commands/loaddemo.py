"""Load a municipality's demo data set: `python manage.py loaddemo [NAME_OR_PATH]`."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_TOTP_SECRET, demo_second_factor_load
from budget.demo import demo_budget_load
from core.demo import DemoDataError
from meetings.demo import demo_meetings_load
from networks.demo import demo_data_load
from news.demo import demo_news_load
from reports.demo import demo_report_texts_load

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
# Which data set `make run` loads is data too: the name in demo/DEFAULT.
DEFAULT_FILE = DEMO_DIR / "DEFAULT"


class Command(BaseCommand):
    help = (
        "Load a demo data set (default: the one named in demo/DEFAULT). "
        "Loading twice duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "dataset",
            nargs="?",
            default=None,
            help="A name in demo/ or a path to a JSON file (default: the name in demo/DEFAULT).",
        )

    def handle(self, *args, dataset, **options):
        dataset = dataset or DEFAULT_FILE.read_text(encoding="utf-8").strip()
        path = Path(dataset)
        if not path.is_file():
            path = DEMO_DIR / f"{dataset}.json"
        if not path.is_file():
            names = ", ".join(sorted(p.stem for p in DEMO_DIR.glob("*.json")))
            raise CommandError(f"No data set {dataset!r}. Available: {names}")
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            # The registry, the meetings, the budget and the news load together: an error in any
            # saves nothing.
            with transaction.atomic():
                summary = demo_data_load(data=data)
                meetings_summary = demo_meetings_load(data=data)
                budget_summary = demo_budget_load(data=data)
                news_summary = demo_news_load(data=data)
                report_summary = demo_report_texts_load(data=data)
                second_factor_summary = demo_second_factor_load(data=data)
        except (DemoDataError, KeyError, ValueError, ValidationError) as error:
            raise CommandError(f"{path.name} was not loaded, nothing was saved: {error}") from error
        created = ", ".join(
            filter(
                None,
                (
                    str(summary),
                    str(meetings_summary),
                    str(budget_summary),
                    str(news_summary),
                    str(report_summary),
                    str(second_factor_summary),
                ),
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Loaded {path.name}. Created: {created}"))
        self.stdout.write(
            self.style.WARNING(
                "Demo only: the accounts that need a code from an authenticator app share the "
                f'published secret {DEMO_TOTP_SECRET} (README, "Demo accounts"). Never load '
                "demo data on a server anyone else can reach."
            )
        )
