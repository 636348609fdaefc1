"""Build the benchmark's databases: a large synthetic municipality, or the demo, in PostgreSQL.

    .venv/bin/python benchmarks/synthetic.py --database-url postgres://…/lokalsamverkan_bench
    .venv/bin/python benchmarks/synthetic.py --demo --database-url postgres://…/lokalsamverkan_bench_demo

Drops and recreates the database, migrates it and fills it: the default demo data set (with
its report narrative), or the synthetic municipality – by default 200 groups in 6 kinds, 2 000
districts, 10 years, 80 000 meetings, 20 000 activities and 10 years of budgets with spending and
applications – written with bulk_create in a few seconds. Both get a coordinator, `samordnare`,
who convenes some groups. Prints the row counts as JSON.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = "lokalsamverkan.settings.bench"
COORDINATOR = "samordnare"
COORDINATOR_GROUPS = 5
BATCH = 5000


def recreate_database(database_url: str) -> None:
    """Drop and create the database the URL names, then migrate it (in a child process)."""
    import psycopg
    from environ import Env

    config = Env.db_url_config(database_url)
    name = config["NAME"]
    admin = psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        check=True,
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS},
    )


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def load_demo() -> None:
    """Load the default demo data set, with its report narrative."""
    import io

    from django.core.management import call_command

    call_command("loaddemo", stdout=io.StringIO())


def _bulk(model, objects) -> list:
    return model.objects.bulk_create(objects, batch_size=BATCH)


def build(
    *,
    groups: int = 200,
    kinds: int = 6,
    districts: int = 2000,
    years: int = 10,
    meetings: int = 80_000,
    activities: int = 20_000,
) -> None:
    """Fill an empty database with a synthetic municipality of the given size.

    The years end two years ahead of today, so the public pages have meetings to come. Every
    group covers its share of the districts (and one of its neighbour's); three people per
    group (convener, contact person, member), two of three consenting to be shown.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from budget.models import (
        Application,
        ApplicationStatus,
        BudgetYear,
        Expense,
        ExpenseCategory,
        GroupAllocation,
        KindAllocation,
    )
    from meetings.models import (
        Activity,
        ActivityType,
        Meeting,
        MeetingStatus,
        MeetingType,
        Visibility,
    )
    from networks.models import (
        District,
        Forum,
        GroupRole,
        Municipality,
        NetworkGroup,
        NetworkKind,
        Organisation,
        Person,
    )
    from networks.search import search_key

    today = timezone.localdate()
    year_list = list(range(today.year - years + 3, today.year + 3))
    with transaction.atomic():
        Municipality.objects.create(name="Syntetisk kommun", website="https://example.org")
        organisations = _bulk(
            Organisation,
            [
                Organisation(name=f"Organisation {n:03d}", type=list(Organisation.Type)[n % 8])
                for n in range(60)
            ],
        )
        kind_rows = _bulk(
            NetworkKind,
            [
                NetworkKind(
                    name=f"Nätverkstyp {k + 1}",
                    short_name=f"Typ {k + 1}",
                    slug=f"natverkstyp-{k + 1}",
                    goal="Trygga och levande områden. " * 4,
                    purpose="Samverkan mellan förvaltningar, polis och föreningar. " * 3,
                    guidelines="Träffas regelbundet\nFör anteckningar\nBjud in boende",
                    meetings_per_term_min=3,
                    meetings_per_term_max=4,
                    order=k,
                )
                for k in range(kinds)
            ],
        )
        forums = _bulk(
            Forum,
            [
                Forum(name=f"Centralt forum {n + 1}", slug=f"forum-{n + 1}", order=n)
                for n in range(3)
            ],
        )
        district_rows = _bulk(
            District,
            [
                District(name=f"Område {n:04d}", search_name=search_key(f"Område {n:04d}"))
                for n in range(districts)
            ],
        )
        group_rows = _bulk(
            NetworkGroup,
            [
                NetworkGroup(
                    kind=kind_rows[n % kinds],
                    name=f"Grupp {n:03d}",
                    slug=f"grupp-{n:03d}",
                    search_name=search_key(f"Grupp {n:03d}"),
                    description="En lokal samverkansgrupp. " * 5,
                    running_organisation=organisations[n % len(organisations)],
                    # Every twentieth group has stopped meeting: not on public pages.
                    active=n % 20 != 19,
                )
                for n in range(groups)
            ],
        )
        share = max(1, districts // groups)
        links = NetworkGroup.districts.through
        _bulk(
            links,
            [
                links(networkgroup_id=group.pk, district_id=district_rows[d % districts].pk)
                for n, group in enumerate(group_rows)
                for d in range(n * share, n * share + share + 1)
            ],
        )
        people = _bulk(
            Person,
            [
                Person(
                    name=f"Person {n:04d}",
                    title="Samordnare",
                    organisation=organisations[n % len(organisations)],
                    email=f"person{n}@example.org",
                    phone="010-000 00 00",
                    public_consent=n % 3 != 2,
                )
                for n in range(groups * 3)
            ],
        )
        roles = [GroupRole.Role.CONVENER, GroupRole.Role.CONTACT_PERSON, GroupRole.Role.MEMBER]
        _bulk(
            GroupRole,
            [
                GroupRole(group=group, person=people[n * 3 + r], role=roles[r])
                for n, group in enumerate(group_rows)
                for r in range(3)
            ],
        )
        coordinator = get_user_model().objects.create_user(COORDINATOR, password="bench")
        person = Person.objects.create(name="Samordnaren", user=coordinator, public_consent=True)
        _bulk(
            GroupRole,
            [
                GroupRole(group=group, person=person, role=GroupRole.Role.CONVENER)
                for group in group_rows[:COORDINATOR_GROUPS]
            ],
        )

        owners = [{"group": g} for g in group_rows]
        owners += [{"kind": k} for k in kind_rows] + [{"forum": f} for f in forums]
        types = list(MeetingType)
        visibilities = list(Visibility)

        def meeting(n):
            owner = owners[n % len(owners)]
            year = year_list[(n // len(owners)) % len(year_list)]
            date = datetime.date(year, 1, 1) + datetime.timedelta(days=(n * 7919) % 365)
            past = date < today
            if n % 19 == 0:
                status = MeetingStatus.CANCELLED
            else:
                status = MeetingStatus.HELD if past else MeetingStatus.PLANNED
            timed = n % 5 != 0
            return Meeting(
                **owner,
                date=date,
                start_time=datetime.time(17 + n % 3) if timed else None,
                end_time=datetime.time(19 + n % 3) if timed else None,
                place=f"Lokal {n % 300}",
                type=types[0] if n % 9 else types[n % len(types)],
                status=status,
                visibility=Visibility.CONFIDENTIAL if n % 10 == 0 else Visibility.PUBLIC,
                participant_count=8 + n % 20 if status == MeetingStatus.HELD else None,
                agenda="Dagordning" if n % 2 else "",
                notes="Anteckningar från mötet. " * 10 if status == MeetingStatus.HELD else "",
                notes_visibility=visibilities[n % 3],
            )

        for start in range(0, meetings, BATCH):
            Meeting.objects.bulk_create(
                meeting(n) for n in range(start, min(meetings, start + BATCH))
            )

        activity_types = list(ActivityType)

        def activity(n):
            year = year_list[n % len(year_list)]
            date = datetime.date(year, 1, 1) + datetime.timedelta(days=(n * 104729) % 360)
            return Activity(
                type=activity_types[n % len(activity_types)],
                name=f"Aktivitet {n}",
                group=group_rows[n % groups],
                area=district_rows[(n * 7) % districts].name,
                start_date=date,
                end_date=date + datetime.timedelta(days=n % 3),
                theme="Trygghet" if n % 2 else "Fritid",
                participant_count=20 + n % 80,
                is_special=n % 10 == 0,
                visibility=Visibility.NETWORK if n % 15 == 0 else Visibility.PUBLIC,
            )

        for start in range(0, activities, BATCH):
            Activity.objects.bulk_create(
                activity(n) for n in range(start, min(activities, start + BATCH))
            )

        budget_years = _bulk(
            BudgetYear,
            [
                BudgetYear(
                    year=year,
                    pool_amount=Decimal("250000.00"),
                    pool_description="Övriga medel att söka.",
                    is_closed=year < today.year,
                )
                for year in year_list
            ],
        )
        _bulk(
            KindAllocation,
            [
                KindAllocation(
                    budget_year=budget_year,
                    kind=kind,
                    amount_per_group=Decimal(10000 + 2500 * (k % 3)),
                )
                for budget_year in budget_years
                for k, kind in enumerate(kind_rows)
            ],
        )
        _bulk(
            GroupAllocation,
            [
                GroupAllocation(
                    budget_year=budget_year,
                    group=group_rows[g],
                    amount=Decimal("20000.00"),
                    reason="Större område",
                )
                for budget_year in budget_years
                for g in range(0, groups, 10)
            ],
        )
        categories = list(ExpenseCategory)
        # Six expenses per group and year: 12 000 at 200 groups and 10 years.
        _bulk(
            Expense,
            [
                Expense(
                    budget_year=budget_year,
                    group=group,
                    date=datetime.date(budget_year.year, 1 + (e * 2 + g) % 12, 1 + (g + e) % 28),
                    amount=Decimal(250 + (g * 37 + e * 113) % 2000) + Decimal("0.50"),
                    category=categories[(g + e) % len(categories)],
                    description=f"Fika och lokalhyra {e + 1}",
                )
                for budget_year in budget_years
                for g, group in enumerate(group_rows)
                for e in range(6)
            ],
        )
        statuses = list(ApplicationStatus)
        # Sixty applications a year for the pooled funds, decided but for the latest.
        applications = []
        for budget_year in budget_years:
            for a in range(60):
                status = statuses[a % len(statuses)]
                requested = Decimal(3000 + (a * 211) % 9000)
                granted = {
                    ApplicationStatus.GRANTED: requested,
                    ApplicationStatus.PARTLY_GRANTED: (requested / 2).quantize(Decimal("1")),
                }.get(status)
                applications.append(
                    Application(
                        budget_year=budget_year,
                        group=group_rows[(a * 3) % groups],
                        amount_requested=requested,
                        purpose="Aktivitetsdag för boende i området.",
                        activity_description="Aktivitetsdag",
                        planned_for="Under våren",
                        status=status,
                        amount_granted=granted,
                        decision_reason="" if status == ApplicationStatus.SUBMITTED else "Beslut",
                        decided_at=None
                        if status == ApplicationStatus.SUBMITTED
                        else timezone.now(),
                    )
                )
        _bulk(Application, applications)


def counts() -> dict:
    from budget.models import Application, BudgetYear, Expense
    from meetings.models import Activity, Meeting
    from networks.models import District, NetworkGroup, NetworkKind

    return {
        "kinds": NetworkKind.objects.count(),
        "groups": NetworkGroup.objects.count(),
        "districts": District.objects.count(),
        "meetings": Meeting.objects.count(),
        "activities": Activity.objects.count(),
        "budget_years": BudgetYear.objects.count(),
        "expenses": Expense.objects.count(),
        "applications": Application.objects.count(),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--demo", action="store_true", help="load the demo instead")
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--districts", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=80_000)
    parser.add_argument("--activities", type=int, default=20_000)
    args = parser.parse_args(argv)
    recreate_database(args.database_url)
    setup_django(args.database_url)
    if args.demo:
        load_demo()
    else:
        build(
            groups=args.groups,
            districts=args.districts,
            meetings=args.meetings,
            activities=args.activities,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from portal.public_cache import bump_data_version

    bump_data_version()
    print(json.dumps(counts()))


if __name__ == "__main__":
    main()
