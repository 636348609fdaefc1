"""What every app's demo loader shares: the summary of a load and the error of a bad data set."""

from dataclasses import dataclass, field


class DemoDataError(ValueError):
    """The data set refers to something it does not define."""


@dataclass
class LoadSummary:
    """How many rows of each kind a load created (0 everywhere on a second run)."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, was_created: bool) -> None:
        self.created[label] = self.created.get(label, 0) + int(was_created)

    def __str__(self):
        return ", ".join(f"{label}: {n}" for label, n in self.created.items())


def validated_save(instance):
    """Validate a row of a data set as the admin would (full_clean), save it and return it."""
    instance.full_clean()
    instance.save()
    return instance
