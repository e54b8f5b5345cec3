from django.urls import path

from articles.followup_views import followup_action

urlpatterns = [
    path("action/<str:token>/", followup_action, name="followup-action"),
]
