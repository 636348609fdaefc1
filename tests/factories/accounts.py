"""Users in each of the portal's roles."""

from django.contrib.auth import get_user_model

from networks.models import GroupRole
from networks.permissions import Role
from networks.services import role_group_setup
from tests.factories.networks import GroupRoleFactory


def user_with_role(role: Role, username: str | None = None):
    """Create a user in a staff role: administrator, network developer or head of administration."""
    User = get_user_model()
    username = username or role.value
    if role == Role.ADMINISTRATOR:
        return User.objects.create_superuser(username, f"{username}@example.org", "pw")
    user = User.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
    user.groups.add(role_group_setup(role))
    return user


def coordinator_of(*groups, username="coordinator", role=GroupRole.Role.CONVENER, **person):
    """Create a coordinator: a user whose person convenes (or is contact person of) `groups`.

    `person` sets the person's fields (`person__organisation=…` for an association's
    coordinator); by default they work for a municipal administration.
    """
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    found = None
    for group in groups:
        if found is not None:
            GroupRoleFactory(group=group, role=role, person=found)
        else:
            found = GroupRoleFactory(group=group, role=role, person__user=user, **person).person
    return user


def member_of(*groups, username="member", organisation=None):
    """Create a member of `groups` (role member) working for `organisation`: its type decides
    whether they are bound by professional secrecy."""
    kwargs = {} if organisation is None else {"person__organisation": organisation}
    return coordinator_of(*groups, username=username, role=GroupRole.Role.MEMBER, **kwargs)
