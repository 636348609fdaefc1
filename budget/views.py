"""Spending and applications for pooled funds: the coordinators' and the developer's pages.

Every view asks networks.permissions who may see and do what; the forms validate and the
services in budget/services.py write, each inside a transaction that locks the budget year.
"""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import ListFilterForm
from core.views import allowed, form_for_user, page_of, posted, saved
from networks import permissions

from . import services
from .forms import (
    YEAR_CLOSED,
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    ExpenseFilterForm,
    ExpenseForm,
)
from .models import (
    Application,
    ApplicationStatus,
    BudgetYear,
    Expense,
    default_budget_year,
    sum_of,
)
from .receipts import receipt_type
from .selectors import group_lines

NO_BUDGET_ACCESS = gettext_lazy(
    "The budget is for the staff of the networks: conveners and contact persons, the network "
    "developer and the head of administration. Ask the network developer to link your account "
    "to your group."
)
NOT_EVERY_BUDGET = gettext_lazy(
    "The overview of every group's budget is for the municipality's staff; you see your own "
    "groups' figures on the budget page."
)
ONLY_COORDINATORS_SPEND = gettext_lazy(
    "Only the coordinators of a group and the network developer record expenses and apply "
    "for pooled funds. You can read the budget, but not change it."
)
NOT_YOUR_GROUP = gettext_lazy(
    "You can only change the expenses of the groups you coordinate. "
    "The head of administration reads the budget but changes nothing."
)


# --- helpers ------------------------------------------------------------------------------


@dataclass
class _Listing:
    """A budget list as the user filtered it."""

    form: ListFilterForm
    groups: QuerySet  # the groups whose rows the user may see
    rows: QuerySet  # their rows the filters chose
    budget_year: BudgetYear | None  # the year chosen, if one was


def _listing(request, form_class, model) -> _Listing:
    """Return the rows of `model` the user may see, narrowed by the list's filters.

    The filters offer the years with a budget and the groups the user may see; unless the user
    chose a year (or all years), the list opens on the budget's default year.
    """
    budget_years = list(BudgetYear.objects.all())
    groups = permissions.budget_groups(request.user)
    default = default_budget_year(budget_years)
    form = form_class(
        request.GET,
        years=[budget_year.year for budget_year in budget_years],
        groups=list(groups.select_related("kind")),
        default_year=default.year if default is not None else None,
    )
    year = form.chosen().get("year")
    return _Listing(
        form=form,
        groups=groups,
        rows=form.filter(model.objects.filter(group__in=groups)),
        budget_year=next((by for by in budget_years if by.year == year), None),
    )


def _can_spend_for_any(user) -> bool:
    """Return whether the user may record expenses and apply for some group."""
    return permissions.editable_groups(user).exists()


# --- expenses -----------------------------------------------------------------------------


def _visible_expense_or_404(request, pk):
    """Return the expense if it belongs to a group whose budget the user may see."""
    expense = get_object_or_404(
        Expense.objects.select_related("group", "group__kind", "budget_year"), pk=pk
    )
    if not permissions.budget_groups(request.user).filter(pk=expense.group_id).exists():
        raise Http404
    return expense


def _expense_list_url(expense):
    query = urlencode({"year": expense.budget_year.year, "group": expense.group_id})
    return f"{reverse('budget:expense_list')}?{query}"


@allowed(permissions.can_view_budget, NO_BUDGET_ACCESS)
def expense_list(request):
    """List the spending of the user's groups, by year and group, with what each has left."""
    user = request.user
    listing = _listing(request, ExpenseFilterForm, Expense)
    form, visible_groups, expenses = listing.form, listing.groups, listing.rows
    chosen = form.chosen()
    total = expenses.aggregate(total=sum_of("amount"))["total"]
    page = page_of(
        request,
        expenses.select_related("group", "group__kind", "budget_year").order_by("-date", "-pk"),
    )
    for expense in page.object_list:
        expense.changeable = not expense.budget_year.is_closed and permissions.can_spend_for(
            user, expense.group
        )
    budget_year = listing.budget_year
    lines = []
    if budget_year is not None:
        # A coordinator sees what each of their groups has left; the others, who see every
        # group, the chosen group's (the whole year is on the overview).
        if "group" in chosen:
            lines = group_lines(
                budget_year=budget_year, groups=visible_groups.filter(pk=chosen["group"])
            )
        elif permissions.role_of(user) == permissions.Role.COORDINATOR:
            lines = group_lines(budget_year=budget_year, groups=visible_groups)
    return render(
        request,
        "budget/expense_list.html",
        {
            "form": form,
            "page_obj": page,
            "expenses": page.object_list,
            "total": total,
            "budget_year": budget_year,
            "lines": lines,
            "chosen": chosen,
            "filtered": bool(chosen),
            "can_create": _can_spend_for_any(user),
        },
    )


@allowed(_can_spend_for_any, ONLY_COORDINATORS_SPEND)
def expense_create(request):
    """Record an expense of a group the user coordinates (?group=<id> preselects it)."""
    user = request.user
    form = form_for_user(request, ExpenseForm, files=True)
    expense = saved(
        form,
        lambda: services.expense_create(
            budget_year=form.budget_year, created_by=user, **form.service_values()
        ),
    )
    if expense is not None:
        messages.success(request, _("The expense has been recorded."))
        return redirect(_expense_list_url(expense))
    return render(
        request,
        "budget/expense_form.html",
        {"form": form, "title": _("Record an expense"), "expense": None},
    )


@login_required
def expense_edit(request, pk):
    """Change an expense of a group the user coordinates, while its year is open."""
    expense = _visible_expense_or_404(request, pk)
    user = request.user
    if not permissions.can_spend_for(user, expense.group):
        raise PermissionDenied(NOT_YOUR_GROUP)
    # The form changes its instance while it validates; the page shows the stored expense.
    stored = copy.copy(expense)
    context = {"title": _("Change expense"), "expense": stored}
    if expense.budget_year.is_closed:
        context["closed"] = YEAR_CLOSED % {"year": expense.budget_year.year}
        return render(request, "budget/expense_form.html", context)
    form = ExpenseForm(
        *posted(request, files=True),
        instance=expense,
        user=user,
    )
    changed = saved(form, lambda: services.expense_update(expense=expense, **form.service_values()))
    if changed is not None:
        messages.success(request, _("The changes have been saved."))
        return redirect(_expense_list_url(changed))
    return render(request, "budget/expense_form.html", {"form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def expense_delete(request, pk):
    """Ask, then remove an expense recorded by mistake, while its year is open."""
    expense = _visible_expense_or_404(request, pk)
    if not permissions.can_spend_for(request.user, expense.group):
        raise PermissionDenied(NOT_YOUR_GROUP)
    error = None
    if expense.budget_year.is_closed:
        error = YEAR_CLOSED % {"year": expense.budget_year.year}
    elif request.method == "POST":
        back = _expense_list_url(expense)
        try:
            services.expense_delete(expense=expense)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The expense has been removed."))
            return redirect(back)
    return render(
        request, "budget/expense_confirm_delete.html", {"expense": expense, "error": error}
    )


@login_required
def expense_receipt(request, pk):
    """Send an expense's receipt to those who may see the group's budget, never publicly."""
    expense = _visible_expense_or_404(request, pk)
    if not expense.receipt:
        raise Http404
    try:
        file = expense.receipt.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = receipt_type(file)
    name = f"kvitto-{expense.date:%Y-%m-%d}-{expense.pk}"
    # Always a download, never shown on the portal's origin: an upload is someone else's content.
    # One that is no receipt this portal accepted (e.g. put there by hand) has no type at all.
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{name}.{kind.extension}" if kind else name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    patch_cache_control(response, private=True)
    return response


# --- applications -------------------------------------------------------------------------


def _visible_application_or_404(request, pk):
    """Return the application if it belongs to a group whose budget the user may see."""
    application = get_object_or_404(
        Application.objects.select_related(
            "group", "group__kind", "budget_year", "activity", "applicant", "decided_by"
        ),
        pk=pk,
    )
    if not permissions.budget_groups(request.user).filter(pk=application.group_id).exists():
        raise Http404
    return application


def _pool(budget_year):
    """Return the year's pooled funds: amount, granted, remaining."""
    granted = services.pool_granted(budget_year.pk)
    return {
        "amount": budget_year.pool_amount,
        "granted": granted,
        "remaining": budget_year.pool_amount - granted,
    }


@allowed(permissions.can_view_budget, NO_BUDGET_ACCESS)
def application_list(request):
    """List applications for pooled funds: undecided first, then the latest."""
    user = request.user
    listing = _listing(request, ApplicationFilterForm, Application)
    form, visible_groups, applications = listing.form, listing.groups, listing.rows
    undecided_first = Case(
        When(status=ApplicationStatus.SUBMITTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    page = page_of(
        request,
        applications.select_related("group", "group__kind", "budget_year", "activity").order_by(
            undecided_first, "-submitted_at", "-pk"
        ),
    )
    budget_year = listing.budget_year
    pool = None
    if budget_year is not None:
        pool = _pool(budget_year)
        pool.update(
            Application.objects.filter(budget_year=budget_year, group__in=visible_groups).aggregate(
                undecided_count=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
                undecided_sum=sum_of("amount_requested", status=ApplicationStatus.SUBMITTED),
            )
        )
    return render(
        request,
        "budget/application_list.html",
        {
            "form": form,
            "page_obj": page,
            "applications": page.object_list,
            "budget_year": budget_year,
            "pool": pool,
            "filtered": bool(form.chosen()),
            "can_apply": _can_spend_for_any(user),
            "can_decide": permissions.can_manage_budget(user),
        },
    )


@allowed(_can_spend_for_any, ONLY_COORDINATORS_SPEND)
def application_create(request):
    """Apply for pooled funds for a group the user coordinates (?group=<id> preselects it)."""
    user = request.user
    open_years = BudgetYear.objects.filter(is_closed=False)
    context = {"title": _("Apply for pooled funds")}
    pools = [{"budget_year": budget_year, **_pool(budget_year)} for budget_year in open_years]
    if not pools:
        return render(request, "budget/application_form.html", {**context, "no_open_year": True})
    form = form_for_user(request, ApplicationForm, open_years=open_years)
    application = saved(
        form, lambda: services.application_create(applicant=user, **form.service_values())
    )
    if application is not None:
        messages.success(
            request,
            _(
                "Your application has been sent. The network developer decides it; "
                "the decision is shown here and in the list of applications."
            ),
        )
        return redirect(application)
    return render(
        request, "budget/application_form.html", {**context, "form": form, "pools": pools}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    """Show an application and its decision; the network developer decides it here."""
    application = _visible_application_or_404(request, pk)
    user = request.user
    can_decide = permissions.can_manage_budget(user)
    if request.method == "POST" and not can_decide:
        raise PermissionDenied(_("Only the network developer decides applications."))
    decidable = can_decide and not application.is_decided and not application.budget_year.is_closed
    form = None
    if decidable:
        form = DecisionForm(*posted(request), application=application)
        decided = saved(
            form,
            lambda: services.application_decide(
                application=application,
                amount_granted=form.amount_granted(),
                reason=form.cleaned_data["reason"],
                decided_by=user,
            ),
            field_for=form.service_field,
        )
        if decided is not None:
            messages.success(request, _("The decision has been saved."))
            return redirect(decided)
    elif request.method == "POST":
        messages.error(
            request,
            _("The application has already been decided.")
            if application.is_decided
            else YEAR_CLOSED % {"year": application.budget_year.year},
        )
        return redirect(application)
    return render(
        request,
        "budget/application_detail.html",
        {
            "application": application,
            "form": form,
            "can_decide": can_decide,
            "pool": _pool(application.budget_year) if can_decide else None,
            "closed": application.budget_year.is_closed,
        },
    )
