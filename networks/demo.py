"""Load the registry part of a demo data set: kinds, groups, districts, people, accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction

from core.demo import DemoDataError, LoadSummary, validated_save

from .models import (
    District,
    Forum,
    GroupRole,
    Municipality,
    NetworkGroup,
    NetworkKind,
    Organisation,
    Person,
)
from .permissions import ROLE_GROUPS, Role
from .services import role_group_setup

ACCOUNT_ROLES = tuple(role for role in Role if role != Role.PUBLIC)
MUNICIPALITY_FIELDS = (
    "name",
    "website",
    "email",
    "phone",
    "accessibility_compliance",
    "accessibility_known_gaps",
    "accessibility_contact_email",
    "accessibility_contact_phone",
    "accessibility_response_time",
    "accessibility_assessed_on",
    "accessibility_updated_on",
)


def _ensure(model, summary: LoadSummary, lookup: dict, values: dict):
    """Return the row with natural key `lookup`, creating it from `values` if it is missing.

    A row that exists is left as it is, so what staff changed in the admin survives the next
    `make run`.
    """
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = validated_save(model(**lookup, **values))
    summary.count(model._meta.verbose_name_plural, created)
    return instance


def _district(summary: LoadSummary, name: str) -> District:
    district = District.objects.filter(name__iexact=name).first()
    summary.count(District._meta.verbose_name_plural, district is None)
    return district or validated_save(District(name=name))


def _cadence(kind_data: dict) -> tuple[int | None, int | None]:
    cadence = kind_data.get("meetings_per_term")
    if cadence is None:
        return None, None
    if not (isinstance(cadence, list) and len(cadence) == 2):
        raise DemoDataError(f"meetings_per_term of {kind_data['slug']!r} must be [least, most].")
    low, high = cadence
    return low, high


@transaction.atomic
def demo_data_load(*, data: dict) -> LoadSummary:
    """Load a municipality's registry (kinds, groups, districts, people, accounts) from `data`.

    Every row is looked up by its natural key and created only when missing, so loading twice
    duplicates nothing and leaves edits made since untouched. Any error saves nothing.
    """
    summary = LoadSummary()
    _municipality_load(summary, data.get("municipality"))
    organisations = _Organisations(summary, data.get("organisations", []))
    people = _people_load(summary, data.get("people", []), organisations)
    for item in data.get("forums", []):
        forum = _ensure(
            Forum,
            summary,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "description": item.get("description", ""),
                "order": item.get("order", 0),
            },
        )
        if not forum.members.exists():
            forum.members.set(
                _person(people, email, f"forum {forum}") for email in item.get("members", [])
            )
    for kind_order, kind_data in enumerate(data.get("kinds", []), start=1):
        _kind_load(summary, kind_data, kind_order, organisations, people)
    for item in data.get("accounts", []):
        account = demo_account_create(
            username=item["username"],
            password=item["password"],
            role=item["role"],
            person=_person(people, item["person"], "accounts") if item.get("person") else None,
        )
        summary.count(get_user_model()._meta.verbose_name_plural, account is not None)
    return summary


def _municipality_load(summary: LoadSummary, municipality: dict | None) -> None:
    """Create the municipality running the portal: the first data set loaded names it."""
    if municipality and not Municipality.objects.exists():
        # full_clean() in validated_save turns the ISO dates into dates, and refuses bad ones.
        validated_save(
            Municipality(
                **{name: municipality[name] for name in MUNICIPALITY_FIELDS if name in municipality}
            )
        )
        summary.count(Municipality._meta.verbose_name_plural, True)


class _Organisations:
    """The data set's organisations by name, and those already in the registry."""

    def __init__(self, summary: LoadSummary, items: list):
        self.by_name = {
            item["name"]: _ensure(
                Organisation,
                summary,
                {"name": item["name"]},
                {"type": item["type"], "website": item.get("website", "")},
            )
            for item in items
        }

    def get(self, name: str | None) -> Organisation | None:
        if name is None:
            return None
        if name not in self.by_name:
            found = Organisation.objects.filter(name=name).first()
            if found is None:
                raise DemoDataError(f"Unknown organisation {name!r}: add it to 'organisations'.")
            self.by_name[name] = found
        return self.by_name[name]


def _people_load(summary: LoadSummary, items: list, organisations: _Organisations) -> dict:
    """Create the data set's people; return them by e-mail address, their key."""
    people = {}
    for item in items:
        if not item.get("email"):
            raise DemoDataError(f"{item.get('name')!r} needs an e-mail address: it is their key.")
        people[item["email"]] = _ensure(
            Person,
            summary,
            {"email": item["email"]},
            {
                "name": item["name"],
                "title": item.get("title", ""),
                "phone": item.get("phone", ""),
                "organisation": organisations.get(item.get("organisation")),
                "public_consent": item.get("public_consent", False),
            },
        )
    return people


def _person(people: dict, email: str, where: str) -> Person:
    if email not in people:
        raise DemoDataError(f"Unknown person {email!r} in {where}: add them to 'people'.")
    return people[email]


def _kind_load(summary, kind_data: dict, kind_order: int, organisations, people) -> None:
    """Create a kind of network with its groups, their districts and their people's roles."""
    low, high = _cadence(kind_data)
    kind = _ensure(
        NetworkKind,
        summary,
        {"slug": kind_data["slug"]},
        {
            "name": kind_data["name"],
            "short_name": kind_data.get("short_name", ""),
            "goal": kind_data.get("goal", ""),
            "purpose": kind_data.get("purpose", ""),
            "guidelines": "\n".join(kind_data.get("guidelines", [])),
            "meetings_per_term_min": low,
            "meetings_per_term_max": high,
            "order": kind_data.get("order", kind_order),
        },
    )
    for group_data in kind_data.get("groups", []):
        group = _ensure(
            NetworkGroup,
            summary,
            {"kind": kind, "slug": group_data["slug"]},
            {
                "name": group_data["name"],
                "description": group_data.get("description", ""),
                "running_organisation": organisations.get(group_data.get("running_organisation")),
                "active": group_data.get("active", True),
            },
        )
        if not group.districts.exists():
            group.districts.set(_district(summary, name) for name in group_data["districts"])
        for role_data in group_data.get("roles", []):
            _, created = GroupRole.objects.get_or_create(
                group=group,
                person=_person(people, role_data["person"], f"group {group}"),
                role=role_data["role"],
            )
            summary.count(GroupRole._meta.verbose_name_plural, created)


def demo_account_create(*, username: str, password: str, role: str, person: Person | None):
    """Create a demo login with `role` unless it exists; return it, or None if it existed."""
    if role not in ACCOUNT_ROLES:
        raise DemoDataError(f"Unknown role {role!r}; expected one of {', '.join(ACCOUNT_ROLES)}")
    role = Role(role)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return None
    user = User.objects.create_user(
        username=username,
        password=password,
        email=person.email if person else "",
        first_name=person.name.split(" ")[0] if person else "",
        last_name=" ".join(person.name.split(" ")[1:]) if person else "",
        is_staff=role in (Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER, Role.HEAD_OF_ADMINISTRATION),
        is_superuser=role == Role.ADMINISTRATOR,
    )
    if role in ROLE_GROUPS:
        user.groups.add(role_group_setup(role))
    if person is not None:
        person.user = user
        validated_save(person)
    return user
