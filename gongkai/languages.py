"""The site's languages (issue 12 §4): zh-Hans without a prefix (``/``), zh-Hant under
``/zh-hant/`` and English under ``/en/`` (``i18n_patterns`` in gongkai/urls.py; Django's LocaleMiddleware takes
the language from the prefix). The API, the admin and ``/healthz`` have no prefix.

The visitor's choice is remembered in the language cookie (``settings.LANGUAGE_COOKIE_NAME``):

- the switcher's links (templates/gongkai/_languages.html) carry ``?lang=<code>``: such a GET sets the cookie
  and redirects to the same page in that language without the parameter;
- a GET or HEAD of an unprefixed page by a visitor whose cookie names zh-Hant or English is redirected to the
  same page under that language's prefix. A prefixed URL is always served in its own language.

So a page's language is decided by its URL alone, before any view runs: the shared page cache
(gongkai/pagecache.py) keys pages by path and language, and never serves one language's copy for another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.urls import is_valid_path
from django.utils import translation

PARAM = "lang"
# The switcher's labels are each language's own name, marked with its language (never translated).
LABELS = {"zh-hans": ("简体", "zh-Hans"), "zh-hant": ("繁體", "zh-Hant"), "en": ("English", "en")}


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def split_prefix(path: str) -> tuple[str, str]:
    """``path``'s language and the path without its prefix: ``/en/catalog/`` → ``("en", "/catalog/")``;
    an unprefixed path is in the default language."""
    for code in codes():
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return code, path[len(prefix) - 1 :]
        if path == prefix[:-1]:
            return code, "/"
    return settings.LANGUAGE_CODE, path


def localised(path: str, code: str) -> str:
    """The unprefixed ``path`` under ``code``'s prefix (none for the default language)."""
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def _query(request: HttpRequest, **extra: str) -> str:
    query: QueryDict = request.GET.copy()
    query.pop(PARAM, None)
    for key, value in extra.items():
        query[key] = value
    encoded = query.urlencode() if query else ""
    return f"?{encoded}" if encoded else ""


@dataclass(frozen=True)
class LanguageLink:
    code: str
    label: str
    lang: str
    href: str
    current: bool


def links(request: HttpRequest) -> list[LanguageLink]:
    """The current page in every language, for the switcher (``request.language_links``)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    _code, path = split_prefix(request.path_info)
    result = []
    for code in codes():
        label, lang = LABELS.get(code, (code, code))
        href = request.META.get("SCRIPT_NAME", "") + localised(path, code) + "?" + urlencode({PARAM: code})
        rest = _query(request)
        if rest:
            href += "&" + rest[1:]
        result.append(LanguageLink(code, label, lang, href, code == current))
    return result


def _remember(response: HttpResponseBase, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" in settings
    )


def _has_page(path: str, code: str) -> bool:
    with translation.override(code):
        return bool(is_valid_path(localised(path, code), getattr(settings, "ROOT_URLCONF", None)))


class LanguageChoiceMiddleware:
    """After Django's LocaleMiddleware: applies ``?lang=`` and the remembered choice (see the module's text),
    and gives templates ``request.language_links``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in {"GET", "HEAD"}:
            redirect = self._redirect(request)
            if redirect is not None:
                return redirect
        request.language_links = links(request)  # type: ignore[attr-defined]
        return self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponseBase | None:
        in_path, path = split_prefix(request.path_info)
        script = request.META.get("SCRIPT_NAME", "")
        chosen = request.GET.get(PARAM)
        if chosen is not None:
            if chosen not in codes() or not _has_page(path, chosen):
                return None  # not a language, or a URL without languages (the API, the admin): left alone
            response = HttpResponseRedirect(script + localised(path, chosen) + _query(request))
            _remember(response, chosen)
            return response
        remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if (
            in_path == settings.LANGUAGE_CODE
            and remembered != settings.LANGUAGE_CODE
            and remembered in codes()
            and _has_page(path, remembered)
        ):
            return HttpResponseRedirect(script + localised(path, remembered) + _query(request))
        return None
