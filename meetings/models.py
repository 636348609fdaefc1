"""Meetings of groups, forums and whole kinds, and the activities beyond them."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.years import FIRST_YEAR
from networks.models import Forum, NetworkGroup, NetworkKind, Organisation, Visibility


class MeetingType(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary meeting")
    EXTRA = "extra", _("extra meeting")
    CITIZEN_DIALOGUE = "citizen_dialogue", _("citizen dialogue")
    THEME_DAY = "theme_day", _("theme day")
    CONFERENCE = "conference", _("conference")
    RESIDENTS_MEETING = "residents_meeting", _("residents' meeting")
    GENERAL_MEETING = "general_meeting", _("general meeting (stormöte)")


# Dates before FIRST_YEAR or more than this many years ahead are typing mistakes, not meetings.
YEARS_AHEAD = 5


def validate_plausible_date(value):
    """Refuse a date absurdly far in the past or the future."""
    latest = timezone.localdate().year + YEARS_AHEAD
    if not FIRST_YEAR <= value.year <= latest:
        raise ValidationError(
            _("Check the date: it must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": latest},
            code="implausible_date",
        )


# The types the meeting calendar marks with "*".
SPECIAL_MEETING_TYPES = frozenset(
    {MeetingType.CITIZEN_DIALOGUE, MeetingType.THEME_DAY, MeetingType.CONFERENCE}
)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


# The meeting list's status filter offers this beside the statuses: held, notes not written.
LACKING_NOTES = "lacking_notes"


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Meetings anyone may see: of the public tier. (Notes are filtered separately.)"""
        return self.filter(visibility=Visibility.PUBLIC)

    def in_year(self, year):
        return self.filter(date__year=year)

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__gte=today).exclude(status=MeetingStatus.CANCELLED)

    def lacking_notes(self):
        """Held meetings whose notes nobody has written yet."""
        return self.filter(status=MeetingStatus.HELD, notes="")

    def with_owner(self):
        return self.select_related("group", "group__kind", "forum", "kind")

    def for_group(self, group):
        """Return the meetings of `group` (a NetworkGroup or its id)."""
        return self.filter(group=group)

    def published(self):
        """Return what public pages and feeds show: public meetings of active owners.

        Cancelled meetings stay, so pages and feeds can tell that they are cancelled. The
        agenda, notes and follow-up are not even loaded: public pages show none of them.
        """
        active_owner = Q(group__active=True) | Q(forum__active=True) | Q(kind__isnull=False)
        return self.public().filter(active_owner).defer("agenda", "notes", "follow_up")

    def dated_between(self, first, last=None):
        """Return the meetings from `first` to `last`, both included; no end when `last` is None."""
        meetings = self.filter(date__gte=first)
        return meetings if last is None else meetings.filter(date__lte=last)

    def joint_of(self, kind):
        """Return the joint meetings of a whole kind."""
        return self.filter(kind=kind)

    def of_kind(self, kind):
        """Return the meetings of the kind's groups and the kind's joint meetings.

        `kind` is a NetworkKind or its id, as a filter form gives it.
        """
        return self.filter(Q(group__kind=kind) | Q(kind=kind))

    def of_type(self, meeting_type):
        return self.filter(type=meeting_type)

    def with_status(self, status):
        """Return the meetings with `status`, or with "lacking_notes" those lacking notes."""
        if status == LACKING_NOTES:
            return self.lacking_notes()
        return self.filter(status=status)


class MeetingSeries(models.Model):
    """Planned meetings created together, e.g. every third Thursday this term."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.description or str(self.pk)


class Meeting(models.Model):
    """A meeting of a group, a central forum, or a whole kind (a joint meeting)."""

    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("group"),
    )
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("central forum"),
    )
    kind = models.ForeignKey(
        NetworkKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_meetings",
        verbose_name=_("joint meeting of the kind"),
    )
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    type = models.CharField(
        _("type"), max_length=20, choices=MeetingType.choices, default=MeetingType.ORDINARY
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    visibility = models.CharField(
        _("who may see the meeting"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Only a public meeting is on the public pages and in the calendar feeds."),
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="meetings", verbose_name=_("organisations present")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    notes_visibility = models.CharField(
        _("who may read the notes"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.CONFIDENTIAL,
        help_text=_("Never more open than the meeting itself: then the meeting's tier applies."),
    )
    follow_up = models.TextField(_("follow-up points"), blank=True)
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    # Stable identity in calendar feeds: an edit replaces the event, never duplicates it.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeetingQuerySet.as_manager()

    # Read only by those who may read the notes (networks.permissions.can_view_notes); the admin
    # filters, searches and sorts by them only for those who may read every one.
    confidential_fields = ("agenda", "notes", "follow_up")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(group__isnull=False, forum__isnull=True, kind__isnull=True)
                    | Q(group__isnull=True, forum__isnull=False, kind__isnull=True)
                    | Q(group__isnull=True, forum__isnull=True, kind__isnull=False)
                ),
                name="meeting_has_exactly_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.owner_label} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    def clean(self):
        owners = [self.group_id, self.forum_id, self.kind_id]
        if sum(owner is not None for owner in owners) != 1:
            raise ValidationError(
                _("A meeting belongs to exactly one group, central forum or kind.")
            )
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})

    @property
    def owner(self):
        return self.group or self.forum or self.kind

    @property
    def owner_label(self):
        """Return who holds the meeting, as a person reads it."""
        if self.group_id:
            return str(self.group)
        if self.forum_id:
            return self.forum.name
        return _("Joint meeting: %(kind)s") % {"kind": self.kind.name}

    @property
    def notes_tier(self) -> Visibility:
        """Return who may read the notes: their own tier or the meeting's, the more closed."""
        return Visibility.closest(self.visibility, self.notes_visibility)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def tier_label(self) -> str:
        return Visibility(self.visibility).short_label

    @property
    def is_special(self):
        """Return whether the calendar marks the meeting with "*"."""
        return self.type in SPECIAL_MEETING_TYPES

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED


class ActivityType(models.TextChoices):
    ACTIVITY_DAY = "activity_day", _("activity day")
    SAFETY_WALK = "safety_walk", _("safety walk")
    CITIZEN_DIALOGUE = "citizen_dialogue", _("citizen dialogue")
    GENERAL_MEETING = "general_meeting", _("general meeting (stormöte)")


MAX_SPAN = datetime.timedelta(days=14)


class ActivityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def in_year(self, year):
        return self.filter(start_date__year=year)

    def of_type(self, activity_type):
        return self.filter(type=activity_type)

    def for_group(self, group):
        """Return the activities of `group` (a NetworkGroup or its id)."""
        return self.filter(group=group)


class Activity(models.Model):
    """An event beyond the meetings: an activity day, a safety walk, a citizen dialogue …"""

    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organising group"),
    )
    area = models.CharField(_("area"), max_length=200)
    start_date = models.DateField(_("date"), validators=[validate_plausible_date])
    end_date = models.DateField(
        _("last day"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Only for activities over several days."),
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="activities", verbose_name=_("partners")
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    is_special = models.BooleanField(
        _("marked with * in the calendar"),
        default=False,
        help_text=_("For a citizen dialogue, theme day or conference held with the activity."),
    )
    visibility = models.CharField(
        _("who may see the activity"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Only a public activity is on the public pages and in the calendar."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_date", "name"]

    def __str__(self):
        return f"{self.get_type_display()}, {self.area} {self.start_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("meetings:activity_edit", kwargs={"pk": self.pk})

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first.")})
        if self.end_date and self.start_date and self.end_date > self.start_date + MAX_SPAN:
            raise ValidationError({"end_date": _("An activity can last at most two weeks.")})

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def tier_label(self) -> str:
        return Visibility(self.visibility).short_label

    @property
    def is_marked(self):
        """Return whether the calendar marks the activity with "*"."""
        return self.is_special or self.type == ActivityType.CITIZEN_DIALOGUE
