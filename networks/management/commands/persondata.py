"""Export or remove a person's data: `manage.py persondata export|remove <id or e-mail>`.

What the export holds and what removal keeps for the archive: networks/personal_data.py and the
README's "Personuppgifter".
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from networks.models import Person
from networks.personal_data import person_export, person_find, person_remove


class Command(BaseCommand):
    help = "Export a person's data as JSON, or remove the person where the archive rules allow."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "remove"])
        parser.add_argument("person", help="the person's id or e-mail address")
        parser.add_argument(
            "--output", help="export: write the JSON to this file instead of the screen"
        )
        parser.add_argument(
            "--yes", action="store_true", help="remove: do not ask for confirmation"
        )

    def handle(self, *args, action, person, output=None, yes=False, **options):
        try:
            found = person_find(person)
        except Person.DoesNotExist:
            raise CommandError(f"No person with the id or e-mail address {person!r}.") from None
        except Person.MultipleObjectsReturned:
            raise CommandError(
                f"Several people have the e-mail address {person!r}: give the id instead."
            ) from None
        if action == "export":
            text = json.dumps(person_export(found), ensure_ascii=False, indent=2)
            if output:
                with open(output, "w", encoding="utf-8") as file:
                    file.write(text + "\n")
                self.stdout.write(f"Wrote the data of {found.name} (id {found.pk}) to {output}.")
            else:
                self.stdout.write(text)
            return
        if not yes:
            answer = input(f"Remove {found.name} (id {found.pk}) for good? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was removed.")
        try:
            removal = person_remove(person=found)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Removed {removal.person}: {removal.roles_deleted} roles deleted; "
            + (
                f"user account anonymised and deactivated, {removal.records_kept} archived "
                f"records kept, {removal.login_records_deleted} login records deleted."
                if removal.account_anonymised
                else "no user account."
            )
        )
