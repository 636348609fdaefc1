"""Posting a form that creates something the way a browser does: with the one-time key its
rendered page carries (submissions.forms)."""

import re
import uuid

from submissions.forms import KEY


def fresh_key() -> dict:
    """Return the one-time key of a freshly rendered form, to spread into what is posted."""
    return {KEY: str(uuid.uuid4())}


def key_of(page: str) -> str:
    """Return the one-time key in a rendered form page's hidden field."""
    found = re.findall(rf'<input type="hidden" name="{KEY}" value="([^"]*)"', page)
    assert len(found) == 1, f"one hidden {KEY} expected in the form, found {found}"
    return found[0]
