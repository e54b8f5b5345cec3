"""API authentication: session + CSRF for same-site browser frontends, knox tokens for the rest.

- ``GET /api/v1/auth/me/``: who is logged in (401 if nobody); always sets the CSRF cookie, so a
  single-page app can read it before logging in.
- ``POST /api/v1/auth/login/`` and ``/logout/``: the session, CSRF-protected like any form.
- ``POST /api/v1/auth/tokens/``: a new token for one client (hashed in the database, expiring);
  ``/tokens/logout/`` revokes the token in use, ``/tokens/logout-all/`` all of the user's.
  Tokens are listed and revoked in the admin (knox's "Auth tokens").
Logins go through django-axes (repeated failures lock the username from that address) and
the "auth" throttle.
"""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.auth import TokenAuthentication
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import permissions
from articles.serializers.common import DeskRefSerializer, desk_ref


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    is_admin = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    desks = DeskRefSerializer(many=True)

    def to_representation(self, user):
        return {
            "id": user.pk,
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "is_admin": permissions.is_admin(user),
            "roles": sorted(permissions.roles(user)),
            "desks": [desk_ref(desk) for desk in user.desks.order_by("name")],
        }


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(allow_null=True)


class TooManyAttempts(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many failed logins for this account: wait, then try again.")
    default_code = "locked_out"


class _CSRFCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def enforce_csrf(request) -> None:
    """The CSRF check Django applies to forms (DRF exempts its views; login needs it)."""
    check = _CSRFCheck(lambda req: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")


def authenticate_credentials(request):
    """The user for the posted credentials, through django-axes; 400, or 429 when locked."""
    serializer = CredentialsSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    django_request = request._request
    user = authenticate(
        django_request,
        username=serializer.validated_data["username"],
        password=serializer.validated_data["password"],
    )
    if getattr(django_request, "axes_locked_out", False):
        raise TooManyAttempts()
    if user is None:
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Unknown username or wrong password.")]}
        )
    return user


AUTH_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong credentials."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="CSRF token missing or wrong."),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="Locked out or throttled."),
}


class MeView(APIView):
    @extend_schema(
        summary="The logged-in user, their roles and desks (sets the CSRF cookie)",
        responses={200: MeSerializer, 401: OpenApiResponse(description="Not logged in.")},
    )
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return Response(MeSerializer(request.user).data)


class SessionLoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(
        summary="Log in with a session cookie (send the CSRF token as X-CSRFToken)",
        request=CredentialsSerializer,
        responses={200: MeSerializer, **AUTH_ERRORS},
    )
    def post(self, request):
        enforce_csrf(request._request)
        user = authenticate_credentials(request)
        login(request._request, user)
        return Response(MeSerializer(user).data)


class SessionLogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="End the session", request=None, responses={204: None})
    def post(self, request):
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLoginView(KnoxLoginView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(
        summary="A new API token for one client (expires; revoke it with tokens/logout/)",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, 400: AUTH_ERRORS[400], 429: AUTH_ERRORS[429]},
    )
    def post(self, request, format=None):
        request.user = authenticate_credentials(request)
        return super().post(request, format=format)


class TokenLogoutView(KnoxLogoutView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(summary="Revoke the token of this request", request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


class TokenLogoutAllView(KnoxLogoutAllView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(summary="Revoke all of your tokens", request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)


urlpatterns = [
    path("me/", MeView.as_view(), name="auth-me"),
    path("login/", SessionLoginView.as_view(), name="auth-login"),
    path("logout/", SessionLogoutView.as_view(), name="auth-logout"),
    path("tokens/", TokenLoginView.as_view(), name="auth-token"),
    path("tokens/logout/", TokenLogoutView.as_view(), name="auth-token-logout"),
    path("tokens/logout-all/", TokenLogoutAllView.as_view(), name="auth-token-logout-all"),
]
