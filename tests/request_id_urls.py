"""A test-only URLconf: views that fail, behind the project's error handlers."""

from django.urls import path
from rest_framework import exceptions
from rest_framework.views import APIView


class Unavailable(exceptions.APIException):
    status_code = 503
    default_detail = "Try again later."


def crashes(request):
    raise RuntimeError("boom")


def fine(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


class CrashingApiView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        raise RuntimeError("boom inside DRF")


class UnavailableApiView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        raise Unavailable()


urlpatterns = [
    path("api/v1/crash/", crashes),
    path("api/v1/fine/", fine),
    path("api/v1/drf-crash/", CrashingApiView.as_view()),
    path("api/v1/unavailable/", UnavailableApiView.as_view()),
]

handler404 = "newsroom.views.not_found"
handler500 = "newsroom.views.server_error"
