import factory
from factory.django import DjangoModelFactory

from networks.models import (
    District,
    GroupRole,
    Municipality,
    NetworkGroup,
    NetworkKind,
    Organisation,
    Person,
)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = "Exempelby kommun"
    email = "kontakt@example.org"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Distrikt {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.MUNICIPAL_ADMINISTRATION


class NetworkKindFactory(DjangoModelFactory):
    class Meta:
        model = NetworkKind

    name = factory.Sequence(lambda n: f"Nätverkstyp {n}")
    slug = factory.Sequence(lambda n: f"typ-{n}")
    goal = "Att öka tryggheten."
    purpose = "Att samverka."
    guidelines = "Nätverket träffas 3-4 gånger/termin.\nDeltagare: skola och fritid."
    meetings_per_term_min = 3
    meetings_per_term_max = 4


class NetworkGroupFactory(DjangoModelFactory):
    class Meta:
        model = NetworkGroup
        skip_postgeneration_save = True

    kind = factory.SubFactory(NetworkKindFactory)
    name = factory.Sequence(lambda n: f"Grupp {n}")
    slug = factory.Sequence(lambda n: f"grupp-{n}")
    description = "En lokal nätverksgrupp."

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Nummer{n}")
    title = "Fritidsledare"
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "070-174 06 50"
    public_consent = True


class GroupRoleFactory(DjangoModelFactory):
    class Meta:
        model = GroupRole

    group = factory.SubFactory(NetworkGroupFactory)
    person = factory.SubFactory(PersonFactory)
    role = GroupRole.Role.CONVENER
