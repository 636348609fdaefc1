"""Who may see what: every URL pattern of the project, requested as each role.

One table gives, for every URL pattern, the answer each role gets. The test walks the project's
URL resolver (through every include, the admin too) and fails when a pattern has no entry – so
no new page is ever left unchecked – and when an entry names a pattern that no longer exists.

The admin's patterns follow a rule per kind of page (list, add, change, delete, history …) from
the table of what each staff role may do with each registered model; that table is explicit, so
a newly registered model fails the test until someone decides who may use it.

Actions that change something are also POSTed, with valid data, as every role that may not use
them: the answer must refuse, and nothing in the database may change. As a control, the same
POST by a role that may use it must change something (rolled back afterwards), so a POST that
changes nothing anyway cannot make the check pass.

Answers: an HTTP status, or "login" – a redirect to a login page (the portal's or the admin's).
A 302 in the table is a redirect anywhere but a login page.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import AuthenticatorApp
from budget.models import Application, BudgetYear, Expense, KindAllocation
from documents.models import Document, DocumentVersion
from meetings.models import Activity, Meeting, MeetingSeries, Visibility
from members.models import Invitation
from networks.models import Forum, GroupRole, Municipality, Organisation
from networks.permissions import Role
from news.models import NewsItem
from reports.models import AnnualReportText, JobStatus, KindReportText, ReportJob, ReportKind
from tests.factories.accounts import coordinator_of, member_of, user_with_role
from tests.factories.budget import (
    ApplicationFactory,
    BudgetYearFactory,
    ExpenseFactory,
    KindAllocationFactory,
    pdf_bytes,
)
from tests.factories.documents import DocumentFactory
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.members import InvitationFactory
from tests.factories.networks import (
    DistrictFactory,
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.factories.news import NewsItemFactory
from tests.submitted import fresh_key

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "coordinator_a",
    "coordinator_b",
    "developer",
    "head",
    "admin",
    "association_member_a",
    "municipal_member_a",
    "association_coordinator_a",
)
L = "login"

# fmt: off
# The portal's own pages: pattern → [(case, answers per role)], roles in the order of ROLES.
#                                       anonymous coord A coord B developer head admin,
#                                       then group A's association member, municipal member
#                                       and association coordinator
PAGES = {
    "home":                            {"": (302, 302, 302, 302, 302, 302, 302, 302, 302)},
    "portal:overview":                 {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:search":                   {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:feed_all":                 {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:kind_detail":              {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:feed_kind":                {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:group_detail":             {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:feed_group":               {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:accessibility":            {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:group_news":               {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:news_feed_group":          {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:news_feed_all":            {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    # News: a confidential item of group A is read by its coordinator and the staff roles.
    "news:news_list":                  {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "news:news_create":                {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "news:news_detail":                {"public": (200, 200, 200, 200, 200, 200, 200, 200, 200),
                                        "confidential":
                                            (404, 200, 404, 200, 200, 200, 404, 200, 404)},
    "news:news_edit":                  {"": (L, 200, 404, 200, 403, 200, 404, 403, 404)},
    "news:news_delete":                {"": (L, 200, 404, 200, 403, 200, 404, 403, 404)},
    # Logged-in users are sent on from the login page; logging out takes a POST.
    "login":                           {"": (200, 302, 302, 302, 302, 302, 302, 302, 302)},
    "logout":                          {"": (405, 405, 405, 405, 405, 405, 405, 405, 405)},
    "password_change":                 {"": (L, 200, 200, 200, 200, 200, 200, 200, 200)},
    "password_change_done":            {"": (L, 200, 200, 200, 200, 200, 200, 200, 200)},
    "password_reset":                  {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "password_reset_done":             {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "password_reset_confirm":          {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "password_reset_complete":         {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    # The municipal sign-in is not configured in the tests' settings: its addresses do not
    # exist (tests/accounts/ configure it). The code pages follow a password just given; with
    # none they send to the login page.
    "accounts:oidc_start":             {"": (404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "accounts:oidc_callback":          {"": (404, 404, 404, 404, 404, 404, 404, 404, 404)},
    "accounts:second_factor":          {"": (L, L, L, L, L, L, L, L, L)},
    "accounts:second_factor_setup":    {"": (L, L, L, L, L, L, L, L, L)},
    "meetings:my_networks":            {"": (L, 200, 200, 200, 200, 200, 200, 200, 200)},
    "meetings:meeting_list":           {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "meetings:meeting_create":         {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "meetings:meeting_series_create":  {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "meetings:meeting_detail":         {"public": (200, 200, 200, 200, 200, 200, 200, 200, 200),
                                        "confidential":
                                            (404, 200, 404, 200, 200, 200, 404, 200, 404)},
    "meetings:meeting_edit":           {"": (L, 200, 403, 200, 403, 200, 403, 403, 403)},
    "meetings:meeting_cancel":         {"": (L, 200, 403, 200, 403, 200, 403, 403, 403)},
    "meetings:meeting_history":        {"": (L, 403, 403, 200, 403, 200, 403, 403, 403)},
    "meetings:activity_list":          {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "meetings:activity_create":        {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "meetings:activity_edit":          {"public": (L, 200, 403, 200, 403, 200, 403, 403, 200),
                                        "confidential":
                                            (L, 200, 404, 200, 403, 200, 404, 403, 404)},
    # Members and invitations: a group's coordinators and the network developer.
    "members:invitation_create":       {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "members:group_members":           {"": (L, 200, 403, 200, 403, 200, 403, 403, 200)},
    "members:invitation_withdraw":     {"": (405, 405, 405, 405, 405, 405, 405, 405, 405)},
    "members:group_role_remove":       {"": (405, 405, 405, 405, 405, 405, 405, 405, 405)},
    # A made-up token: the page says the link does not work.
    "invitation_accept":               {"": (400, 400, 400, 400, 400, 400, 400, 400, 400)},
    "portal:calendar":                 {"": (302, 302, 302, 302, 302, 302, 302, 302, 302)},
    "portal:year_grid":                {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "portal:calendar_month":           {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "budget:overview_current":         {"": (L, 302, 302, 302, 302, 302, 403, 403, 302)},
    "budget:year_create":              {"": (L, 403, 403, 200, 403, 200, 403, 403, 403)},
    "budget:overview":                 {"": (L, 200, 200, 200, 200, 200, 403, 403, 200)},
    "budget:overview_csv":             {"": (L, 200, 200, 200, 200, 200, 403, 403, 403)},
    "budget:year_close":               {"": (L, 403, 403, 200, 403, 200, 403, 403, 403)},
    "budget:expense_list":             {"": (L, 200, 200, 200, 200, 200, 403, 403, 200)},
    "budget:expense_create":           {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "budget:expense_edit":             {"": (L, 200, 404, 200, 403, 200, 404, 404, 200)},
    "budget:expense_delete":           {"": (L, 200, 404, 200, 403, 200, 404, 404, 200)},
    "budget:expense_receipt":          {"": (L, 200, 404, 200, 200, 200, 404, 404, 200)},
    "budget:application_list":         {"": (L, 200, 200, 200, 200, 200, 403, 403, 200)},
    "budget:application_create":       {"": (L, 200, 200, 200, 403, 200, 403, 403, 200)},
    "budget:application_detail":       {"": (L, 200, 404, 200, 200, 200, 404, 404, 200)},
    "documents:document_list":         {"group": (200, 200, 200, 200, 200, 200, 200, 200, 200),
                                        "kind": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "documents:document_create":       {"group": (L, 200, 403, 200, 403, 200, 403, 403, 200),
                                        "kind": (L, 403, 403, 200, 403, 200, 403, 403, 403)},
    "documents:document_detail":       {"public": (200, 200, 200, 200, 200, 200, 200, 200, 200),
                                        "network": (404, 200, 404, 200, 200, 200, 200, 200, 200)},
    "documents:document_edit":         {"": (L, 200, 404, 200, 403, 200, 403, 403, 200)},
    "documents:version_create":        {"": (L, 200, 404, 200, 403, 200, 403, 403, 200)},
    "documents:document_delete":       {"": (L, 200, 404, 200, 403, 200, 403, 403, 200)},
    "documents:version_download":      {"public": (200, 200, 200, 200, 200, 200, 200, 200, 200),
                                        "network": (404, 200, 404, 200, 200, 200, 200, 200, 200),
                                        "restricted":
                                            (404, 200, 404, 200, 404, 200, 404, 404, 404)},
    "reports:report_list":             {"": (L, 403, 403, 200, 200, 200, 403, 403, 403)},
    "reports:report_create":           {"": (L, 405, 405, 405, 405, 405, 405, 405, 405)},
    "portal:published_list":           {"": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    "reports:text_edit":               {"": (L, 403, 403, 200, 403, 200, 403, 403, 403)},
    "reports:job_detail":              {"": (L, 403, 403, 200, 200, 200, 403, 403, 403)},
    "reports:job_retry":               {"": (L, 405, 405, 405, 405, 405, 405, 405, 405)},
    "reports:job_publish":             {"": (L, 405, 405, 405, 405, 405, 405, 405, 405)},
    "reports:job_download":            {"unpublished": (L, 403, 403, 200, 200, 200, 403, 403, 403),
                                        "published": (200, 200, 200, 200, 200, 200, 200, 200, 200)},
    # The admin site's own pages (its model pages follow ADMIN_MODELS below). Accounts that
    # are not staff (the coordinators) are sent to the admin's login.
    "admin:index":                     {"": (L, L, L, 200, 200, 200, L, L, L)},
    # The admin's login address is the portal's login (which asks for the second factor):
    # Django's admin login behind it is never reached.
    "admin_login":                     {"": (L, L, L, L, L, L, L, L, L)},
    "admin:login":                     {"": (L, L, L, L, L, L, L, L, L)},
    "admin:logout":                    {"": (302, 302, 302, 405, 405, 405, 302, 302, 302)},
    "admin:password_change":           {"": (L, L, L, 200, 200, 200, L, L, L)},
    "admin:password_change_done":      {"": (L, L, L, 200, 200, 200, L, L, L)},
    "admin:jsi18n":                    {"": (L, L, L, 200, 200, 200, L, L, L)},
    # Without its query the autocomplete refuses everyone.
    "admin:autocomplete":              {"": (L, L, L, 403, 403, 403, L, L, L)},
    "admin:view_on_site":              {"": (L, L, L, 302, 302, 302, L, L, L)},
    "admin:app_list":                  {"auth": (L, L, L, 404, 404, 200, L, L, L),
                                        "networks": (L, L, L, 200, 200, 200, L, L, L),
                                        "meetings": (L, L, L, 200, 200, 200, L, L, L),
                                        "budget": (L, L, L, 200, 200, 200, L, L, L),
                                        "reports": (L, L, L, 200, 200, 200, L, L, L)},
    "route:admin/(?P<url>.*)$":        {"": (L, L, L, 404, 404, 404, L, L, L)},
}

# What the staff roles may do with each model in the admin: v view (list and change page),
# a add, d delete, h history of changes, p set a password. Everyone else is sent to log in.
#                              developer  head   admin
ADMIN_MODELS = {
    "auth.group":               ("",      "",    "vadh"),
    "auth.user":                ("",      "",    "vadhp"),
    # One municipality runs the portal: its row exists, so nobody adds another.
    "networks.municipality":    ("vdh",   "vh",  "vdh"),
    "networks.networkkind":     ("vadh",  "vh",  "vadh"),
    "networks.networkgroup":    ("vadh",  "vh",  "vadh"),
    "networks.district":        ("vadh",  "vh",  "vadh"),
    "networks.organisation":    ("vadh",  "vh",  "vadh"),
    "networks.person":          ("vadh",  "vh",  "vadh"),
    "networks.forum":           ("vadh",  "vh",  "vadh"),
    # The history of meetings and activities is the network developer's.
    "meetings.meeting":         ("vadh",  "v",   "vadh"),
    "meetings.meetingseries":   ("vadh",  "vh",  "vadh"),
    "meetings.activity":        ("vadh",  "v",   "vadh"),
    "budget.budgetyear":        ("vadh",  "vh",  "vadh"),
    # Expenses and applications are changed on the budget pages only.
    "budget.expense":           ("vh",    "v",   "vh"),
    "budget.application":       ("vh",    "v",   "vh"),
    "reports.annualreporttext": ("vadh",  "vh",  "vadh"),
    # Report jobs are asked for on the report pages.
    "reports.reportjob":        ("vdh",   "vh",  "vdh"),
    # The login attempts django-axes records: the administrator's.
    "axes.accessattempt":       ("",      "",    "vdh"),
    "axes.accesslog":           ("",      "",    "vdh"),
    "axes.accessfailurelog":    ("",      "",    "vdh"),
    # Authenticator apps: the administrator sees who has one and removes a lost one.
    "accounts.authenticatorapp": ("",     "",    "vdh"),
}

# How each kind of admin model page answers a staff role, by the letter it needs.
ADMIN_PAGE_NEEDS = {
    "changelist": "v",
    "add": "a",
    "change": "v",
    "delete": "d",
    "history": "h",
    "simple_history": "h",
    "password_change": "p",
    "redirect": None,  # the bare object URL redirects to its change page for any staff
}
# fmt: on


# --- walking the URL patterns ------------------------------------------------------------


def walk_patterns(patterns=None, prefix="", namespace=""):
    """Yield (key, route, pattern) for every URL pattern, through every include."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk_patterns(entry.url_patterns, route, inner)
        else:
            assert isinstance(entry, URLPattern)
            key = f"{namespace}{entry.name}" if entry.name else f"route:{route}"
            yield key, route, entry


def admin_model_page(key, route):
    """Return ("app.model", page) for a pattern of an admin model page, else None."""
    if not route.startswith("admin/"):
        return None
    for label in ADMIN_MODEL_LABELS:
        app, model = label.split(".")
        if key.startswith(f"admin:{app}_{model}_"):
            return label, key.removeprefix(f"admin:{app}_{model}_")
        if key == f"route:admin/{app}/{model}/<path:object_id>/":
            return label, "redirect"
    # A model registered in the admin but missing from ADMIN_MODELS.
    for model in admin.site._registry:
        label = model._meta.label_lower
        if route.startswith(f"admin/{label.replace('.', '/')}/"):
            return label, None
    return None


ADMIN_MODEL_LABELS = list(ADMIN_MODELS)


def expected_admin(label, page):
    """Return the answers per role for an admin model page, from ADMIN_MODELS."""
    needs = ADMIN_PAGE_NEEDS[page]
    answers = [L, L, L]  # anonymous and the coordinators, who are not staff
    for allowed in ADMIN_MODELS[label]:
        if needs is None:
            answers.append(302)
        else:
            answers.append(200 if needs in allowed else 403)
    return (*answers, L, L, L)  # the members and the association's coordinator: not staff


# --- the world the URLs point into ---------------------------------------------------------


@pytest.fixture
def world():
    """Two groups of a kind, a coordinator of each, the staff roles, and group A's things."""
    today = timezone.localdate()
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", slug="barn-och-unga")
    district = DistrictFactory(name="Hulta")
    group_a = NetworkGroupFactory(kind=kind, name="Grupp A", slug="grupp-a", districts=[district])
    group_b = NetworkGroupFactory(kind=kind, name="Grupp B", slug="grupp-b")
    association = OrganisationFactory(type=Organisation.Type.CIVIL_SOCIETY)
    users = {
        "anonymous": None,
        "coordinator_a": coordinator_of(group_a, username="samordnare_a"),
        "coordinator_b": coordinator_of(group_b, username="samordnare_b"),
        "developer": user_with_role(Role.NETWORK_DEVELOPER),
        "head": user_with_role(Role.HEAD_OF_ADMINISTRATION),
        "admin": user_with_role(Role.ADMINISTRATOR),
        "association_member_a": member_of(
            group_a, username="forening_medlem", organisation=association
        ),
        "municipal_member_a": member_of(group_a, username="kommun_medlem"),
        "association_coordinator_a": coordinator_of(
            group_a, username="forening_samordnare", person__organisation=association
        ),
    }
    meeting = MeetingFactory(group=group_a, date=today, notes_visibility=Visibility.RESTRICTED)
    meeting.save()  # a second history record: a change to look at
    internal = MeetingFactory(group=group_a, date=today, visibility="confidential")
    series = MeetingSeries.objects.create(description="Vårens möten")
    activity = ActivityFactory(group=group_a, start_date=today)
    internal_activity = ActivityFactory(group=group_a, start_date=today, visibility="confidential")
    budget_year = BudgetYearFactory(year=today.year)
    KindAllocationFactory(budget_year=budget_year, kind=kind)
    expense = ExpenseFactory(
        budget_year=budget_year,
        group=group_a,
        date=today,
        receipt=ContentFile(pdf_bytes(), name="kvitto.pdf"),
    )
    application = ApplicationFactory(budget_year=budget_year, group=group_a)
    done = ReportJob.objects.create(
        kind=ReportKind.ANNUAL,
        year=today.year - 1,
        status=JobStatus.DONE,
        file=ContentFile(pdf_bytes(), name="arsrapport.pdf"),
        finished_at=timezone.now(),
    )
    published = ReportJob.objects.create(
        kind=ReportKind.ANNUAL,
        year=today.year - 2,
        status=JobStatus.DONE,
        file=ContentFile(pdf_bytes(), name="arsrapport-publicerad.pdf"),
        finished_at=timezone.now(),
        is_published=True,
        published_at=timezone.now(),
    )
    failed = ReportJob.objects.create(
        kind=ReportKind.CALENDAR,
        year=today.year - 1,
        status=JobStatus.FAILED,
        error_message="Något gick fel.",
        finished_at=timezone.now(),
    )
    report_text = AnnualReportText.objects.create(year=today.year - 1, title="Årsrapport")
    news = NewsItemFactory(group=group_a, title="Offentlig nyhet")
    confidential_news = NewsItemFactory(
        group=group_a, title="Sekretessnyhet", visibility=Visibility.CONFIDENTIAL
    )
    invitation = InvitationFactory(group=group_a, invited_by=users["coordinator_a"])
    member_role = GroupRoleFactory(group=group_a, role=GroupRole.Role.MEMBER)
    document = DocumentFactory(group=group_a, visibility=Visibility.NETWORK)
    public_document = DocumentFactory(group=group_a, visibility=Visibility.PUBLIC)
    restricted_document = DocumentFactory(group=group_a, visibility=Visibility.RESTRICTED)
    axes_request = {"user_agent": "test", "http_accept": "*/*", "path_info": "/konto/logga-in/"}
    return {
        "today": today,
        "kind": kind,
        "group_a": group_a,
        "users": users,
        "meeting": meeting,
        "internal": internal,
        "activity": activity,
        "internal_activity": internal_activity,
        "budget_year": budget_year,
        "expense": expense,
        "application": application,
        "done": done,
        "published": published,
        "failed": failed,
        "news": news,
        "confidential_news": confidential_news,
        "invitation": invitation,
        "member_role": member_role,
        "document": document,
        "public_document": public_document,
        "restricted_document": restricted_document,
        # One object of each model the admin shows.
        "admin_objects": {
            "auth.group": Group.objects.first(),
            "auth.user": users["coordinator_a"],
            "networks.municipality": Municipality.objects.get(),
            "networks.networkkind": kind,
            "networks.networkgroup": group_a,
            "networks.district": district,
            "networks.organisation": OrganisationFactory(),
            "networks.person": PersonFactory(),
            "networks.forum": Forum.objects.create(name="Strategiska gruppen", slug="strategiska"),
            "meetings.meeting": meeting,
            "meetings.meetingseries": series,
            "meetings.activity": activity,
            "budget.budgetyear": budget_year,
            "budget.expense": expense,
            "budget.application": application,
            "reports.annualreporttext": report_text,
            "reports.reportjob": done,
            "axes.accessattempt": AccessAttempt.objects.create(
                username="okand", ip_address="192.0.2.1", failures_since_start=1, **axes_request
            ),
            "axes.accesslog": AccessLog.objects.create(
                username="samordnare_a", ip_address="192.0.2.1", **axes_request
            ),
            "axes.accessfailurelog": AccessFailureLog.objects.create(
                username="okand", ip_address="192.0.2.1", **axes_request
            ),
            "accounts.authenticatorapp": AuthenticatorApp.objects.create(
                user=users["developer"], name="app"
            ),
        },
    }


def page_urls(world):
    """Return the URL to request for each case of each pattern in PAGES."""
    today, meeting = world["today"], world["meeting"]
    kind, group = world["kind"], world["group_a"]
    slugs = {"kind_slug": kind.slug, "group_slug": group.slug}
    content_type = ContentType.objects.get_for_model(Meeting)

    def url(name, **kwargs):
        return reverse(name, kwargs=kwargs)

    return {
        ("home", ""): "/",
        ("portal:overview", ""): url("portal:overview"),
        ("portal:search", ""): url("portal:search") + "?q=hulta",
        ("portal:feed_all", ""): url("portal:feed_all"),
        ("portal:kind_detail", ""): url("portal:kind_detail", kind_slug=kind.slug),
        ("portal:feed_kind", ""): url("portal:feed_kind", kind_slug=kind.slug),
        ("portal:group_detail", ""): url("portal:group_detail", **slugs),
        ("portal:feed_group", ""): url("portal:feed_group", **slugs),
        ("portal:accessibility", ""): "/tillganglighet/",
        ("portal:group_news", ""): url("portal:group_news", **slugs),
        ("portal:news_feed_group", ""): url("portal:news_feed_group", **slugs),
        ("portal:news_feed_all", ""): url("portal:news_feed_all"),
        ("news:news_list", ""): url("news:news_list"),
        ("news:news_create", ""): url("news:news_create"),
        ("news:news_detail", "public"): world["news"].get_absolute_url(),
        ("news:news_detail", "confidential"): world["confidential_news"].get_absolute_url(),
        ("news:news_edit", ""): url("news:news_edit", pk=world["confidential_news"].pk),
        ("news:news_delete", ""): url("news:news_delete", pk=world["confidential_news"].pk),
        ("login", ""): url("login"),
        ("logout", ""): url("logout"),
        ("password_change", ""): url("password_change"),
        ("password_change_done", ""): url("password_change_done"),
        ("password_reset", ""): url("password_reset"),
        ("password_reset_done", ""): url("password_reset_done"),
        # A link that is no longer valid: the page says so.
        ("password_reset_confirm", ""): url(
            "password_reset_confirm", uidb64="MQ", token="inte-giltig"
        ),
        ("password_reset_complete", ""): url("password_reset_complete"),
        ("accounts:oidc_start", ""): url("accounts:oidc_start"),
        ("accounts:oidc_callback", ""): url("accounts:oidc_callback"),
        ("accounts:second_factor", ""): url("accounts:second_factor"),
        ("accounts:second_factor_setup", ""): url("accounts:second_factor_setup"),
        ("meetings:my_networks", ""): url("meetings:my_networks"),
        ("meetings:meeting_list", ""): url("meetings:meeting_list"),
        ("meetings:meeting_create", ""): url("meetings:meeting_create"),
        ("meetings:meeting_series_create", ""): url("meetings:meeting_series_create"),
        ("meetings:meeting_detail", "public"): meeting.get_absolute_url(),
        ("meetings:meeting_detail", "confidential"): world["internal"].get_absolute_url(),
        ("meetings:meeting_edit", ""): url("meetings:meeting_edit", pk=meeting.pk),
        ("meetings:meeting_cancel", ""): url("meetings:meeting_cancel", pk=meeting.pk),
        ("meetings:meeting_history", ""): url("meetings:meeting_history", pk=meeting.pk),
        ("meetings:activity_list", ""): url("meetings:activity_list"),
        ("meetings:activity_create", ""): url("meetings:activity_create"),
        ("meetings:activity_edit", "public"): world["activity"].get_absolute_url(),
        ("meetings:activity_edit", "confidential"): world["internal_activity"].get_absolute_url(),
        ("members:invitation_create", ""): url("members:invitation_create"),
        ("members:group_members", ""): url("members:group_members", group_pk=group.pk),
        ("members:invitation_withdraw", ""): url(
            "members:invitation_withdraw", pk=world["invitation"].pk
        ),
        ("members:group_role_remove", ""): url(
            "members:group_role_remove", pk=world["member_role"].pk
        ),
        ("invitation_accept", ""): url("invitation_accept", token="inte-giltig"),
        ("portal:calendar", ""): url("portal:calendar"),
        ("portal:year_grid", ""): url("portal:year_grid", year=today.year),
        ("portal:calendar_month", ""): url(
            "portal:calendar_month", year=today.year, month=today.month
        ),
        ("budget:overview_current", ""): url("budget:overview_current"),
        ("budget:year_create", ""): url("budget:year_create"),
        ("budget:overview", ""): url("budget:overview", year=today.year),
        ("budget:overview_csv", ""): url("budget:overview_csv", year=today.year),
        ("budget:year_close", ""): url("budget:year_close", year=today.year),
        ("budget:expense_list", ""): url("budget:expense_list"),
        ("budget:expense_create", ""): url("budget:expense_create"),
        ("budget:expense_edit", ""): url("budget:expense_edit", pk=world["expense"].pk),
        ("budget:expense_delete", ""): url("budget:expense_delete", pk=world["expense"].pk),
        ("budget:expense_receipt", ""): url("budget:expense_receipt", pk=world["expense"].pk),
        ("budget:application_list", ""): url("budget:application_list"),
        ("budget:application_create", ""): url("budget:application_create"),
        ("budget:application_detail", ""): world["application"].get_absolute_url(),
        ("documents:document_list", "group"): url(
            "documents:document_list", owner="grupp", pk=group.pk
        ),
        ("documents:document_list", "kind"): url(
            "documents:document_list", owner="typ", pk=kind.pk
        ),
        ("documents:document_create", "group"): url(
            "documents:document_create", owner="grupp", pk=group.pk
        ),
        ("documents:document_create", "kind"): url(
            "documents:document_create", owner="typ", pk=kind.pk
        ),
        ("documents:document_detail", "public"): world["public_document"].get_absolute_url(),
        ("documents:document_detail", "network"): world["document"].get_absolute_url(),
        ("documents:document_edit", ""): url("documents:document_edit", pk=world["document"].pk),
        ("documents:version_create", ""): url("documents:version_create", pk=world["document"].pk),
        ("documents:document_delete", ""): url(
            "documents:document_delete", pk=world["document"].pk
        ),
        ("documents:version_download", "public"): url(
            "documents:version_download", pk=world["public_document"].pk, number=1
        ),
        ("documents:version_download", "network"): url(
            "documents:version_download", pk=world["document"].pk, number=1
        ),
        ("documents:version_download", "restricted"): url(
            "documents:version_download", pk=world["restricted_document"].pk, number=1
        ),
        ("reports:report_list", ""): url("reports:report_list"),
        ("reports:report_create", ""): url("reports:report_create"),
        ("portal:published_list", ""): url("portal:published_list"),
        ("reports:text_edit", ""): url("reports:text_edit", year=today.year - 1),
        ("reports:job_detail", ""): url("reports:job_detail", pk=world["done"].pk),
        ("reports:job_retry", ""): url("reports:job_retry", pk=world["failed"].pk),
        ("reports:job_publish", ""): url("reports:job_publish", pk=world["done"].pk),
        ("reports:job_download", "unpublished"): url("reports:job_download", pk=world["done"].pk),
        ("reports:job_download", "published"): url(
            "reports:job_download", pk=world["published"].pk
        ),
        ("admin:index", ""): url("admin:index"),
        ("admin_login", ""): url("admin_login"),
        ("admin:login", ""): url("admin:login"),
        ("admin:logout", ""): url("admin:logout"),
        ("admin:password_change", ""): url("admin:password_change"),
        ("admin:password_change_done", ""): url("admin:password_change_done"),
        ("admin:jsi18n", ""): url("admin:jsi18n"),
        ("admin:autocomplete", ""): url("admin:autocomplete"),
        ("admin:view_on_site", ""): url(
            "admin:view_on_site", content_type_id=content_type.pk, object_id=meeting.pk
        ),
        **{
            ("admin:app_list", app): url("admin:app_list", app_label=app)
            for app in ("auth", "networks", "meetings", "budget", "reports")
        },
        ("route:admin/(?P<url>.*)$", ""): "/admin/finns-inte/",
    }


def admin_model_url(label, page, obj):
    """Return the URL of an admin model page for `obj`."""
    base = f"/admin/{label.replace('.', '/')}/"
    if page == "changelist":
        return base
    if page == "add":
        return f"{base}add/"
    if page == "redirect":
        return f"{base}{obj.pk}/"
    if page == "simple_history":
        return f"{base}{obj.pk}/history/{obj.history.order_by('history_id').first().history_id}/"
    if page == "password_change":
        return f"{base}{obj.pk}/password/"
    return f"{base}{obj.pk}/{page}/"


# --- POSTs that must change nothing ------------------------------------------------------


def post_cases(world):
    """Return (pattern, url, data, answers per role or None where it is allowed, control role).

    Valid data for group A's things, so that a missing permission check would show as a change.
    """
    today = world["today"]
    group_a, meeting, expense = world["group_a"], world["meeting"], world["expense"]
    later = (today + datetime.timedelta(days=7)).isoformat()
    meeting_data = {
        "owner": f"group:{group_a.pk}",
        "status": "planned",
        "date": later,
        "start_time": "15:00",
        "end_time": "17:00",
        "place": "Ändrad plats",
        "type": "ordinary",
        "visibility": "public",
        "notes_visibility": "confidential",
    }
    series_data = {
        "owner": f"group:{group_a.pk}",
        "first": later,
        "last": (today + datetime.timedelta(days=21)).isoformat(),
        "every_weeks": "1",
        "start_time": "15:00",
        "end_time": "17:00",
        "place": "Biblioteket",
        "type": "ordinary",
        "visibility": "public",
    }
    activity_data = {
        "type": "activity_day",
        "group": group_a.pk,
        "area": "Ändrat område",
        "visibility": "public",
        "start_date": today.isoformat(),
    }
    expense_data = {
        "group": group_a.pk,
        "date": today.isoformat(),
        "amount": "100",
        "category": "hosting",
        "description": "Ändrad fika",
    }
    news = world["confidential_news"]
    news_data = {
        "owner": f"group:{group_a.pk}",
        "title": "Ändrad nyhet",
        "body": "Ändrad text.",
        "visibility": "confidential",
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    url = reverse
    # Who may not: the answer they get. A coordinator of B who names group A in a form gets
    # the form back with an error (200), like any other refused choice.
    # fmt: off
    #        anonymous coord A coord B developer head admin, assoc. member A, municipal member A,
    #        assoc. coordinator A   (None: allowed)
    return [
        ("meetings:meeting_create", url("meetings:meeting_create"), {**fresh_key(), **meeting_data},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("meetings:meeting_series_create", url("meetings:meeting_series_create"),
         {**fresh_key(), **series_data},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("meetings:meeting_edit", url("meetings:meeting_edit", kwargs={"pk": meeting.pk}),
         meeting_data, (L, None, 403, None, 403, None, 403, 403, None), "coordinator_a"),
        ("meetings:meeting_cancel", url("meetings:meeting_cancel", kwargs={"pk": meeting.pk}),
         {}, (L, None, 403, None, 403, None, 403, 403, None), "coordinator_a"),
        ("meetings:activity_create", url("meetings:activity_create"),
         {**fresh_key(), **activity_data},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("meetings:activity_edit", world["activity"].get_absolute_url(), activity_data,
         (L, None, 403, None, 403, None, 403, 403, None), "coordinator_a"),
        ("news:news_create", url("news:news_create"), {**fresh_key(), **news_data},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("news:news_edit", url("news:news_edit", kwargs={"pk": news.pk}), news_data,
         (L, None, 404, None, 403, None, 404, 403, 404), "coordinator_a"),
        ("news:news_delete", url("news:news_delete", kwargs={"pk": news.pk}), {},
         (L, None, 404, None, 403, None, 404, 403, 404), "coordinator_a"),
        ("budget:year_create", url("budget:year_create"),
         {"year": str(today.year + 1), "pool_amount": "1000"},
         (L, 403, 403, None, 403, None, 403, 403, 403), "developer"),
        ("budget:year_close", url("budget:year_close", kwargs={"year": today.year}), {},
         (L, 403, 403, None, 403, None, 403, 403, 403), "developer"),
        ("budget:expense_create", url("budget:expense_create"), {**fresh_key(), **expense_data},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("budget:expense_edit", url("budget:expense_edit", kwargs={"pk": expense.pk}),
         expense_data, (L, None, 404, None, 403, None, 404, 404, None), "coordinator_a"),
        ("budget:expense_delete", url("budget:expense_delete", kwargs={"pk": expense.pk}), {},
         (L, None, 404, None, 403, None, 404, 404, None), "coordinator_a"),
        ("budget:application_create", url("budget:application_create"),
         {**fresh_key(), "budget_year": world["budget_year"].pk, "group": group_a.pk,
          "amount_requested": "1000", "purpose": "Sommarlovsaktiviteter"},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("budget:application_detail", world["application"].get_absolute_url(),
         {"decision": "grant_all"}, (L, 403, 404, None, 403, None, 404, 404, 403), "developer"),
        ("documents:document_edit", url("documents:document_edit",
                                        kwargs={"pk": world["document"].pk}),
         {"title": "Ändrad rubrik", "visibility": "network"},
         (L, None, 404, None, 403, None, 403, 403, None), "coordinator_a"),
        ("documents:document_delete", url("documents:document_delete",
                                          kwargs={"pk": world["document"].pk}),
         {}, (L, None, 404, None, 403, None, 403, 403, None), "coordinator_a"),
        ("reports:report_create", url("reports:report_create"),
         {"kind": "annual", "year": str(today.year)},
         (L, 403, 403, None, None, None, 403, 403, 403), "head"),
        ("reports:job_retry", url("reports:job_retry", kwargs={"pk": world["failed"].pk}), {},
         (L, 403, 403, None, None, None, 403, 403, 403), "head"),
        ("reports:job_publish", url("reports:job_publish", kwargs={"pk": world["done"].pk}),
         {"publicera": "ja"}, (L, 403, 403, None, None, None, 403, 403, 403), "head"),
        ("reports:text_edit", url("reports:text_edit", kwargs={"year": today.year - 1}),
         {"title": "Ändrad titel"}, (L, 403, 403, None, 403, None, 403, 403, 403), "developer"),
        ("members:invitation_create", url("members:invitation_create"),
         {**fresh_key(), "name": "Nora Berg", "email": "nora@example.org",
          "group": group_a.pk, "role": "member"},
         (L, None, 200, None, 403, None, 403, 403, None), "coordinator_a"),
        ("members:invitation_withdraw",
         url("members:invitation_withdraw", kwargs={"pk": world["invitation"].pk}), {},
         (L, None, 403, None, 403, None, 403, 403, None), "coordinator_a"),
        ("members:group_role_remove",
         url("members:group_role_remove", kwargs={"pk": world["member_role"].pk}), {},
         (L, None, 403, None, 403, None, 403, 403, None), "coordinator_a"),
    ]
    # fmt: on


STATE_MODELS = (
    Meeting,
    NewsItem,
    MeetingSeries,
    Activity,
    BudgetYear,
    KindAllocation,
    Expense,
    Application,
    ReportJob,
    AnnualReportText,
    KindReportText,
    Invitation,
    GroupRole,
    Document,
    DocumentVersion,
)


def database_state():
    """Return every row of the models a POST could change."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in STATE_MODELS}


# --- checking answers ----------------------------------------------------------------------


def answer(response):
    """Return a response as the table writes it: a status, or "login"."""
    if response.status_code == 302:
        path = response.get("Location", "").split("?", 1)[0]
        if path in (resolve_url(settings.LOGIN_URL), reverse("admin:login")):
            return L
    return response.status_code


def as_role(client, users, role):
    client.logout()
    if users[role] is not None:
        client.force_login(users[role])


def pattern_requests(world):
    """Return the requests that cover every URL pattern, (what, url, answers per role), with
    the patterns that have no entry in the table and the entries that have no pattern."""
    missing, requests = [], []
    urls = page_urls(world)
    seen_pages, seen_models = set(), set()
    for key, route, _pattern in walk_patterns():
        model_page = admin_model_page(key, route)
        if model_page is not None:
            label, page = model_page
            if label not in ADMIN_MODELS or page not in ADMIN_PAGE_NEEDS:
                missing.append(f"{key} ({route})")
                continue
            seen_models.add(label)
            obj = world["admin_objects"][label]
            requests.append((key, admin_model_url(label, page, obj), expected_admin(label, page)))
        elif key in PAGES:
            seen_pages.add(key)
            for case, expected in PAGES[key].items():
                requests.append((f"{key} {case}".strip(), urls[(key, case)], expected))
        else:
            missing.append(f"{key} ({route})")
    stale = sorted(set(PAGES) - seen_pages) + sorted(set(ADMIN_MODELS) - seen_models)
    return requests, missing, stale


def test_every_url_pattern_answers_each_role_as_the_table_says(client, world):
    """Every URL pattern is in the table, and each role gets the answer the table gives."""
    # Every pattern has an entry, and every entry a pattern.
    requests, missing, stale = pattern_requests(world)
    assert not missing, "URL patterns with no entry in the access table: " + ", ".join(missing)
    assert not stale, "Entries in the access table for patterns that do not exist: " + ", ".join(
        stale
    )

    # Every page answers every role as the table says.
    users = world["users"]
    wrong = []
    for role_index, role in enumerate(ROLES):
        as_role(client, users, role)
        for what, url, expected in requests:
            got = answer(client.get(url))
            if got != expected[role_index]:
                wrong.append(f"{what} as {role}: {got}, expected {expected[role_index]} ({url})")

    # Forbidden POSTs change nothing; an allowed one (the control) does.
    for what, url, data, refused, control in post_cases(world):
        for role_index, role in enumerate(ROLES):
            if refused[role_index] is None:
                continue
            as_role(client, users, role)
            before = database_state()
            got = answer(client.post(url, data))
            if got != refused[role_index]:
                wrong.append(f"POST {what} as {role}: {got}, expected {refused[role_index]}")
            if database_state() != before:
                wrong.append(f"POST {what} as {role} changed the database")
        as_role(client, users, control)
        with transaction.atomic():
            before = database_state()
            response = client.post(url, data)
            if database_state() == before:
                wrong.append(
                    f"control: POST {what} as {control} changed nothing "
                    f"({response.status_code}); the data above proves nothing"
                )
            transaction.set_rollback(True)
    checked = sum(len(ROLES) for _ in requests)
    assert not wrong, f"{len(wrong)} of {checked} answers differ:\n" + "\n".join(wrong)
