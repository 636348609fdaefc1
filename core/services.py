"""The one updater the apps' services write through (after HackSoft's `model_update`)."""

from django.db import models


def model_update(*, instance: models.Model, fields: tuple[str, ...], data: dict) -> models.Model:
    """Set the whitelisted `fields` given in `data` on `instance`, validate it and save it.

    A name in `data` that is not in `fields` is a programming error (TypeError), never silently
    dropped or written. Many-to-many fields among `fields` are set after the row is saved, so
    `instance` may be new. Wrap the call in a transaction where a many-to-many field is set.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    many = {}
    for name, value in data.items():
        if instance._meta.get_field(name).many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance
