"""Signs of Safety maps, meetings and scales (views/maps.py); concern and notifications
(views/concern.py). Each views module lists its own routes."""

from traad.safety.views import concern, maps

app_name = "safety"
urlpatterns = [*maps.urlpatterns, *concern.urlpatterns]
