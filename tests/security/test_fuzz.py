"""No absurd value in an address or a form ends in a server error, whoever sends it.

Every URL the access matrix requests (tests/security/test_access_matrix.py: its world and its
table of every URL pattern) is requested again with absurd values – numbers past the edges of
32- and 64-bit integers, negative numbers, years no date can hold, non-numbers, empty, unicode,
NUL, a very long string – in every path parameter; in every query parameter a page reads (the
portal's, and on an admin page the admin's own and the model's fields, which an add page takes
as initial values); in the admin's list parameters (search, ordering, page, date hierarchy,
every list filter); and in every field of the forms the matrix posts. Any answer will do but a
server error: no 500, and no traceback in the body.

A fixed table of values, not random ones: the same requests on every run, on SQLite and on
PostgreSQL. To keep the run short, each request goes as the next role in turn of those the
page lets in (the matrix's table says which): every role sends absurd values to every page it
reaches, and every value reaches every parameter, without sending each value as every role.
"""

import itertools
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

from tests.security import test_access_matrix as matrix

pytestmark = pytest.mark.django_db

# The access matrix's fixture: the same world, the same objects behind every URL.
world = matrix.world

ROLES = ("anonymous", "coordinator_a", "developer", "head", "admin")
STAFF = ("developer", "head", "admin")

# Numbers at and past every edge: 32- and 64-bit integers (signed and not), more digits than any
# integer type holds, and years 0, 9999 (the last a date can hold) and 99999; then what is no
# number at all.
NUMBERS = (
    "-1",
    "0",
    str(2**31),
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    "9" * 40,
    "9999",
    "99999",
)
OTHERS = (
    "",
    "abc",
    "1e400",
    "١٢",  # digits Python's int() reads and no database does
    "åäö😀",
    "\x00",
    "x" * 3000,
)
VALUES = NUMBERS + OTHERS

# The query parameters the portal's pages read (request.GET, and the filter forms bound to it).
QUERY_PARAMETERS = (
    "year",
    "ar",
    "group",
    "series",
    "page",
    "status",
    "type",
    "kind",
    "natverkstyp",
    "q",
    "uppdatera",
    "next",
)
# The admin's own parameters on its object pages, and on a change list: search, ordering, page
# and to-field. Left out there: _facets, _popup, all and e, whose value the admin never reads
# (only whether they are there), and each filter's __isnull, whose value it reads as a bool.
ADMIN_PAGE_PARAMETERS = ("p", "_changelist_filters", "_popup")
ADMIN_LIST_PARAMETERS = ("q", "o", "p", "_to_field")


class Fuzzer:
    """Send requests, each as the next role in turn and in a savepoint rolled back after it,
    and collect those answered with a server error.

    The rollback keeps the world as the matrix built it, and keeps PostgreSQL going after a
    statement it refused (which would abort the rest of the test's transaction).
    """

    def __init__(self, world):
        self.users = world["users"]
        self.clients = {}
        self.turn = itertools.count()
        self.failures = []
        self.sent = 0

    def client(self, role):
        if role not in self.clients:
            self.clients[role] = Client(raise_request_exception=False)
            if self.users[role] is not None:
                self.clients[role].force_login(self.users[role])
        return self.clients[role]

    def send(self, roles, url, *, data=None):
        role = roles[next(self.turn) % len(roles)]
        client = self.client(role)  # logged in outside the savepoint, so its session stays
        with transaction.atomic():
            response = client.get(url) if data is None else client.post(url, data)
            transaction.set_rollback(True)
        self.sent += 1
        if response.status_code >= 500 or (
            not response.streaming and b"Traceback" in response.content
        ):
            method = "GET" if data is None else f"POST {data!r:.300}"
            self.failures.append(f"{response.status_code} as {role}: {method} {url[:300]!r}")

    def check(self):
        assert not self.failures, (
            f"{len(self.failures)} of {self.sent} requests ended in a server error:\n"
            + "\n".join(self.failures)
        )


def reached(world):
    """Yield (url, roles) for each URL of the matrix, with the roles it does not send away
    before the view runs (to a login page, or with 405 for the method)."""
    requests, _missing, _stale = matrix.pattern_requests(world)
    for _what, url, expected in requests:
        roles = [r for r in ROLES if expected[matrix.ROLES.index(r)] not in (matrix.L, 405)]
        if roles:
            yield url.split("?")[0], roles


def with_path_value(url, name, value):
    """Return `url` with its path parameter `name` set to `value`, or None when the pattern's
    converter does not take `value` (the resolver answers 404 before any view runs)."""
    match = resolve(url)
    kwargs = {**match.kwargs, name: value}
    if match.url_name:
        try:
            return reverse(match.view_name, kwargs=kwargs)
        except NoReverseMatch:
            return None
    # The admin's unnamed object URL (…/<path:object_id>/): swap the last segment.
    old = str(match.kwargs[name])
    at = url.rfind(old)
    return url[:at] + value + url[at + len(old) :] if value.isdigit() else None


def query_parameters(url):
    """Return the query parameters the page at `url` reads."""
    if not url.startswith("/admin/"):
        return QUERY_PARAMETERS
    model = next(
        (m for m in admin.site._registry if url.startswith(f"/admin/{m._meta.app_label}/")), None
    )
    fields = [f.name for f in model._meta.get_fields()] if model is not None else []
    return (*ADMIN_PAGE_PARAMETERS, *fields)


def test_no_absurd_path_parameter_breaks_a_page(world):
    fuzzer = Fuzzer(world)
    for url, roles in reached(world):
        for name, value in itertools.product(resolve(url).kwargs, VALUES):
            fuzzed = with_path_value(url, name, value)
            if fuzzed is not None:
                fuzzer.send(roles, fuzzed)
    fuzzer.check()


def test_no_absurd_query_parameter_breaks_a_page(world):
    """Request i sets parameter j to value i + j: each parameter meets each value once."""
    fuzzer = Fuzzer(world)
    for url, roles in reached(world):
        names = query_parameters(url)
        for i in range(len(VALUES)):
            query = {name: VALUES[(i + j) % len(VALUES)] for j, name in enumerate(names)}
            fuzzer.send(roles, f"{url}?{urlencode(query)}")
    fuzzer.check()


def list_parameters(model_admin, user):
    """Return the groups of query parameters a model's change list reads, each group with the
    parameter to fuzz last: the admin's own, each list filter's, and the date hierarchy's year,
    month and day (with a valid year and month before them). One group at a time: the first
    invalid filter ends the request."""
    request = RequestFactory().get("/")
    request.user = user
    groups = [(name,) for name in ADMIN_LIST_PARAMETERS]
    for spec in model_admin.get_changelist_instance(request).filter_specs:
        groups += [(n,) for n in spec.expected_parameters() if not n.endswith("__isnull")]
    if model_admin.date_hierarchy:
        year, month, day = (f"{model_admin.date_hierarchy}__{p}" for p in ("year", "month", "day"))
        groups += [(year,), (year, month), (year, month, day)]
    return groups


def test_no_absurd_admin_list_parameter_breaks_a_change_list(world):
    fuzzer = Fuzzer(world)
    superuser = world["users"]["admin"]
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        roles = [r for r, may in zip(STAFF, matrix.ADMIN_MODELS[label], strict=True) if "v" in may]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for group in list_parameters(model_admin, superuser):
            valid = dict(zip(group[:-1], ("2024", "12"), strict=False))
            for value in VALUES:
                fuzzer.send(roles, f"{url}?{urlencode({**valid, group[-1]: value})}")
    fuzzer.check()


def test_no_absurd_form_value_breaks_a_form(world):
    """Every field of every form the matrix posts gets every value, posted by the role that
    may (a form refuses such a value next to the field)."""
    fuzzer = Fuzzer(world)
    for _what, url, data, _refused, control in matrix.post_cases(world):
        for name, value in itertools.product(data, VALUES):
            fuzzer.send([control], url, data={**data, name: value})
    fuzzer.check()


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/moten/?series=99999999999999999999"),
        ("coordinator_a", "/moten/nytt/?group=99999999999999999999"),
        ("developer", "/admin/meetings/meeting/?date__year=9999"),
        ("head", "/admin/budget/expense/?date__year=2024&date__month=12&date__day=99999"),
        ("admin", "/admin/meetings/meeting/add/?group=abc"),
        ("admin", "/admin/meetings/meeting/abc/history/"),
    ],
)
def test_the_absurd_addresses_the_tester_found_are_answered(world, role, url):
    """The issue's own examples, as a quick check of each kind of refusal."""
    response = Fuzzer(world).client(role).get(url)
    assert response.status_code in (200, 302, 404)
