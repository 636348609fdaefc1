"""News (nyheter) of a group, of a whole kind, or of the whole portal, with a secrecy tier."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.years import FIRST_YEAR
from networks.models import NetworkGroup, NetworkKind, Visibility

# A publication time more than this many years ahead is a typing mistake, not a plan.
YEARS_AHEAD = 5


def validate_plausible_time(value: datetime.datetime):
    """Refuse a publication time absurdly far in the past or the future."""
    latest = timezone.localdate().year + YEARS_AHEAD
    if not FIRST_YEAR <= timezone.localtime(value).year <= latest:
        raise ValidationError(
            _("Check the date: it must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": latest},
            code="implausible_date",
        )


class NewsItemQuerySet(models.QuerySet):
    def public(self):
        """Return the news anyone may read: of the public tier."""
        return self.filter(visibility=Visibility.PUBLIC)

    def published(self, now=None):
        """Return the news whose publication time has come (a later one is scheduled)."""
        return self.filter(published_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Return the news whose publication time has not come yet."""
        return self.filter(published_at__gt=now or timezone.now())

    def on_public_pages(self, now=None):
        """Return what public pages and feeds show: public, published news of active groups,
        of kinds and of the whole portal."""
        return self.public().published(now).filter(Q(group__isnull=True) | Q(group__active=True))

    def for_group(self, group):
        """Return the news of `group` (a NetworkGroup or its id)."""
        return self.filter(group=group)

    def of_kind(self, kind):
        """Return the news of a whole kind (not of its groups)."""
        return self.filter(kind=kind)

    def portal_wide(self):
        """Return the news of the whole portal: neither a group's nor a kind's."""
        return self.filter(group__isnull=True, kind__isnull=True)

    def in_year(self, year):
        return self.filter(published_at__year=year)

    def with_owner(self):
        return self.select_related("group", "group__kind", "kind")

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def next_publication(self, now=None) -> datetime.datetime | None:
        """Return when the next scheduled public news item is published, if one is."""
        return self.public().scheduled(now).aggregate(next=Min("published_at"))["next"]


class NewsItem(models.Model):
    """A news item of a group, of a whole kind, or of the whole portal (neither)."""

    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("group"),
    )
    kind = models.ForeignKey(
        NetworkKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("kind"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text. An empty line starts a new paragraph.")
    )
    visibility = models.CharField(
        _("who may read the news"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Only public news are on the public pages and in the news feeds."),
    )
    published_at = models.DateTimeField(
        _("published"),
        default=timezone.now,
        validators=[validate_plausible_time],
        help_text=_("A later time schedules the news: nobody else sees it before then."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=True) | Q(kind__isnull=True),
                name="news_item_has_at_most_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:news_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.group_id is not None and self.kind_id is not None:
            raise ValidationError(_("A news item belongs to a group, a kind or the whole portal."))

    @property
    def owner_label(self) -> str:
        """Return whose news it is, as a person reads it."""
        if self.group_id:
            return self.group.choice_label
        if self.kind_id:
            return self.kind.name
        return str(_("The whole portal"))

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_scheduled(self) -> bool:
        return self.published_at > timezone.now()

    @property
    def tier_label(self) -> str:
        return Visibility(self.visibility).short_label

    @property
    def anchor(self) -> str:
        """Return the id of the item on the public pages that list it."""
        return f"nyhet-{self.pk}"
