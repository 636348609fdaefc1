"""A form that creates something saves once per rendered form, whatever the browser sends.

A double click, the browser's "send again" or two requests at the same moment post the same
rendered form, with the same one-time key: the first creates, every other one creates nothing
and lands where the first went. A form rendered anew has a new key and may create an identical
second row on purpose. A form without its key saves nothing and asks to be sent again.
"""

import threading
import time

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import core.views
from budget.models import Application, Expense
from meetings.models import Activity, Meeting, MeetingSeries
from networks.permissions import Role
from submissions.forms import KEY, KEY_MISSING, SENT_BEFORE, SENT_ELSEWHERE
from submissions.models import FormSubmission
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.budget import BudgetYearFactory, KindAllocationFactory
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory, NetworkKindFactory
from tests.security.test_form_properties import (
    valid_activity,
    valid_application,
    valid_expense,
    valid_meeting,
    valid_series,
)
from tests.submitted import key_of
from tests.text import sv

# Every view that creates something from a form, its data, and the rows one sending creates.
# The data are the form properties test's valid data: a new one-time key each time.
CREATE_FORMS = [
    pytest.param("meetings:meeting_create", valid_meeting, {Meeting: 1}, id="meeting"),
    pytest.param(
        "meetings:meeting_series_create",
        valid_series,
        {MeetingSeries: 1, Meeting: 4},
        id="series",
    ),
    pytest.param("meetings:activity_create", valid_activity, {Activity: 1}, id="activity"),
    pytest.param("budget:expense_create", valid_expense, {Expense: 1}, id="expense"),
    pytest.param(
        "budget:application_create", valid_application, {Application: 1}, id="application"
    ),
]
COUNTED = (Meeting, MeetingSeries, Activity, Expense, Application, FormSubmission)


def counts():
    return {model: model.objects.count() for model in COUNTED}


def after(before, per_sending, times):
    """Return the row counts after `times` sendings, each creating `per_sending` rows and
    keeping its key."""
    rows = {**per_sending, FormSubmission: 1}
    return {model: count + rows.get(model, 0) * times for model, count in before.items()}


@pytest.fixture
def setting(db):
    MunicipalityFactory()
    kind = NetworkKindFactory()
    group = NetworkGroupFactory(kind=kind)
    year = BudgetYearFactory(year=timezone.localdate().year)
    KindAllocationFactory(budget_year=year, kind=kind)
    # What the form properties test's valid data need: the group's and the year's ids.
    return {
        "a": group.pk,
        "budget_year": year.pk,
        "user": coordinator_of(group, username="samordnare"),
    }


def rendered_key(client, url) -> str:
    """Open the form page as a browser does and return the key its form carries."""
    response = client.get(url)
    assert response.status_code == 200
    return key_of(response.content.decode())


def text_of(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(("url_name", "data", "per_sending"), CREATE_FORMS)
def test_the_same_rendered_form_sent_twice_creates_once_and_lands_in_the_same_place(
    client, setting, url_name, data, per_sending
):
    """Sent twice with its key, a form creates one row; the second answer is the first's
    redirect, saying the form was saved once."""
    client.force_login(setting["user"])
    url = reverse(url_name)
    post = {**data(setting), KEY: rendered_key(client, url)}
    before = counts()

    first = client.post(url, post)
    second = client.post(url, post)

    assert first.status_code == 302, text_of(first)[:3000]
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert counts() == after(before, per_sending, 1)
    assert sv(SENT_BEFORE) in text_of(client.get(second["Location"]))


@pytest.mark.parametrize(("url_name", "data", "per_sending"), CREATE_FORMS)
def test_a_form_rendered_anew_creates_an_identical_second_row(
    client, setting, url_name, data, per_sending
):
    """Each rendering has its own key, so the same data sent from a new form saves again."""
    client.force_login(setting["user"])
    url = reverse(url_name)
    before = counts()
    for _ in range(2):
        post = {**data(setting), KEY: rendered_key(client, url)}
        assert client.post(url, post).status_code == 302
    assert counts() == after(before, per_sending, 2)


@pytest.mark.parametrize(("url_name", "data", "per_sending"), CREATE_FORMS)
@pytest.mark.parametrize("key", [None, "", "not-a-key", "1" * 40])
def test_a_form_without_its_key_saves_nothing_and_asks_to_be_sent_again(
    client, setting, url_name, data, per_sending, key
):
    """A missing or garbled key (an old or forged form) is refused next to "nothing was
    saved"; the form shown again has a fresh key, and sending it saves."""
    client.force_login(setting["user"])
    url = reverse(url_name)
    post = data(setting)
    del post[KEY]
    if key is not None:
        post[KEY] = key
    before = counts()

    refused = client.post(url, post)

    assert refused.status_code == 200
    assert counts() == before
    page = text_of(refused)
    assert sv("Nothing was saved. Please correct the following:") in page
    assert sv(KEY_MISSING) in page
    fresh = key_of(page)
    assert fresh != key
    assert client.post(url, {**post, KEY: fresh}).status_code == 302
    assert counts() == after(before, per_sending, 1)


def test_another_users_key_leads_nowhere_and_saves_nothing(client, setting):
    """A key someone else's form was saved with is no way to their meeting: refused."""
    url = reverse("meetings:meeting_create")
    post = valid_meeting(setting)
    client.force_login(setting["user"])
    first = client.post(url, post)
    assert first.status_code == 302
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    before = counts()

    response = client.post(url, post)

    assert response.status_code == 200 and counts() == before
    assert sv(SENT_ELSEWHERE) in text_of(response)
    assert first["Location"] not in text_of(response)


def test_a_form_whose_meeting_was_deleted_meanwhile_says_it_was_sent(client, setting):
    """Sent again after what it created was deleted, a form creates nothing anew either."""
    client.force_login(setting["user"])
    url = reverse("meetings:meeting_create")
    post = valid_meeting(setting)
    assert client.post(url, post).status_code == 302
    Meeting.objects.all().delete()

    response = client.post(url, post)

    assert response.status_code == 200 and not Meeting.objects.exists()
    assert sv(SENT_ELSEWHERE) in text_of(response)


def test_a_refused_form_keeps_its_key_free_for_the_corrected_sending(client, setting):
    """A form refused for its errors claimed nothing: corrected, the same rendering saves."""
    client.force_login(setting["user"])
    url = reverse("budget:expense_create")
    post = valid_expense(setting)
    refused = client.post(url, {**post, "amount": "-5"})
    assert refused.status_code == 200 and key_of(text_of(refused)) == post[KEY]
    assert not FormSubmission.objects.exists()

    assert client.post(url, post).status_code == 302
    assert Expense.objects.count() == 1


def test_an_edit_form_has_no_key_and_saves_as_before(client, setting):
    """Changing an existing object is no creation: its form carries no key and needs none."""
    client.force_login(setting["user"])
    create = reverse("meetings:meeting_create")
    client.post(create, valid_meeting(setting))
    saved = Meeting.objects.get()
    edit = reverse("meetings:meeting_edit", kwargs={"pk": saved.pk})
    assert f'name="{KEY}"' not in text_of(client.get(edit))
    changed = {**valid_meeting(setting), "place": "Stadshuset"}
    assert client.post(edit, changed).status_code == 302
    saved.refresh_from_db()
    assert saved.place == "Stadshuset"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("url_name", "data", "per_sending"), CREATE_FORMS)
def test_the_same_form_sent_twice_at_the_same_moment_creates_once(
    monkeypatch, setting, url_name, data, per_sending
):
    """Two requests with one key at once: the second's claim waits for the first and then
    fails, so exactly one row is created and both land in the same place."""
    # Widen the race: each write pauses before it validates and saves, so both requests are
    # inside it together – unless the claim of the key makes the second wait for the first.
    write = core.views._valid_write

    def slow_write(*args):
        time.sleep(0.3)
        return write(*args)

    monkeypatch.setattr(core.views, "_valid_write", slow_write)
    url = reverse(url_name)
    post = data(setting)
    before = counts()
    start = threading.Barrier(2)
    answers = []

    def send():
        try:
            client = Client()
            client.force_login(setting["user"])
            start.wait(timeout=10)
            response = client.post(url, post)
            answers.append((response.status_code, response.get("Location")))
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    assert len(answers) == 2 and answers[0] == answers[1] and answers[0][0] == 302, answers
    assert counts() == after(before, per_sending, 1)
