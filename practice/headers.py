"""Privacy headers for every page the app itself answers (static files are served earlier by
WhiteNoise, with their own caching).

- `Cache-Control: no-store, private`: no browser, proxy or back button keeps a copy of a page
  that may show client data (OWASP ASVS 14.3.2). Applied to every dynamic response, signed in
  or not: the sign-in page carries a CSRF token, and it costs nothing.
- `Permissions-Policy`: the product uses no camera, microphone, location, payment or other
  powerful feature, so none may be used by anything it shows.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY).
"""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

UNUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in UNUSED_FEATURES)


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
