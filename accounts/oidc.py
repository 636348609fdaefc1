"""The municipality's sign-in over OpenID Connect, with mozilla-django-oidc.

The authorization code flow with PKCE, state and nonce. What mozilla-django-oidc leaves out is
added here: the ID token's issuer, audience, expiry and issue time are checked; the endpoints
come from the issuer's discovery document unless set one by one; and every refusal – a wrong
nonce, audience or issuer, an expired or forged token, an unknown state, a provider that does
not answer, an e-mail that is unverified, unknown or shared – becomes one Swedish sentence on
the login page, with nobody logged in.

An account is never created and never given a role here: the sign-in logs in the one active
user whose e-mail, or whose person's e-mail (networks.Person.email), is the verified e-mail
the provider sends, compared without case.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .sessions import SIGN_IN_METHOD, SignInMethod, pending_login_clear

logger = logging.getLogger(__name__)

# The endpoints, by setting, and their names in a discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_CACHE_SECONDS = 60 * 60
# Clocks differ a little between the provider and the portal.
CLOCK_LEEWAY_SECONDS = 30

# Why a sign-in was refused, as the login page says it.
REFUSALS = {
    "unknown": _(
        "No account in the portal has the e-mail address your municipal account gave. Ask the "
        "network developer to add your e-mail address to your person or account."
    ),
    "ambiguous": _(
        "More than one account in the portal has the e-mail address your municipal account "
        "gave, so you were not logged in. Ask the network developer to remove the duplicate."
    ),
    "inactive": _("Your account in the portal is deactivated. Ask the network developer."),
    "unverified": _(
        "Your municipal account gave no verified e-mail address, so you were not logged in."
    ),
    "invalid": _(
        "The answer from the municipality's sign-in could not be trusted, so you were not "
        "logged in. Try again; if it happens again, tell the portal's administrator."
    ),
    "state": _(
        "The sign-in had expired or was already used, so you were not logged in. Try again."
    ),
    "cancelled": _("The sign-in was cancelled at the municipality's sign-in service."),
    "unavailable": _(
        "The municipality's sign-in service does not answer right now. Try again later, or log "
        "in with your password."
    ),
}


class SignInRefused(Exception):
    """The provider's answer was read, and refused for `reason` (a key of REFUSALS)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason


def oidc_configured() -> bool:
    """Return whether the municipality's sign-in is set up (client id, secret and issuer)."""
    return bool(
        settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET and settings.OIDC_OP_ISSUER
    )


def provider_endpoints() -> dict[str, str]:
    """Return the provider's endpoints by setting name: those set, the rest discovered.

    The discovery document is read from the issuer and kept in the cache for an hour; its
    "issuer" must be the configured one. Raise SignInRefused("unavailable") when it cannot be
    read.
    """
    endpoints = {name: getattr(settings, name) for name in ENDPOINTS}
    if all(endpoints.values()):
        return endpoints
    issuer = settings.OIDC_OP_ISSUER
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SignInRefused("unavailable", f"discovery at {url}: {error}") from error
        if document.get("issuer") != issuer:
            raise SignInRefused("unavailable", f"discovery names issuer {document.get('issuer')}")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return {name: value or document.get(ENDPOINTS[name], "") for name, value in endpoints.items()}


def axes_ignores(request, credentials) -> bool:
    """Return whether django-axes should neither count nor refuse this login attempt
    (AXES_WHITELIST_CALLABLE): the municipal sign-in's answer has no user name to guess, and
    counting its refusals by address would lock out everyone behind the municipality's one
    address after a few unknown e-mails. The identity provider guards its own logins."""
    return bool(credentials) and "nonce" in credentials and not credentials.get("username")


def users_with_email(email: str):
    """Return the users whose e-mail, or whose person's e-mail, is `email` (any case)."""
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(person__email__iexact=email))
        .distinct()
    )


class MunicipalSignInBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, inactive until configured, checking the ID token fully
    and matching the one person by verified e-mail; it never creates a user."""

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads its settings here and refuses to start without them; this
        # backend is listed always and reads them only when a sign-in comes back.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        """Log in the user the provider's answer names, or record why not on the request."""
        # Only the callback passes a nonce: password logins pass through here untouched.
        if request is None or "nonce" not in kwargs or not oidc_configured():
            return None
        try:
            self._configure()
            return super().authenticate(request, **kwargs)
        except SignInRefused as refusal:
            reason, detail = refusal.reason, str(refusal)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
            # A token that is forged, stale, for someone else, or not even well-formed.
            reason, detail = "invalid", repr(error)
        except requests.RequestException as error:
            # The token endpoint refusing the code (an HTTPError) or not answering at all.
            status = getattr(error.response, "status_code", None)
            reason = "invalid" if status is not None and status < 500 else "unavailable"
            detail = str(error)
        logger.warning("Municipal sign-in refused (%s): %s", reason, detail)
        request.sign_in_refusal = reason
        return None

    def _configure(self):
        endpoints = provider_endpoints()
        for name, value in endpoints.items():
            setattr(self, name, value)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def _verify_jws(self, payload, key):
        """Check the ID token's signature, issuer, audience, expiry and issue time."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"Unreadable ID token: {error}") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error!r}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences, authorised for another")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """Return the provider's claims about the user, who must be the ID token's subject."""
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user info names another subject than the ID token")
        return claims

    def verify_claims(self, claims):
        """Accept only an e-mail the provider vouches for (email_verified, when it says)."""
        if not claims.get("email"):
            raise SignInRefused("unverified", "no e-mail claim")
        if "email_verified" in claims and claims["email_verified"] not in (True, "true"):
            raise SignInRefused("unverified", "email_verified is not true")
        return True

    def filter_users_by_claims(self, claims):
        return users_with_email(claims["email"])

    def get_or_create_user(self, access_token, id_token, payload):
        """Return the one user the verified e-mail names; never create one."""
        claims = self.get_userinfo(access_token, id_token, payload)
        self.verify_claims(claims)
        users = list(self.filter_users_by_claims(claims)[:2])
        if not users:
            raise SignInRefused("unknown", f"no user for subject {payload.get('sub')!r}")
        if len(users) > 1:
            raise SignInRefused("ambiguous", f"several users for subject {payload.get('sub')!r}")
        if not self.user_can_authenticate(users[0]):
            raise SignInRefused("inactive", f"user {users[0].pk} is inactive")
        return users[0]

    def create_user(self, claims):
        # Never reached (get_or_create_user above creates nobody); refuse should it ever be.
        raise SignInRefused("unknown", "the sign-in never creates an account")


def refuse(request, reason: str) -> HttpResponseRedirect:
    """Say on the login page why the sign-in was refused; leave nobody logged in."""
    if request.user.is_authenticated:
        auth.logout(request)
    messages.error(request, REFUSALS[reason])
    return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE))


class SignInStartView(OIDCAuthenticationRequestView):
    """Send the browser to the municipality's sign-in (404 while it is not configured)."""

    def __init__(self, **kwargs):
        # mozilla-django-oidc reads the endpoints here; they are read per request in get().
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        if not oidc_configured():
            raise Http404("The municipal sign-in is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints()["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        except SignInRefused as refusal:
            logger.warning("Municipal sign-in unavailable: %s", refusal)
            return refuse(request, refusal.reason)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """Receive the provider's answer: log the user in, or say on the login page why not."""

    def get(self, request):
        if not oidc_configured():
            raise Http404("The municipal sign-in is not configured.")
        if request.GET.get("error"):
            reason = "cancelled" if request.GET["error"] == "access_denied" else "invalid"
            logger.warning("Municipal sign-in: the provider answered %r", request.GET["error"])
        elif "code" not in request.GET or "state" not in request.GET:
            reason = "invalid"
        elif request.GET.get("iss", settings.OIDC_OP_ISSUER) != settings.OIDC_OP_ISSUER:
            # RFC 9207: the answer names the provider that sent it (a mix-up of providers).
            logger.warning("Municipal sign-in: an answer from issuer %r", request.GET["iss"])
            reason = "invalid"
        elif request.GET["state"] not in request.session.get("oidc_states", {}):
            # An unknown or already used state: a forged or replayed answer, or a login that
            # began in another browser or a session that has ended since.
            logger.warning("Municipal sign-in: unknown state")
            reason = "state"
        else:
            self.succeeded = False
            response = super().get(request)
            if self.succeeded:
                return response
            reason = getattr(request, "sign_in_refusal", "invalid")
        self._forget_state(request)
        return refuse(request, reason)

    def _forget_state(self, request):
        state = request.GET.get("state")
        states = request.session.get("oidc_states", {})
        if state in states:
            del states[state]
            request.session.modified = True

    def login_success(self):
        pending_login_clear(self.request)
        response = super().login_success()
        self.request.session[SIGN_IN_METHOD] = SignInMethod.MUNICIPAL
        self.succeeded = True
        return response

    def login_failure(self):
        # Handled in get(): the reason is on the request.
        return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE))
