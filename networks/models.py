"""The network registry: kinds of network, their groups, districts, organisations and people."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .search import search_key

# Slugs that public URLs use for pages of their own and so cannot name a kind.
RESERVED_KIND_SLUGS = frozenset({"sok"})


class Visibility(models.TextChoices):
    """The secrecy tier of a record or of its confidential parts (a meeting, its notes, a
    document …), from the most open to the most closed; networks.permissions decides who reaches
    which tier of which group, kind or forum."""

    PUBLIC = "public", _("public")
    NETWORK = "network", _("network (every member of the group)")
    CONFIDENTIAL = "confidential", _("confidential (only those bound by professional secrecy)")
    RESTRICTED = "restricted", _("restricted (the group's coordinators and the network developer)")

    @property
    def rank(self) -> int:
        """Return the tier's place from the most open (0) to the most closed."""
        return list(Visibility).index(self)

    @classmethod
    def closest(cls, *tiers) -> "Visibility":
        """Return the most closed of `tiers` (a record's notes are never more open than it)."""
        return max((cls(tier) for tier in tiers), key=lambda tier: tier.rank)

    @property
    def short_label(self) -> str:
        """Return the tier's one-word name, as a list's badge shows it."""
        return TIER_SHORT_LABELS[self]


TIER_SHORT_LABELS = {
    Visibility.PUBLIC: _("public"),
    Visibility.NETWORK: _("network"),
    Visibility.CONFIDENTIAL: _("confidential"),
    Visibility.RESTRICTED: _("restricted"),
}


class Compliance(models.TextChoices):
    """How far the portal meets WCAG 2.1 AA, as an accessibility statement must say."""

    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NOT = "not", _("not compliant")


class Municipality(models.Model):
    """The municipality that runs this portal: one row, edited in the admin."""

    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # The accessibility statement (lag 2018:1937): what only the municipality can say.
    accessibility_compliance = models.CharField(
        _("compliance with the accessibility requirements"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    accessibility_known_gaps = models.TextField(
        _("known accessibility gaps"),
        blank=True,
        help_text=_("Content that is not accessible and why; one paragraph per gap."),
    )
    accessibility_assessed_on = models.DateField(
        _("accessibility assessed on"), null=True, blank=True
    )
    accessibility_updated_on = models.DateField(
        _("accessibility statement updated on"),
        null=True,
        blank=True,
        help_text=_("Empty: the date of the assessment."),
    )
    accessibility_contact_email = models.EmailField(
        _("e-mail for accessibility feedback"),
        blank=True,
        help_text=_("Empty: the municipality's e-mail."),
    )
    accessibility_contact_phone = models.CharField(
        _("phone for accessibility feedback"),
        max_length=50,
        blank=True,
        help_text=_("Empty: the municipality's phone."),
    )
    accessibility_response_time = models.CharField(
        _("response time for accessibility feedback"),
        max_length=200,
        blank=True,
        help_text=_("For example: within five working days."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")

    def __str__(self):
        return self.name

    @property
    def accessibility_email(self) -> str:
        """Return where to report inaccessibility: its own address, else the general one."""
        return self.accessibility_contact_email or self.email

    @property
    def accessibility_phone(self) -> str:
        return self.accessibility_contact_phone or self.phone

    @property
    def accessibility_statement_date(self):
        """Return when the statement was last updated: that date, else the assessment's."""
        return self.accessibility_updated_on or self.accessibility_assessed_on


class District(models.Model):
    """A named district, area or village (stadsdel, område, ort) that groups cover."""

    name = models.CharField(_("name"), max_length=120)
    # The name folded for search (lower case, without diacritics): set on every save.
    search_name = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="district_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """An organisation whose people take part in the networks, or that runs a group."""

    class Type(models.TextChoices):
        MUNICIPAL_ADMINISTRATION = "municipal_administration", _("municipal administration")
        POLICE = "police", _("police")
        REGION = "region", _("region")
        SCHOOL = "school", _("school")
        HOUSING_COMPANY = "housing_company", _("housing company")
        CIVIL_SOCIETY = "civil_society", _("civil-society organisation")
        BUSINESS = "business", _("business")
        OTHER = "other", _("other")

    # Whose people are bound by professional secrecy (tystnadsplikt, sekretess): public bodies.
    # Associations, companies and everyone else are not (seed 003), so they never reach the
    # confidential tier, whatever their role in a group.
    SECRECY_BOUND_TYPES = frozenset(
        {Type.MUNICIPAL_ADMINISTRATION, Type.POLICE, Type.REGION, Type.SCHOOL}
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=Type.choices)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def bound_by_secrecy(self) -> bool:
        """Return whether the organisation's people are bound by professional secrecy."""
        return self.type in self.SECRECY_BOUND_TYPES


class NetworkKind(models.Model):
    """A kind of network (e.g. children and young people, area networks, rural councils)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        help_text=_("Used in the meeting calendar, e.g. for the kind's joint meetings."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    goal = models.TextField(_("goal"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    guidelines = models.TextField(
        _("guidelines"), blank=True, help_text=_("One guideline per line.")
    )
    meetings_per_term_min = models.PositiveSmallIntegerField(
        _("meetings per term, at least"), null=True, blank=True
    )
    meetings_per_term_max = models.PositiveSmallIntegerField(
        _("meetings per term, at most"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("network kind")
        verbose_name_plural = _("network kinds")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:kind_detail", kwargs={"kind_slug": self.slug})

    @property
    def label(self):
        """Return the short name where there is one: the calendar's row label."""
        return self.short_name or self.name

    def clean(self):
        if self.slug in RESERVED_KIND_SLUGS:
            raise ValidationError({"slug": _("This address is taken by another page.")})
        low, high = self.meetings_per_term_min, self.meetings_per_term_max
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"meetings_per_term_max": _("The most cannot be fewer than the least.")}
            )

    @property
    def guideline_list(self):
        """Return the guidelines as a list, one item per non-empty line."""
        return [line.strip(" -•\t") for line in self.guidelines.splitlines() if line.strip()]

    @property
    def meetings_per_term(self):
        """Return the cadence as text: "3–4", "2" or "" when the kind sets none."""
        low, high = self.meetings_per_term_min, self.meetings_per_term_max
        if low is None and high is None:
            return ""
        if low is None or high is None or low == high:
            return str(low if high is None else high)
        return f"{low}–{high}"


class NetworkGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_listing(self):
        """Fetch what a list of groups shows: the kind and the districts."""
        return self.select_related("kind").prefetch_related("districts")

    def for_public_page(self):
        """Fetch what a group's public page shows, contacts limited to those who consented."""
        return self.select_related("kind", "running_organisation").prefetch_related(
            "districts",
            Prefetch(
                "roles",
                queryset=GroupRole.objects.public_contacts(),
                to_attr="public_contacts",
            ),
        )

    def search(self, query):
        """Return the groups covering a district, or named, like `query`."""
        key = search_key(query)
        if len(key) < 2:
            return self.none()
        matching = models.Q(districts__search_name__contains=key) | models.Q(
            search_name__contains=key
        )
        ids = self.filter(matching).values("pk")
        return self.filter(pk__in=ids)


class NetworkGroup(models.Model):
    """A local network group of one kind, covering some districts."""

    kind = models.ForeignKey(
        NetworkKind, on_delete=models.PROTECT, related_name="groups", verbose_name=_("kind")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    districts = models.ManyToManyField(
        District, related_name="groups", blank=True, verbose_name=_("districts")
    )
    running_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="running_groups",
        verbose_name=_("running organisation"),
        help_text=_("For a rural council: the local association that runs it."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive groups are not shown publicly.")
    )
    # The name folded for search (lower case, without diacritics): set on every save.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    objects = NetworkGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("network group")
        verbose_name_plural = _("network groups")
        ordering = ["kind__order", "kind__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="group_slug_unique_in_kind"),
            models.UniqueConstraint(fields=["kind", "name"], name="group_name_unique_in_kind"),
        ]

    def __str__(self):
        return f"{self.name} ({self.kind})"

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "portal:group_detail",
            kwargs={"kind_slug": self.kind.slug, "group_slug": self.slug},
        )

    @property
    def choice_label(self) -> str:
        """Return the name with its kind's short label, as choices show it: names repeat across
        kinds."""
        return f"{self.name} ({self.kind.label})"


class Forum(models.Model):
    """A central forum that meets too, e.g. the strategic group or the crime prevention council."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("Used in the meeting calendar.")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    members = models.ManyToManyField(
        "Person",
        blank=True,
        related_name="forums",
        verbose_name=_("members"),
        help_text=_("They read the forum's meetings, documents and news at their tier."),
    )

    class Meta:
        verbose_name = _("central forum")
        verbose_name_plural = _("central forums")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """Return the short name where there is one: the calendar's row label."""
        return self.short_name or self.name


class Person(models.Model):
    """A person taking part in the networks. Shown publicly only with their consent."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    public_consent = models.BooleanField(
        _("consents to public display"),
        default=False,
        help_text=_(
            "Name, role, organisation, e-mail and phone are shown on public pages only "
            "when this is ticked."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupRoleQuerySet(models.QuerySet):
    def public_contacts(self):
        """Return conveners and contact persons who consented to be shown publicly."""
        return (
            self.filter(
                role__in=GroupRole.CONTACT_ROLES,
                person__public_consent=True,
            )
            .select_related("person", "person__organisation")
            .annotate(
                role_rank=models.Case(models.When(role=GroupRole.Role.CONVENER, then=0), default=1)
            )
            .order_by("role_rank", "person__name")
        )


class GroupRole(models.Model):
    """A person's role in a network group."""

    class Role(models.TextChoices):
        CONVENER = "convener", _("convener")
        CONTACT_PERSON = "contact_person", _("contact person")
        MEMBER = "member", _("member")

    CONTACT_ROLES = (Role.CONVENER, Role.CONTACT_PERSON)

    group = models.ForeignKey(
        NetworkGroup, on_delete=models.CASCADE, related_name="roles", verbose_name=_("group")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="group_roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects = GroupRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role in group")
        verbose_name_plural = _("roles in groups")
        ordering = ["group", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person", "role"], name="group_role_unique"),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()}, {self.group}"
