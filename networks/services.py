"""Writes to the registry that are not the admin's: the auth groups of the staff roles."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .permissions import ROLE_GROUPS, Role


def role_group_setup(role: Role | str) -> Group:
    """Return the auth group of a staff role, with its admin permissions on the registry.

    Each app names the models its staff reach in the admin (`staff_admin_models` on its app
    config), so an app added later brings its own without this module knowing it.
    """
    name, actions = ROLE_GROUPS[Role(role)]
    group, _ = Group.objects.get_or_create(name=name)
    wanted = Q()
    for config in apps.get_app_configs():
        models = getattr(config, "staff_admin_models", ())
        codenames = [f"{action}_{model}" for model in models for action in actions]
        if codenames:
            wanted |= Q(content_type__app_label=config.label, codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
