import datetime

import factory
from factory.django import DjangoModelFactory

from meetings.models import Activity, ActivityType, Meeting, MeetingStatus, MeetingType
from tests.factories.networks import NetworkGroupFactory


class MeetingFactory(DjangoModelFactory):
    """A planned ordinary meeting of a group, two weeks from today, 15–17."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    group = factory.SubFactory(NetworkGroupFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=14))
    start_time = datetime.time(15, 0)
    end_time = datetime.time(17, 0)
    place = "Mötesplatsen"
    type = MeetingType.ORDINARY
    status = MeetingStatus.PLANNED


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    type = ActivityType.ACTIVITY_DAY
    name = "Aktivitetsdag"
    group = factory.SubFactory(NetworkGroupFactory)
    area = "Hulta"
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
