"""The demo: its network developer and administrator can log in with the published demo secret."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def test_loaddemo_gives_the_accounts_that_need_a_code_the_demo_app_once():
    """admin and utvecklare get the demo secret, the others nothing; a second load adds none."""
    output = io.StringIO()
    call_command("loaddemo", stdout=output)
    holders = TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    assert sorted(holders) == ["admin", "utvecklare"]
    assert "LOKALSAMVERKANDEMOLOKALSAMVERKAN" in output.getvalue()
    call_command("loaddemo", stdout=io.StringIO())
    assert TOTPDevice.objects.count() == 2


def test_the_demo_network_developer_logs_in_with_democode(client):
    """`manage.py democode` prints the code that, after utvecklare / demo, logs in."""
    call_command("loaddemo", stdout=io.StringIO())
    response = client.post(reverse("login"), {"username": "utvecklare", "password": "demo"})
    assert response["Location"] == reverse("accounts:second_factor")
    code = io.StringIO()
    call_command("democode", stdout=code, stderr=io.StringIO())
    response = client.post(reverse("accounts:second_factor"), {"code": code.getvalue().strip()})
    assert response["Location"] == reverse("meetings:my_networks")
    assert "_auth_user_id" in client.session
