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


def coordinator_of(*groups, username="coordinator", role=GroupRole.Role.CONVENER):
    """Create a coordinator: a user whose person convenes (or is contact person of) `groups`."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    person = None
    for group in groups:
        link = GroupRoleFactory(group=group, role=role, person=person) if person else None
        if link is None:
            link = GroupRoleFactory(group=group, role=role, person__user=user)
            person = link.person
    return user
