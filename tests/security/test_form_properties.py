"""Arbitrary input to the meeting, activity, expense and application forms never breaks them.

Hypothesis throws anything at the create and edit views as a coordinator who may use them:
text in any script, NUL bytes, huge strings, numbers of every size, impossible dates, forged
choices, missing fields, a missing or garbled one-time key. Whatever comes in, the answer is
never a server error; it is either a redirect with a complete, valid object saved, or the
form again with its errors shown beside the fields – and then not one row was added or
changed anywhere, related rows included.
"""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.models import Application, Expense
from meetings.models import Activity, Meeting, MeetingSeries
from submissions.forms import KEY
from tests.factories.accounts import coordinator_of
from tests.factories.budget import (
    BudgetYearFactory,
    ExpenseFactory,
    KindAllocationFactory,
)
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
)
from tests.meetings.test_coordinator_pages import field_error
from tests.submitted import fresh_key
from tests.text import sv

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what people (and attackers) type ----------------------------------------------------------

junk = st.one_of(
    st.text(max_size=40),
    # Every code point a browser can send: lone surrogates cannot be encoded as UTF-8.
    st.text(
        alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"]),
        max_size=20,
    ),
    st.just("\x00"),
    st.just("a\x00b"),
    st.just("x" * 70_000),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just(""),
    st.just("   "),
    st.just("<script>alert(1)</script>"),
)
today = datetime.date.today()
dates = st.one_of(
    st.dates(min_value=today - datetime.timedelta(days=400), max_value=today).map(str),
    st.dates().map(str),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.sampled_from(["2025-02-30", "0000-00-00", "9999-12-31", "2025-13-01"]),
    junk,
)
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.just("24:00"), junk)
counts = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), junk)
money = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-1000, max_value=10**9, places=2).map(str),
    st.sampled_from(["10 000,50", "1 250", "0", "-5", "1e5", "99999999,99", "100000000", "sNaN"]),
    junk,
)
booleans = st.sampled_from(["on", "", "true", "false", "\x00"])
texts = st.one_of(st.text(max_size=300), junk)


def choice(*valid):
    return st.one_of(st.sampled_from(valid), junk)


def id_of(*valid):
    """A choice of object ids: real ones (allowed or not), made up ones, and junk."""
    return st.one_of(st.sampled_from([str(pk) for pk in valid]), counts, junk)


MISSING = object()
# How often each form saved (302) and refused (200): printed with -s, to see both happen.
OUTCOMES = {}


def form_data(valid: dict, fields: dict):
    """Return a strategy of POST data: a valid form with up to four fields changed or left out.

    Starting from valid data makes some examples pass, so both outcomes are exercised.
    """

    def changed(names):
        return st.fixed_dictionaries(
            {name: st.one_of(st.just(MISSING), fields[name]) for name in names}
        )

    def merged(changes):
        data = {**valid, **changes}
        return {name: value for name, value in data.items() if value is not MISSING}

    return st.sets(st.sampled_from(sorted(fields)), max_size=4).flatmap(changed).map(merged)


# --- the world --------------------------------------------------------------------------------


@pytest.fixture
def world():
    """A coordinator of group A; group B they may not use; a budget year; things to edit."""
    MunicipalityFactory()
    kind = NetworkKindFactory()
    group_a = NetworkGroupFactory(kind=kind, name="Grupp A")
    group_b = NetworkGroupFactory(kind=kind, name="Grupp B")
    budget_year = BudgetYearFactory(year=timezone.localdate().year)
    KindAllocationFactory(budget_year=budget_year, kind=kind)
    return {
        "a": group_a.pk,
        "b": group_b.pk,
        "kind": kind.pk,
        "organisation": OrganisationFactory().pk,
        "budget_year": budget_year.pk,
        "user": coordinator_of(group_a, username="samordnare_a"),
        "meeting": MeetingFactory(group=group_a),
        "activity": ActivityFactory(group=group_a),
        "expense": ExpenseFactory(budget_year=budget_year, group=group_a, date=today),
        "other_activity": ActivityFactory(group=group_b).pk,
    }


def valid_meeting(w):
    return {
        **fresh_key(),
        "owner": f"group:{w['a']}",
        "status": "planned",
        "date": str(today),
        "start_time": "15:00",
        "end_time": "17:00",
        "place": "Biblioteket",
        "type": "ordinary",
        "visibility": "public",
        "notes_visibility": "confidential",
    }


def valid_series(w):
    return {
        **fresh_key(),
        "owner": f"group:{w['a']}",
        "first": str(today + datetime.timedelta(days=7)),
        "last": str(today + datetime.timedelta(days=28)),
        "every_weeks": "1",
        "type": "ordinary",
        "visibility": "public",
    }


def valid_activity(w):
    return {
        **fresh_key(),
        "type": "activity_day",
        "group": str(w["a"]),
        "area": "Hulta",
        "visibility": "public",
        "start_date": str(today),
    }


def valid_expense(w):
    return {
        **fresh_key(),
        "group": str(w["a"]),
        "date": str(today),
        "amount": "100",
        "category": "hosting",
        "description": "Fika",
    }


def valid_application(w):
    return {
        **fresh_key(),
        "budget_year": str(w["budget_year"]),
        "group": str(w["a"]),
        "amount_requested": "1 000",
        "purpose": "Sommarlovsaktiviteter",
    }


def meeting_fields(w):
    return {
        KEY: junk,
        "owner": choice(f"group:{w['a']}", f"group:{w['b']}", f"kind:{w['kind']}", "group:x"),
        "status": choice("planned", "held", "cancelled"),
        "date": dates,
        "start_time": times,
        "end_time": times,
        "place": texts,
        "type": choice("ordinary", "extra", "citizen_dialogue"),
        "visibility": choice("public", "network", "confidential", "restricted"),
        "agenda": texts,
        "participant_count": counts,
        "organisations": st.lists(id_of(w["organisation"], 0), max_size=3),
        "notes": texts,
        "notes_visibility": choice("public", "network", "confidential", "restricted"),
        "follow_up": texts,
    }


def series_fields(w):
    return {
        KEY: junk,
        "owner": choice(f"group:{w['a']}", f"group:{w['b']}"),
        "first": dates,
        "last": dates,
        "every_weeks": counts,
        "start_time": times,
        "end_time": times,
        "place": texts,
        "type": choice("ordinary", "extra"),
        "visibility": choice("public", "network", "confidential", "restricted"),
        "agenda": texts,
    }


def activity_fields(w):
    return {
        KEY: junk,
        "type": choice("activity_day", "safety_walk", "citizen_dialogue", "general_meeting"),
        "name": texts,
        "group": id_of(w["a"], w["b"]),
        "area": texts,
        "start_date": dates,
        "end_date": dates,
        "theme": texts,
        "participant_count": counts,
        "partners": st.lists(id_of(w["organisation"]), max_size=2),
        "description": texts,
        "is_special": booleans,
        "visibility": choice("public", "network", "confidential", "restricted"),
    }


def expense_fields(w):
    return {
        KEY: junk,
        "group": id_of(w["a"], w["b"]),
        "date": dates,
        "amount": money,
        "category": choice("hosting", "material", "other"),
        "description": texts,
        "receipt": st.binary(max_size=200).map(
            lambda content: SimpleUploadedFile("kvitto.pdf", content)
        ),
        "remove_receipt": booleans,
    }


def application_fields(w):
    return {
        KEY: junk,
        "budget_year": id_of(w["budget_year"]),
        "group": id_of(w["a"], w["b"]),
        "amount_requested": money,
        "purpose": texts,
        "activity": id_of(w["activity"].pk, w["other_activity"]),
        "activity_description": texts,
        "planned_for": texts,
    }


# --- the property ---------------------------------------------------------------------------

RELATED = {
    "meetings": Meeting.organisations.through,
    "partners": Activity.partners.through,
}
COUNTED = (
    Meeting,
    Meeting.history.model,
    MeetingSeries,
    Activity,
    Activity.history.model,
    Expense,
    Expense.history.model,
    Application,
    Application.history.model,
    *RELATED.values(),
)


def rows():
    """Return every row of the tables the forms write: values, so changes show too."""
    return {
        model._meta.label: [model_to_dict(obj) for obj in model.objects.order_by("pk")]
        for model in COUNTED
    }


def check_post(client, world, url, data, model):
    """POST `data`; assert a valid object was saved, or errors shown and nothing changed."""
    client.force_login(world["user"])
    latest = model.objects.aggregate(latest=Max("pk"))["latest"] or 0
    before = rows()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    OUTCOMES[url, response.status_code] = OUTCOMES.get((url, response.status_code), 0) + 1
    if response.status_code == 302:
        for obj in model.objects.filter(pk__gt=latest):
            obj.full_clean()
        return
    assert rows() == before, "the form was refused but something was saved"
    form = response.context["form"]
    assert form.errors, "the form came back without saying what is wrong"
    page = html.unescape(response.content.decode())
    for field, errors in form.errors.items():
        if field != "__all__":
            # Tied to its field: the error block the field's aria-describedby names.
            assert f'id="id_{field}_error"' in page, f"the error of {field} is not beside it"
        for error in errors:
            assert error in page, f"the error of {field} is not shown: {error}"


@EXAMPLES
@given(data=st.data())
def test_meeting_create_takes_anything(client, world, data):
    """Any input to the new-meeting form: saved whole and valid, or refused with nothing saved."""
    post = data.draw(form_data(valid_meeting(world), meeting_fields(world)))
    check_post(client, world, reverse("meetings:meeting_create"), post, Meeting)


@EXAMPLES
@given(data=st.data())
def test_meeting_edit_takes_anything(client, world, data):
    """Any input to a meeting's edit form: saved valid, or refused with the meeting unchanged."""
    post = data.draw(form_data(valid_meeting(world), meeting_fields(world)))
    meeting = world["meeting"]
    url = reverse("meetings:meeting_edit", kwargs={"pk": meeting.pk})
    check_post(client, world, url, post, Meeting)
    meeting.refresh_from_db()
    meeting.full_clean()


@settings(EXAMPLES, max_examples=20)
@given(data=st.data())
def test_meeting_series_create_takes_anything(client, world, data):
    """Any input to the series form: all its meetings valid, or none saved."""
    post = data.draw(form_data(valid_series(world), series_fields(world)))
    check_post(client, world, reverse("meetings:meeting_series_create"), post, Meeting)


@EXAMPLES
@given(data=st.data())
def test_activity_create_and_edit_take_anything(client, world, data):
    """Any input to the activity forms: saved whole and valid, or refused with nothing saved."""
    post = data.draw(form_data(valid_activity(world), activity_fields(world)))
    check_post(client, world, reverse("meetings:activity_create"), post, Activity)
    activity = world["activity"]
    url = reverse("meetings:activity_edit", kwargs={"pk": activity.pk})
    check_post(client, world, url, post, Activity)
    activity.refresh_from_db()
    activity.full_clean()


@EXAMPLES
@given(data=st.data())
def test_expense_create_and_edit_take_anything(client, world, data):
    """Any input, any file, to the expense forms: saved valid, or refused with nothing saved."""
    post = data.draw(form_data(valid_expense(world), expense_fields(world)))
    check_post(client, world, reverse("budget:expense_create"), post, Expense)
    if "receipt" in post:
        post["receipt"].seek(0)
    expense = world["expense"]
    url = reverse("budget:expense_edit", kwargs={"pk": expense.pk})
    check_post(client, world, url, post, Expense)
    expense.refresh_from_db()
    expense.full_clean()


@EXAMPLES
@given(data=st.data())
def test_application_create_takes_anything(client, world, data):
    """Any input to the application form: saved whole and valid, or refused with nothing saved."""
    post = data.draw(form_data(valid_application(world), application_fields(world)))
    check_post(client, world, reverse("budget:application_create"), post, Application)


@pytest.mark.parametrize(
    ("url_name", "valid", "model", "field"),
    [
        ("meetings:meeting_create", "valid_meeting", Meeting, "organisations"),
        ("meetings:activity_create", "valid_activity", Activity, "partners"),
        ("meetings:activity_create", "valid_activity", Activity, "group"),
        ("budget:expense_create", "valid_expense", Expense, "group"),
        ("budget:application_create", "valid_application", Application, "group"),
    ],
)
@pytest.mark.parametrize("pk", [str(2**63), str(-(2**63) - 1), "1" * 40])
def test_an_id_no_database_can_hold_is_refused_beside_its_field(
    client, world, url_name, valid, model, field, pk
):
    """A chosen id past the database's integer range is an invalid choice, not a server error."""
    post = {**globals()[valid](world), field: [pk]}
    check_post(client, world, reverse(url_name), post, model)


# --- Swedish messages beside the field ------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("meetings:meeting_create", "date"),
        ("meetings:meeting_series_create", "first"),
        ("meetings:activity_create", "area"),
        ("budget:expense_create", "description"),
        ("budget:application_create", "purpose"),
    ],
)
def test_an_empty_form_is_explained_in_swedish_beside_each_field(client, world, url_name, field):
    """Sent empty, each form says in Swedish, beside the required field, what is missing."""
    client.force_login(world["user"])
    response = client.post(reverse(url_name), {})
    assert response.status_code == 200
    assert field_error(response.content.decode(), field) == sv("This field is required.")


def test_property_data_can_succeed(client, world):
    """Control: well-formed data through the same check saves, so the properties test both ways."""
    client.force_login(world["user"])
    before = Meeting.objects.count()
    post = {
        **fresh_key(),
        "owner": f"group:{world['a']}",
        "status": "planned",
        "date": str(timezone.localdate()),
        "type": "ordinary",
        "visibility": "public",
        "notes_visibility": "confidential",
    }
    check_post(client, world, reverse("meetings:meeting_create"), post, Meeting)
    assert Meeting.objects.count() == before + 1


@pytest.fixture(autouse=True, scope="module")
def report_outcomes():
    yield
    print("\nForm outcomes (url, status): count", OUTCOMES)
