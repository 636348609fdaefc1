"""Who may do what: the one place that decides. Views, forms and templates ask it.

Roles:
- administrator: a superuser; everything.
- network developer (verksamhetsutvecklare): all groups, forums and joint meetings; every tier.
- head of administration (förvaltningschef): reads every group's meetings and notes up to the
  confidential tier; asks for the annual report and the calendar as PDF and publishes the annual
  report (the decision document they take to the board); changes nothing else.
- coordinator: a person who is convener or contact person of a group; works on those groups only.
- member: a person with any role in a group or a forum; reads what their tier lets them read.
- anyone else, logged in or not: what is public.

Secrecy tiers (networks.models.Visibility), what each lets through for a group's records:
- public: everyone;
- network: every member of the group, whatever their organisation;
- confidential: the group's members who are bound by professional secrecy (their organisation's
  type says so: Organisation.bound_by_secrecy), the network developer and the head of
  administration;
- restricted: the group's own coordinators bound by secrecy, and the network developer.
A kind's joint meetings count every group of the kind as theirs, a forum its members; records of
the whole portal count every member of anything. An association's people (not bound by secrecy)
never reach the confidential tier, whatever role they hold: being logged in is never enough.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import GroupRole, NetworkGroup, Organisation, Visibility


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    NETWORK_DEVELOPER = "network_developer"
    HEAD_OF_ADMINISTRATION = "head_of_administration"
    COORDINATOR = "coordinator"
    MEMBER = "member"
    PUBLIC = "public"


# The auth groups that carry the staff roles, with their admin permissions on the registry.
ROLE_GROUPS = {
    Role.NETWORK_DEVELOPER: ("Verksamhetsutvecklare", ("add", "change", "delete", "view")),
    Role.HEAD_OF_ADMINISTRATION: ("Förvaltningschef", ("view",)),
}

# The tier each staff role reaches for every group, kind and forum.
EVERYWHERE = {
    Role.ADMINISTRATOR: Visibility.RESTRICTED,
    Role.NETWORK_DEVELOPER: Visibility.RESTRICTED,
    Role.HEAD_OF_ADMINISTRATION: Visibility.CONFIDENTIAL,
}


@dataclass(frozen=True)
class Reach:
    """The most closed tier a person may read, per group, kind and forum and for the portal.

    Computed once per request (`reach_of`); `tier`, `may_read` and `filter` answer from it.
    """

    everywhere: Visibility = Visibility.PUBLIC
    groups: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    forums: dict = field(default_factory=dict)
    portal: Visibility = Visibility.PUBLIC
    coordinated: frozenset = frozenset()
    bound_by_secrecy: bool = False

    def __post_init__(self):
        for name in ("everywhere", "portal"):
            object.__setattr__(self, name, Visibility(getattr(self, name)))

    def tier(self, *, group_id=None, kind_id=None, forum_id=None) -> Visibility:
        """Return the most closed tier the person reaches for the owner given (none: the
        portal as a whole)."""
        if group_id is not None:
            own = self.groups.get(group_id, Visibility.PUBLIC)
        elif kind_id is not None:
            own = self.kinds.get(kind_id, Visibility.PUBLIC)
        elif forum_id is not None:
            own = self.forums.get(forum_id, Visibility.PUBLIC)
        else:
            own = self.portal
        return Visibility.closest(own, self.everywhere)

    def may_read(self, visibility, **owner) -> bool:
        """Return whether the person may read a record of `visibility` held by `owner`."""
        return Visibility(visibility).rank <= self.tier(**owner).rank

    def filter(
        self,
        *,
        field: str = "visibility",
        group: str | None = "group",
        kind: str | None = "kind",
        forum: str | None = "forum",
    ) -> Q:
        """Return a filter for the records the person may read.

        `field` names the tier field; `group`, `kind` and `forum` the owner fields the model has
        (None where it has none: its records without an owner are the portal's).
        """
        owners = {"group": group, "kind": kind, "forum": forum}
        condition = Q(**{field: Visibility.PUBLIC})
        for tier in list(Visibility)[1:]:
            if self.everywhere.rank >= tier.rank:
                condition |= Q(**{field: tier})
                continue
            reached = Q(pk__in=[])
            for name, mapping in (
                ("group", self.groups),
                ("kind", self.kinds),
                ("forum", self.forums),
            ):
                if owners[name] is None:
                    continue
                ids = [pk for pk, own in mapping.items() if own.rank >= tier.rank]
                if ids:
                    reached |= Q(**{f"{owners[name]}_id__in": ids})
            if self.portal.rank >= tier.rank:
                reached |= Q(**{f"{name}__isnull": True for name in owners.values() if name})
            condition |= Q(**{field: tier}) & reached
        return condition


def tier_in_group(bound_by_secrecy: bool, role) -> Visibility:
    """Return the tier a role in a group gives: network for those not bound by secrecy,
    confidential for members who are, restricted for coordinators who are."""
    if not bound_by_secrecy:
        return Visibility.NETWORK
    return Visibility.RESTRICTED if role in GroupRole.CONTACT_ROLES else Visibility.CONFIDENTIAL


def _role_and_reach(user) -> tuple[Role, Reach]:
    """Compute the user's role and reach: two queries for a member, one for the staff roles,
    none for an administrator."""
    if user.is_superuser:
        return Role.ADMINISTRATOR, Reach(
            everywhere=EVERYWHERE[Role.ADMINISTRATOR], bound_by_secrecy=True
        )
    # One query for the auth groups, the person's organisation type and forums (a few rows:
    # groups × forums), one for the roles in groups.
    rows = list(
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list("groups__name", "person__organisation__type", "person__forums")
    )
    names = {name for name, _type, _forum in rows if name}
    organisation_type = next((kind for _name, kind, _forum in rows), None)
    forums = {forum for _name, _type, forum in rows if forum is not None}
    staff_role = next(
        (role for role, (name, _permissions) in ROLE_GROUPS.items() if name in names), None
    )
    if staff_role is not None:
        # The staff roles reach every group at their tier and coordinate none themselves.
        return staff_role, Reach(everywhere=EVERYWHERE[staff_role], bound_by_secrecy=True)
    memberships = list(
        GroupRole.objects.filter(person__user=user).values_list(
            "group_id", "group__kind_id", "role"
        )
    )
    bound = organisation_type in Organisation.SECRECY_BOUND_TYPES
    member_tier = tier_in_group(bound, GroupRole.Role.MEMBER)
    groups, kinds, coordinated = {}, {}, set()
    for group_id, kind_id, role in memberships:
        if role in GroupRole.CONTACT_ROLES:
            coordinated.add(group_id)
        tier = tier_in_group(bound, role)
        groups[group_id] = Visibility.closest(tier, groups.get(group_id, Visibility.PUBLIC))
        kinds[kind_id] = member_tier
    forum_tiers = dict.fromkeys(forums, member_tier)
    is_member = bool(memberships or forums)
    reach = Reach(
        groups=groups,
        kinds=kinds,
        forums=forum_tiers,
        portal=member_tier if is_member else Visibility.PUBLIC,
        coordinated=frozenset(coordinated),
        bound_by_secrecy=bound,
    )
    if coordinated:
        role = Role.COORDINATOR
    elif is_member:
        role = Role.MEMBER
    else:
        role = Role.PUBLIC
    return role, reach


def _computed(user) -> tuple[Role, Reach]:
    """Return the user's role and reach, computed once per request and kept on the user."""
    if not user.is_authenticated:
        return Role.PUBLIC, Reach()
    cached = getattr(user, "_lokalsamverkan_access", None)
    if cached is None:
        cached = _role_and_reach(user)
        user._lokalsamverkan_access = cached
    return cached


def role_of(user) -> Role:
    """Return the user's role."""
    return _computed(user)[0]


def reach_of(user) -> Reach:
    """Return the tiers the user reaches, per group, kind and forum."""
    return _computed(user)[1]


def coordinated_group_ids(user) -> frozenset[int]:
    """Return the ids of the groups where the user's person is convener or contact person."""
    return reach_of(user).coordinated


def is_bound_by_secrecy(user) -> bool:
    """Return whether the user is bound by professional secrecy (by organisation or role)."""
    return reach_of(user).bound_by_secrecy


def requires_second_factor(user) -> bool:
    """Return whether a password login of `user` must also give a code from an app (TOTP).

    Those who may change everything: the administrators and the network developer. Signing in
    through the municipality's identity provider needs no code here (the provider asks for its
    own factors).
    """
    return role_of(user) in (Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER)


def works_in_portal(user) -> bool:
    """Return whether the user works in the portal: any role but the public."""
    return role_of(user) != Role.PUBLIC


def manages_everything(user) -> bool:
    """Return whether the user may change any group's, forum's or kind's meetings."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER)


def editable_groups(user) -> QuerySet[NetworkGroup]:
    """Return the groups whose meetings and activities the user may create and change."""
    if manages_everything(user):
        return NetworkGroup.objects.all()
    return NetworkGroup.objects.filter(pk__in=coordinated_group_ids(user))


def member_groups(user) -> QuerySet[NetworkGroup]:
    """Return the groups Mina nätverk shows: every group for the staff roles, else the user's
    own (as coordinator or member)."""
    if reach_of(user).everywhere != Visibility.PUBLIC:
        return NetworkGroup.objects.active()
    return NetworkGroup.objects.filter(pk__in=reach_of(user).groups)


def highest_tier(user) -> Visibility:
    """Return the most closed tier the user reaches for any record they may create."""
    reach = reach_of(user)
    tiers = [reach.groups[pk] for pk in reach.coordinated]
    return Visibility.closest(reach.everywhere, *tiers)


def can_edit_group_items(user, group) -> bool:
    """Return whether the user may create or change meetings and activities of `group`."""
    if manages_everything(user):
        return True
    return group is not None and group.pk in coordinated_group_ids(user)


def _owner(record) -> dict:
    """Return the owner ids of a meeting, activity, document … as `Reach.tier` takes them."""
    return {
        "group_id": getattr(record, "group_id", None),
        "kind_id": getattr(record, "kind_id", None),
        "forum_id": getattr(record, "forum_id", None),
    }


def may_read(user, record, visibility=None) -> bool:
    """Return whether the user may read `record` (anything with a tier and an owner) at
    `visibility` (by default its own `visibility`)."""
    return reach_of(user).may_read(visibility or record.visibility, **_owner(record))


def can_edit_meeting(user, meeting) -> bool:
    """Return whether the user may change or cancel `meeting`.

    Meetings of forums and joint meetings of a kind are the network developer's. A group's
    coordinator may change its meetings whose tier (and notes' tier) they reach.
    """
    if manages_everything(user):
        return True
    return (
        meeting.group_id is not None
        and meeting.group_id in coordinated_group_ids(user)
        and may_read(user, meeting, meeting.notes_tier)
    )


def can_create_meetings(user) -> bool:
    """Return whether the user may create meetings for at least one owner."""
    return manages_everything(user) or bool(coordinated_group_ids(user))


def can_view_meeting(user, meeting) -> bool:
    """Return whether the user may see `meeting` at all, given its tier."""
    return may_read(user, meeting)


def visible_meetings_filter(user) -> Q:
    """Return the filter for the meetings the user may see in lists, calendars and feeds."""
    return reach_of(user).filter()


def visible_activities_filter(user) -> Q:
    """Return the filter for the activities the user may see (those without a group are the
    portal's own)."""
    return reach_of(user).filter(kind=None, forum=None)


def can_view_notes(user, meeting) -> bool:
    """Return whether the user may read the notes (with the agenda and follow-up) of
    `meeting`: their tier is the meeting's or the notes' own, whichever is more closed."""
    return may_read(user, meeting, meeting.notes_tier)


def can_search_confidential_text(user) -> bool:
    """Return whether the user may filter, search and sort by the texts only some may read.

    Those are a model's `confidential_fields` (a meeting's agenda, notes and follow-up). Which
    rows a filter keeps tells what the texts say, so only those who may read every one may.
    """
    return manages_everything(user)


def can_view_history(user) -> bool:
    """Return whether the user may see who changed what on meetings and notes."""
    return manages_everything(user)


def can_view_activity(user, activity) -> bool:
    return may_read(user, activity)


def can_edit_activity(user, activity) -> bool:
    """Return whether the user may change `activity` (a coordinator: their groups' only, at a
    tier they reach)."""
    if manages_everything(user):
        return True
    return (
        activity.group_id is not None
        and activity.group_id in coordinated_group_ids(user)
        and may_read(user, activity)
    )


# --- news --------------------------------------------------------------------------------


def visible_news_filter(user) -> Q:
    """Return the filter for the news the user may read at their tier, published or not (news
    of no group and no kind are the whole portal's)."""
    return reach_of(user).filter(kind="kind", forum=None)


# Who writes news for at least one owner: those who create meetings for one.
can_create_news = can_create_meetings


def can_write_for(user, owner_ids: dict) -> bool:
    """Return whether the user may add news and documents to the owner `owner_ids` names
    (`group_id`, `kind_id`, `forum_id`; none: the whole portal).

    A group's coordinators write for their group; the network developer for any group, kind,
    forum and the whole portal. Which tier they may choose is the reach's (`Reach.may_read`).
    """
    if manages_everything(user):
        return True
    group_id = owner_ids.get("group_id")
    return group_id is not None and group_id in coordinated_group_ids(user)


# News and documents have the same writers.
can_write_news = can_write_for


def can_edit_news(user, item) -> bool:
    """Return whether the user may change or delete the news `item`: one they may write for
    its owner, at a tier they reach."""
    return can_write_news(user, _owner(item)) and may_read(user, item)


def writable_news_filter(user) -> Q:
    """Return the filter for the news the user may change (with `visible_news_filter`)."""
    if manages_everything(user):
        return Q()
    return Q(group_id__in=coordinated_group_ids(user))


def can_view_news(user, item, now=None) -> bool:
    """Return whether the user may read the news `item`: at their tier, and, while it is
    scheduled, only if they may change it."""
    if not may_read(user, item):
        return False
    return item.published_at <= (now or timezone.now()) or can_edit_news(user, item)


# --- documents ---------------------------------------------------------------------------

can_upload_documents = can_write_for


def can_read_document(user, document) -> bool:
    """Return whether the user may see `document` and download its versions (any of them)."""
    return may_read(user, document)


def can_manage_document(user, document) -> bool:
    """Return whether the user may change `document`, add a version or delete it: those who may
    upload to its owner, if they may read it (an association's coordinator never manages a
    confidential document)."""
    return can_upload_documents(user, _owner(document)) and may_read(user, document)


def visible_documents_filter(user) -> Q:
    """Return the filter for the documents the user may see in lists (and on meeting pages)."""
    return reach_of(user).filter()


# --- budget ------------------------------------------------------------------------------


def can_view_budget(user) -> bool:
    """Return whether the user may see budget figures: the staff roles and coordinators (a
    coordinator not bound by secrecy only their own groups', see `sees_every_budget`)."""
    return role_of(user) not in (Role.PUBLIC, Role.MEMBER)


def sees_every_budget(user) -> bool:
    """Return whether the user may see every group's budget figures and the totals.

    Association people see their own groups' figures only: what other groups spend tells
    about their work, and a total less one's own figures is the others' figures.
    """
    return can_view_budget(user) and is_bound_by_secrecy(user)


def can_spend_for(user, group) -> bool:
    """Return whether the user may record expenses and apply for pooled funds for `group`."""
    return can_edit_group_items(user, group)


def can_manage_budget(user) -> bool:
    """Return whether the user may set up years, decide applications and close years."""
    return manages_everything(user)


def budget_groups(user) -> QuerySet[NetworkGroup]:
    """Return the groups whose spending and applications the user may see."""
    if manages_everything(user) or role_of(user) == Role.HEAD_OF_ADMINISTRATION:
        return NetworkGroup.objects.all()
    return editable_groups(user)


# --- reports -----------------------------------------------------------------------------


def can_create_reports(user) -> bool:
    """Return whether the user may ask for the annual report and the calendar as PDF.

    The head of administration and the network developer (and administrators); they may also
    download every report, published or not, and publish the annual report.
    """
    return role_of(user) in (
        Role.ADMINISTRATOR,
        Role.NETWORK_DEVELOPER,
        Role.HEAD_OF_ADMINISTRATION,
    )


def can_download_report(user, job) -> bool:
    """Return whether the user may download the PDF of `job` (anyone: a published one)."""
    return job.is_done and (job.is_published or can_create_reports(user))


def can_publish_reports(user) -> bool:
    """Return whether the user may publish an annual report (make it a public download)."""
    return can_create_reports(user)


def can_edit_report_text(user) -> bool:
    """Return whether the user may write the narrative of the annual report."""
    return manages_everything(user)


# --- members -----------------------------------------------------------------------------


def can_invite(user, group) -> bool:
    """Return whether the user may invite people to `group`: the network developer to any
    group, a coordinator to the groups they coordinate."""
    return can_edit_group_items(user, group)


# Who may invite people to at least one group: those who create meetings for one.
can_invite_somewhere = can_create_meetings


def invitable_roles(user, group) -> tuple[str, ...]:
    """Return the roles the user may invite someone to `group` with: the network developer
    any, a coordinator members only (coordinators are the network developer's decision)."""
    if not can_invite(user, group):
        return ()
    if manages_everything(user):
        return tuple(GroupRole.Role.values)
    return (GroupRole.Role.MEMBER,)


def tier_of_role(organisation, role) -> Visibility:
    """Return the tier a person of `organisation` (None: a person on their own) gets in a
    group with `role` – as `reach_of` will compute it once they have it."""
    return tier_in_group(organisation is not None and organisation.bound_by_secrecy, role)


def may_grant(user, group, organisation, role) -> bool:
    """Return whether the user may give a person of `organisation` `role` in `group`.

    Nobody grants more than they reach themselves: an association's coordinator (network
    tier) cannot invite someone as police or municipal staff, who would read the group's
    confidential notes.
    """
    if role not in invitable_roles(user, group):
        return False
    return tier_of_role(organisation, role).rank <= reach_of(user).tier(group_id=group.pk).rank


def can_withdraw_invitation(user, invitation) -> bool:
    """Return whether the user may withdraw `invitation`: who sent it, or the network
    developer."""
    if manages_everything(user):
        return True
    return (
        invitation.invited_by_id == user.pk
        and user.is_authenticated
        and can_invite(user, invitation.group)
    )


def can_manage_members(user, group) -> bool:
    """Return whether the user may see `group`'s members and invitations and remove members:
    the network developer, and the group's coordinators."""
    return can_edit_group_items(user, group)


def can_remove_role(user, group_role) -> bool:
    """Return whether the user may take `group_role` away: the network developer any, a
    coordinator the members of their groups (not a coordinator, not themselves)."""
    if manages_everything(user):
        return True
    return (
        group_role.role == GroupRole.Role.MEMBER
        and can_manage_members(user, group_role.group)
        and group_role.person.user_id != user.pk
    )
