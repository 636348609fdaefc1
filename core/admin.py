"""The admin's answer to an address no row or date can match: a refusal, never a server error.

Django's change list turns the date hierarchy's `?date__year=…&date__month=…&date__day=…` into
a range from that day to the next day, month or year; it catches a date that does not exist,
but not one whose end falls past the year 9999 (`?date__year=9999`) or a number no C integer
holds (`?date__year=2147483648`). It passes a filter value with a NUL character on to the
database, and PostgreSQL refuses NUL in any text (`?status__exact=%00`). An add page takes its
initial values from the address, and an autocomplete field looks its initial id up as given
(`?group=abc`, `?group=2**64`). The history of changes (django-simple-history's) looks the
object id up without checking it is a key (`/abc/history/`). Each ends in a server error.

`AddressChecked` refuses them all: the list's as Django refuses any other invalid filter, an
initial value that is no key by leaving it out, the history as a page that does not exist. The
portal's admin site (`AdminSite`, the default site through core.apps.AdminConfig) gives it to
every ModelAdmin registered on it, django-axes' and django.contrib.auth's too, so no admin can
be left without. tests/security/test_fuzz.py requests every admin page with such values.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404

from .forms import ID_RANGE


def is_key(field, value) -> bool:
    """Return whether `value` can be a value of `field` (a key) in the database."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(key, int) or key in ID_RANGE


class CheckedChangeList(ChangeList):
    """Django's change list, refusing as an invalid filter a date hierarchy no date can hold and
    a filter value with a NUL character (which PostgreSQL refuses in any text)."""

    def get_filters(self, request):
        if any("\x00" in value for values in self.filter_params.values() for value in values):
            raise IncorrectLookupParameters("A filter value holds a NUL character.")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # Only the date hierarchy's range lets these through: Django turns every other
            # invalid parameter into IncorrectLookupParameters itself (the list then says so).
            raise IncorrectLookupParameters(error) from error


class AddressChecked:
    """A ModelAdmin mixin: absurd values in the address are refused, not a server error."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            keys = value if isinstance(value, list) else [value]
            if field.is_relation and not all(is_key(field.target_field, k) for k in keys):
                del initial[name]
        return initial

    def history_view(self, request, object_id, extra_context=None):
        if not is_key(self.opts.pk, unquote(object_id)):
            raise Http404("No such object.")
        return super().history_view(request, object_id, extra_context)


class AdminSite(admin.AdminSite):
    """Django's admin site, giving every ModelAdmin registered on it `AddressChecked`."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AddressChecked):
            admin_class = type(
                admin_class.__name__,
                (AddressChecked, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
