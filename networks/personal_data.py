"""A person's data: everything the portal keeps about them, as JSON, and its removal.

The portal keeps people (name, title, organisation, e-mail, phone, consent), their roles in the
groups, and – for those who work in the portal – a user account, which is linked to what they
did: expenses recorded, applications made or decided, meeting series planned, reports asked for,
report texts written, news written, and the history of changes.

Removal follows the archive rules (README, "Personuppgifter"): the person and their roles are
deleted; a user account is anonymised and deactivated rather than deleted, so that the records
that are public documents to be archived – decided applications, expenses, held meetings and
their history – stay whole, pointing to an account that no longer names anyone. Free text
written into those records (an application's purpose, a meeting's notes) is part of the record
and is not changed here. Login records of the account (django-axes) are deleted.
"""

import dataclasses
from collections.abc import Iterable

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Person

# The account fields an export shows: never the password or anything secret.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
)
# The links from records to a user account: (app label, model, field, what it means).
USER_LINKS = (
    ("meetings", "MeetingSeries", "created_by", "meeting_series_created"),
    ("documents", "Document", "created_by", "documents_created"),
    ("documents", "DocumentVersion", "uploaded_by", "document_versions_uploaded"),
    ("budget", "Expense", "created_by", "expenses_recorded"),
    ("budget", "Application", "applicant", "applications_made"),
    ("budget", "Application", "decided_by", "applications_decided"),
    ("budget", "BudgetYear", "closed_by", "budget_years_closed"),
    ("reports", "ReportJob", "requested_by", "reports_requested"),
    ("reports", "AnnualReportText", "updated_by", "report_texts_written"),
    ("news", "NewsItem", "author", "news_written"),
    ("members", "Invitation", "invited_by", "invitations_sent"),
)
# The models whose history of changes names the user who made each change.
HISTORY_MODELS = (
    ("meetings", "Meeting"),
    ("meetings", "Activity"),
    ("budget", "Expense"),
    ("budget", "Application"),
    ("news", "NewsItem"),
)
REMOVED_USERNAME = "borttagen-{pk}"


def person_find(identifier: str) -> Person:
    """Return the person with this id or e-mail address; raise Person.DoesNotExist if none.

    An e-mail address may belong to several people: that is refused as ambiguous.
    """
    identifier = identifier.strip()
    if identifier.isdigit():
        return Person.objects.get(pk=int(identifier))
    try:
        validate_email(identifier)
    except ValidationError:
        raise Person.DoesNotExist(identifier) from None
    matches = list(Person.objects.filter(email__iexact=identifier)[:2])
    if not matches:
        raise Person.DoesNotExist(identifier)
    if len(matches) > 1:
        raise Person.MultipleObjectsReturned(identifier)
    return matches[0]


def _value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _record(obj) -> dict:
    """Return a record as id, text and link, enough to find it again."""
    return {"model": obj._meta.label, "id": obj.pk, "text": str(obj)}


def person_export(person: Person) -> dict:
    """Return everything the portal keeps about `person`, ready for json.dumps."""
    roles = person.group_roles.select_related("group", "group__kind")
    data = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": person.pk,
            "name": person.name,
            "title": person.title,
            "organisation": str(person.organisation) if person.organisation_id else None,
            "email": person.email,
            "phone": person.phone,
            "public_consent": person.public_consent,
        },
        "roles": [
            {"group": role.group.name, "kind": role.group.kind.name, "role": role.role}
            for role in roles
        ],
        "user_account": None,
        "records": {},
    }
    user = person.user
    if user is None:
        return data
    data["user_account"] = {
        "id": user.pk,
        **{name: _value(getattr(user, name)) for name in USER_FIELDS},
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }
    records = {}
    for app_label, model_name, field, meaning in USER_LINKS:
        model = apps.get_model(app_label, model_name)
        records[meaning] = [_record(obj) for obj in model.objects.filter(**{field: user})]
    records["changes_in_history"] = {
        f"{app_label}.{model_name}": apps.get_model(app_label, model_name)
        .history.filter(history_user=user)
        .count()
        for app_label, model_name in HISTORY_MODELS
    }
    records["logins"] = [
        {
            "at": _value(log.attempt_time),
            "ip_address": log.ip_address,
            "logged_out_at": _value(log.logout_time),
        }
        for log in AccessLog.objects.filter(username=user.get_username())
    ]
    data["records"] = records
    return data


@dataclasses.dataclass
class Removal:
    """What a removal did, to tell the person who asked."""

    person: str
    roles_deleted: int = 0
    account_anonymised: bool = False
    records_kept: int = 0
    login_records_deleted: int = 0


def _check_removable(person: Person) -> None:
    user = person.user
    if user is not None and user.is_superuser:
        raise ValidationError(
            _(
                "%(name)s has an administrator account. Take away the administrator rights "
                "first, so that the portal never loses its last administrator by mistake."
            )
            % {"name": person.name}
        )


@transaction.atomic
def person_remove(*, person: Person) -> Removal:
    """Delete `person` and their roles; anonymise and deactivate their user account.

    Records that are kept for the archive (see the module docstring) keep pointing to the
    anonymised account. Raise ValidationError when the person may not be removed.
    """
    _check_removable(person)
    removal = Removal(person=person.name)
    removal.roles_deleted = person.group_roles.count()
    user = person.user
    person.delete()  # the roles go with the person (on_delete=CASCADE)
    if user is not None:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            deleted, _counts = model.objects.filter(username=user.get_username()).delete()
            removal.login_records_deleted += deleted
        removal.records_kept = sum(
            apps.get_model(app_label, model_name).objects.filter(**{field: user}).count()
            for app_label, model_name, field, _meaning in USER_LINKS
        )
        user.username = REMOVED_USERNAME.format(pk=user.pk)
        user.first_name = user.last_name = user.email = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()  # also ends every session the account had
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        removal.account_anonymised = True
    return removal


def people_remove(*, people: Iterable[Person]) -> list[Removal]:
    """Remove several people, all or none."""
    with transaction.atomic():
        return [person_remove(person=person) for person in people]
