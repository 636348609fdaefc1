import pytest

from networks.permissions import Role, coordinated_group_ids, role_of
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.networks import NetworkGroupFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER, Role.HEAD_OF_ADMINISTRATION]
)
def test_staff_users_get_their_role(role):
    """Each staff account is recognised in the role it was given."""
    assert role_of(user_with_role(role)) == role


def test_coordinator_is_scoped_to_their_groups():
    """A coordinator's groups are exactly those they convene."""
    mine, other = NetworkGroupFactory.create_batch(2)
    theirs = NetworkGroupFactory()
    user = coordinator_of(mine, other)
    assert role_of(user) == Role.COORDINATOR
    assert coordinated_group_ids(user) == {mine.pk, other.pk}
    assert theirs.pk not in coordinated_group_ids(user)
