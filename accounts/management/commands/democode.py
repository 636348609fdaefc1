"""Print the current code of the demo's published authenticator secret: `manage.py democode`."""

import time

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from accounts.demo import DEMO_TOTP_SECRET, demo_key_hex


class Command(BaseCommand):
    help = (
        f"Print the code an authenticator app with the demo secret {DEMO_TOTP_SECRET} shows now "
        "(for the demo accounts admin and utvecklare)."
    )

    def handle(self, *args, **options):
        code = totp(bytes.fromhex(demo_key_hex()))
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}")
        self.stderr.write(f"(valid for {left} more seconds)")
