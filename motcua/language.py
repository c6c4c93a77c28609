"""Vietnamese unless the visitor chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a Vietnamese
citizen on an English-language browser would get English pages. motcua's default is
Vietnamese on every page; the language switch (a cookie set by /i18n/setlang/) is the only
way to change it.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
