"""Vietnamese unless the visitor chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a Vietnamese
citizen on an English-language browser would get English pages. motcua's default is
Vietnamese on every page; the language switch (a cookie set by /i18n/setlang/) is the only
way to change it. API clients have no cookies: under /api/ the Accept-Language header
chooses, as HTTP intends.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        vary = "Accept-Language" if request.path.startswith("/api/") else "Cookie"
        patch_vary_headers(response, (vary,))
        response.headers.setdefault("Content-Language", language)
        return response

    def language_for(self, request) -> str:
        if request.path.startswith("/api/"):
            return translation.get_language_from_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return language if language in self.available else settings.LANGUAGE_CODE
