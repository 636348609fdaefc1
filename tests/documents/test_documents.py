"""The document pages: lists, versions, the download and who may do what at each tier."""

import pytest
from django.urls import reverse

from documents.models import Document, DocumentVersion
from networks.models import GroupRole, Visibility
from tests.documents.conftest import ROLES
from tests.factories.documents import DocumentFactory, ooxml_bytes, upload
from tests.factories.meetings import MeetingFactory
from tests.submitted import fresh_key

pytestmark = pytest.mark.django_db

TIERS = (Visibility.PUBLIC, Visibility.NETWORK, Visibility.CONFIDENTIAL, Visibility.RESTRICTED)
# fmt: off
# Who may read a document of group A at each tier (download and list alike): the rows of ROLES.
#                              public network confidential restricted
MAY_READ = {
    "anonymous":               (1, 0, 0, 0),
    "association_member":      (1, 1, 0, 0),
    "municipal_member":        (1, 1, 1, 0),
    "association_coordinator": (1, 1, 0, 0),
    "municipal_coordinator":   (1, 1, 1, 1),
    "other_coordinator":       (1, 0, 0, 0),
    "head":                    (1, 1, 1, 0),
    "developer":               (1, 1, 1, 1),
}
# fmt: on


def list_url(group):
    return reverse("documents:document_list", args=["grupp", group.pk])


@pytest.fixture
def tiered(world):
    """One document of group A at each tier, titled by its tier."""
    return {
        tier: DocumentFactory(group=world["group_a"], visibility=tier, title=f"Dokument {tier}")
        for tier in TIERS
    }


@pytest.mark.parametrize("role", ROLES)
def test_who_may_download_each_tier(world, tiered, as_role, role):
    """Each role downloads exactly the tiers it reaches; any other is 404, as if missing."""
    client = as_role(world, role)
    for tier, allowed in zip(TIERS, MAY_READ[role], strict=True):
        document = tiered[tier]
        download = client.get(reverse("documents:version_download", args=[document.pk, 1]))
        detail = client.get(document.get_absolute_url())
        expected = 200 if allowed else 404
        assert (download.status_code, detail.status_code) == (expected, expected), (role, tier)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_each_tier_in_the_list(world, tiered, as_role, role):
    """The group's list shows a role the documents it may read, and no other."""
    page = as_role(world, role).get(list_url(world["group_a"])).content.decode()
    for tier, allowed in zip(TIERS, MAY_READ[role], strict=True):
        assert (f"Dokument {tier}" in page) == bool(allowed), (role, tier)


def test_a_member_who_leaves_the_group_loses_access_at_once(world, client):
    """With their role in the group deleted, a member's next request is refused."""
    document = DocumentFactory(group=world["group_a"], visibility=Visibility.NETWORK)
    client.force_login(world["users"]["association_member"])
    url = reverse("documents:version_download", args=[document.pk, 1])
    assert client.get(url).status_code == 200
    GroupRole.objects.filter(person__user=world["users"]["association_member"]).delete()
    assert client.get(url).status_code == 404
    assert "Dokument" not in client.get(list_url(world["group_a"])).content.decode().split("<h1>")[
        1
    ].split("</table>")[0].replace("Dokument:", "")


def test_the_download_is_an_attachment_with_its_stored_type(world, client):
    """A version is sent as a download, with the stored type, never sniffed, never kept."""
    # Made once: a ZIP records the time it was written, so a second one may differ.
    data = ooxml_bytes("docx")
    document = DocumentFactory(group=world["group_a"], file_name="Årsplan 2025.docx", data=data)
    client.force_login(world["users"]["association_member"])
    response = client.get(reverse("documents:version_download", args=[document.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename=\"_rsplan 2025.docx\"; filename*=UTF-8''%C3%85rsplan%202025.docx"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == data


def test_a_public_document_is_downloaded_by_anyone_and_never_from_media(world, client):
    """Anyone downloads a public document, through the view; the storage has no URL at all."""
    document = DocumentFactory(group=world["group_a"], visibility=Visibility.PUBLIC)
    response = client.get(reverse("documents:version_download", args=[document.pk, 1]))
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "/media/" not in client.get(document.get_absolute_url()).content.decode()


def test_a_new_version_keeps_the_old_ones(world, client):
    """Uploading a new version adds number 2; version 1 stays listed and downloadable."""
    document = DocumentFactory(group=world["group_a"], file_name="plan.pdf")
    client.force_login(world["users"]["municipal_coordinator"])
    response = client.post(
        reverse("documents:version_create", args=[document.pk]),
        {**fresh_key(), "file": upload("plan v2.docx", ooxml_bytes("docx"))},
    )
    assert response.status_code == 302
    numbers = list(document.versions.values_list("number", "original_name"))
    assert numbers == [(2, "plan v2.docx"), (1, "plan.pdf")]
    page = client.get(document.get_absolute_url()).content.decode()
    assert "plan v2.docx" in page and "plan.pdf" in page
    for number in (1, 2):
        url = reverse("documents:version_download", args=[document.pk, number])
        assert client.get(url).status_code == 200
    assert (
        client.get(reverse("documents:version_download", args=[document.pk, 3])).status_code == 404
    )


def test_a_coordinator_uploads_to_their_group_with_a_meeting_link(world, client):
    """A coordinator uploads the minutes of their group's meeting; the meeting's page lists it."""
    meeting = MeetingFactory(group=world["group_a"], visibility=Visibility.NETWORK)
    client.force_login(world["users"]["municipal_coordinator"])
    response = client.post(
        reverse("documents:document_create", args=["grupp", world["group_a"].pk]),
        {
            **fresh_key(),
            "file": upload("protokoll.pdf"),
            "title": "Protokoll",
            "visibility": Visibility.NETWORK,
            "meeting": meeting.pk,
            "meeting_role": "minutes",
        },
    )
    document = Document.objects.get()
    assert response.url == document.get_absolute_url()
    assert (document.meeting, document.meeting_role) == (meeting, "minutes")
    client.force_login(world["users"]["association_member"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Protokoll" in page and document.get_absolute_url() in page


def test_the_meeting_page_shows_only_documents_the_reader_may_read(world, client):
    """A confidential document linked to a meeting is not on its page for an association member."""
    meeting = MeetingFactory(group=world["group_a"], visibility=Visibility.PUBLIC)
    DocumentFactory(group=world["group_a"], meeting=meeting, meeting_role="agenda", title="Öppen")
    DocumentFactory(
        group=world["group_a"],
        meeting=meeting,
        meeting_role="minutes",
        title="Sekretessbelagd",
        visibility=Visibility.CONFIDENTIAL,
    )
    client.force_login(world["users"]["association_member"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Öppen" in page and "Sekretessbelagd" not in page
    client.force_login(world["users"]["municipal_member"])
    assert "Sekretessbelagd" in client.get(meeting.get_absolute_url()).content.decode()


def test_a_meeting_of_another_group_cannot_be_linked(world, client):
    """The meeting must be the document's owner's: another group's is refused beside the field."""
    other = MeetingFactory(group=world["group_b"])
    client.force_login(world["users"]["developer"])
    response = client.post(
        reverse("documents:document_create", args=["grupp", world["group_a"].pk]),
        {
            **fresh_key(),
            "file": upload("a.pdf"),
            "visibility": Visibility.NETWORK,
            "meeting": other.pk,
            "meeting_role": "agenda",
        },
    )
    assert "meeting" in response.context["form"].errors
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("role", "answer"),
    [
        ("anonymous", 302),
        ("association_member", 403),
        ("municipal_member", 403),
        ("other_coordinator", 403),
        ("head", 403),
        ("association_coordinator", 200),
        ("municipal_coordinator", 200),
        ("developer", 200),
    ],
)
def test_who_may_upload_to_a_group(world, as_role, role, answer):
    """The group's coordinators and the network developer upload; members and others do not."""
    url = reverse("documents:document_create", args=["grupp", world["group_a"].pk])
    assert as_role(world, role).get(url).status_code == answer


@pytest.mark.parametrize(("role", "answer"), [("municipal_coordinator", 403), ("developer", 200)])
@pytest.mark.parametrize("owner", ["typ", "forum"])
def test_only_the_network_developer_uploads_to_kinds_and_forums(
    world, as_role, role, answer, owner
):
    """A kind's and a forum's documents are the network developer's."""
    from networks.models import Forum

    pk = world["kind"].pk if owner == "typ" else Forum.objects.create(name="BRÅ", slug="bra").pk
    url = reverse("documents:document_create", args=[owner, pk])
    assert as_role(world, role).get(url).status_code == answer


def test_an_association_coordinator_cannot_choose_or_manage_the_confidential_tier(world, client):
    """An association's coordinator is offered no tier they cannot read, and cannot change a
    confidential document (404: they cannot even see it)."""
    client.force_login(world["users"]["association_coordinator"])
    url = reverse("documents:document_create", args=["grupp", world["group_a"].pk])
    response = client.post(
        url, {**fresh_key(), "file": upload("a.pdf"), "visibility": Visibility.CONFIDENTIAL}
    )
    assert "visibility" in response.context["form"].errors
    assert not Document.objects.exists()
    secret = DocumentFactory(group=world["group_a"], visibility=Visibility.CONFIDENTIAL)
    assert client.get(reverse("documents:document_edit", args=[secret.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "answer"),
    [("association_member", 403), ("other_coordinator", 404), ("municipal_coordinator", 302)],
)
def test_who_may_delete_a_document(world, as_role, role, answer):
    """The group's coordinator deletes a document with its versions; a member may not."""
    document = DocumentFactory(group=world["group_a"])
    response = as_role(world, role).post(reverse("documents:document_delete", args=[document.pk]))
    assert response.status_code == answer
    assert Document.objects.exists() == (answer != 302)
    assert DocumentVersion.objects.exists() == (answer != 302)


def test_changing_a_document_keeps_its_owner_and_versions(world, client):
    """Title, description and tier change; the versions stay."""
    document = DocumentFactory(group=world["group_a"])
    client.force_login(world["users"]["municipal_coordinator"])
    response = client.post(
        reverse("documents:document_edit", args=[document.pk]),
        {"title": "Ny rubrik", "description": "Text", "visibility": Visibility.CONFIDENTIAL},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.visibility) == ("Ny rubrik", Visibility.CONFIDENTIAL)
    assert document.versions.count() == 1


def test_a_forged_owner_in_the_address_is_404(world, client):
    """A list or upload page of a group that does not exist is 404."""
    client.force_login(world["users"]["developer"])
    assert client.get(reverse("documents:document_list", args=["grupp", 999999])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_at_any_size(world, client, query_count, count):
    """The list page costs a fixed number of queries however many documents the group has.

    The session and the user (2), the group with its kind (1), the user's role and reach (2:
    auth groups, organisation type and forums in one, group roles in the other), the
    municipality for the page's footer (1), and the count, the page of documents with their
    owners and meetings, and their versions (3): 9 in all.
    """
    for _ in range(count):
        DocumentFactory(group=world["group_a"])
    client.force_login(world["users"]["municipal_coordinator"])
    queries, content = query_count.page(client, list_url(world["group_a"]))
    assert content.decode().count("<tr>") == count + 1
    assert queries == 9


def test_the_public_group_page_lists_only_public_documents(world, client):
    """The group's public page offers its public documents, and is emptied of a cached copy
    when one is added; documents of other tiers are never on it."""
    group = world["group_a"]
    DocumentFactory(group=group, visibility=Visibility.NETWORK, title="Medlemmarnas plan")
    first = client.get(group.get_absolute_url()).content.decode()
    assert "Medlemmarnas plan" not in first
    document = DocumentFactory(group=group, visibility=Visibility.PUBLIC, title="Verksamhetsplan")
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Verksamhetsplan" in page and "Medlemmarnas plan" not in page
    assert reverse("documents:version_download", args=[document.pk, 1]) in page


def test_files_lie_on_disk_outside_media_root_without_a_url(
    world, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    """On the production storage the file lies in PRIVATE_MEDIA_ROOT, not MEDIA_ROOT, has no
    URL, and is downloaded whole with its length; deleting the document deletes the file."""
    from core.storage import PrivateFileSystemStorage

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    field = DocumentVersion._meta.get_field("file")
    storage, field.storage = field.storage, PrivateFileSystemStorage()
    try:
        data = ooxml_bytes("xlsx")  # once: a ZIP records when it was written
        document = DocumentFactory(group=world["group_a"], data=data, file_name="budget.xlsx")
        version = document.versions.get()
        path = tmp_path / "private" / version.file.name
        assert path.read_bytes() == data
        assert not (tmp_path / "media").exists()
        with pytest.raises(ValueError):
            version.file.url  # noqa: B018 – asking for it is the test
        client.force_login(world["users"]["municipal_member"])
        response = client.get(reverse("documents:version_download", args=[document.pk, 1]))
        assert response["Content-Length"] == str(len(data))
        assert b"".join(response.streaming_content) == data
        client.force_login(world["users"]["municipal_coordinator"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("documents:document_delete", args=[document.pk]))
        assert not path.exists()
    finally:
        field.storage = storage


def test_a_list_names_a_meeting_only_to_those_who_may_see_it(world, client):
    """A public document of a confidential meeting does not tell the public that the meeting
    took place (nor when)."""
    meeting = MeetingFactory(group=world["group_a"], visibility=Visibility.CONFIDENTIAL)
    DocumentFactory(
        group=world["group_a"],
        visibility=Visibility.PUBLIC,
        meeting=meeting,
        meeting_role="minutes",
        title="Offentligt protokoll",
    )
    page = client.get(list_url(world["group_a"])).content.decode()
    assert "Offentligt protokoll" in page and meeting.get_absolute_url() not in page
    client.force_login(world["users"]["municipal_member"])
    assert meeting.get_absolute_url() in client.get(list_url(world["group_a"])).content.decode()
