"""One read of the practice policy per page.

The middleware, the view, the models and the navigation all ask for PracticePolicy.current().
A GET or HEAD changes nothing, so within one the policy cannot change: the first read serves
the rest of the request. Any other method reads it afresh each time, so a request that saves
the policy sees what it saved.
"""

from django.http import HttpRequest, HttpResponse

from practice.policy.models import read_in_this_request

SAFE_METHODS = ("GET", "HEAD")


class OnePolicyReadPerPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = read_in_this_request.set({})
        try:
            return self.get_response(request)
        finally:
            read_in_this_request.reset(token)
