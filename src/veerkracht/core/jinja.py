"""The Jinja2 environment of the pages: Django's translations, URLs, static files and formats.

The pages are drawn by Django's own Jinja2 backend (docs/adr/0022), which compiles a template to
Python once. What Django's template language does by itself is done here with Django's public
API, so a page reads as it would in Django's language:
- every ``{{ value }}`` is localised as Django does (dates in the active time zone, numbers with
  the language's decimal separator) by the environment's ``finalize``;
- ``_()``, ``{% trans %}`` and plurals are Django's ``gettext`` functions, with the same msgids as
  ``{% translate %}`` and ``{% blocktranslate %}`` (``%(name)s`` placeholders), called as Jinja2's
  "new style" gettext calls them (below, ``_gettext``);
- the filters that behave differently in Jinja2 (``default``, ``date``, ``slice``) keep Django's
  meaning, so a template reads as it did.
"""

import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db.models import Field, Model
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static
from django.utils import formats, timezone, translation
from jinja2 import ChainableUndefined, Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from veerkracht.core.addresses import address
from veerkracht.core.idempotency import FIELD
from veerkracht.core.registry import Registry

FRAGMENT_SECONDS = 3600

# What the apps above core add to every template (a bingo card's lines, a resident's door flag),
# registered from their AppConfig.ready: core draws their pages but may not import them. The
# environment is built on the first page drawn, after every app is ready.
template_globals: Registry[Callable[..., Any]] = Registry("template global")
template_filters: Registry[Callable[..., Any]] = Registry("template filter")


def local_time(value: Any) -> Any:
    """An aware moment in the active time zone when ``USE_TZ`` is on, as Django's template language
    prints it; anything else (a date, a naive moment, a number) as it is."""
    if isinstance(value, datetime) and settings.USE_TZ and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _localised(value: Any) -> Any:
    """What Django's engine does to every value it prints: local time, the language's formats."""
    if isinstance(value, str):  # most values; Markup too
        return value
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)  # what localize makes of it, without reading the language's formats
    if isinstance(value, (datetime, date, time, int, float, Decimal)) and not isinstance(value, bool):
        return formats.localize(local_time(value))
    return value


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """``{{ static("app.css") }}``: the file's address with its content hash, looked up once per
    process (the manifest does not change while the server runs; every page names four files)."""
    return static(path)


@receiver(setting_changed)
def _static_moved(*, setting: str, **kwargs: Any) -> None:
    if setting in ("STATIC_URL", "STORAGES"):
        static_url.cache_clear()


def idempotency_field() -> Markup:
    """A fresh key for this drawing of the form: a double tap on submit then saves once."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, uuid.uuid4().hex)


def date_filter(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, on the moment in the active time zone (as Django's engine passes it)."""
    return str(defaultfilters.date(local_time(value), arg))


def time_filter(value: Any, arg: str | None = None) -> str:
    return str(defaultfilters.time(local_time(value), arg))


def date_once(value: Any, arg: str | None = None) -> str:
    """``date``, each (moment, format, language) formatted once per process.

    Lists draw the same dates again and again (a resident's timeline, the programme), and
    formatting a date is the slowest filter there is.
    """
    value = local_time(value)
    if not isinstance(value, date):
        return str(defaultfilters.date(value, arg))  # what the date filter makes of it: "" mostly
    # Equal moments in different time zones are equal keys: the zone's name keeps them apart.
    zone = str(value.tzinfo) if isinstance(value, datetime) else ""
    return _formatted(value, arg, translation.get_language() or "", zone)


@lru_cache(maxsize=8192)
def _formatted(value: date | datetime, arg: str | None, language: str, zone: str) -> str:
    return str(defaultfilters.date(value, arg))


def display(instance: Model, field_name: str) -> str:
    """``contact|display("channel")``: what ``contact.get_channel_display()`` gives, from a table of
    the field's labels made once per process.

    Django's builds that table on every call and hashes each label to do it, which translates
    them all; a timeline shows twenty channels.
    """
    field = instance._meta.get_field(field_name)
    assert isinstance(field, Field)  # noqa: S101 - a model's own field with choices, named in a template
    value = getattr(instance, field.attname)
    return str(_labels(field).get(value, value))  # a label is translated when it is printed


@cache
def _labels(field: Field) -> dict[Any, Any]:  # type: ignore[type-arg]  # any field
    return dict(field.flatchoices)


def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping|get_item(key)``: a label from a dictionary of choices, the key itself if none."""
    return mapping.get(key, key)


def cached_fragment(name: str, *vary: Any, caller: Callable[[], str]) -> Markup:
    """``{% call cached_fragment("name", key, ...) %}…{% endcall %}``: the body drawn once per key.

    For fragments that are the same for everyone (a fresh form in one language), kept in each
    process's memory (the ``fragments`` cache).
    """
    key = ":".join(["fragment", name, *(str(part) for part in vary)])
    cache = caches["fragments"]
    html = cache.get(key)
    if html is None:
        html = str(caller())
        cache.set(key, html, FRAGMENT_SECONDS)
    return Markup(html)  # noqa: S704 - drawn by the template itself, escaped there


# Jinja2's i18n extension wraps each gettext in a function that takes the template's context, only
# to read whether it autoescapes; for such a function Jinja2 copies every variable of the context
# into a new one at each call inside a loop or a block, about seventy calls per translated word
# (a worklist of fifty rows translates hundreds). These do what its "new style" wrappers do
# (jinja2/ext.py: mark the translation safe when autoescaping, then fill in the variables, escaped)
# taking only the evaluation context, which Jinja2 passes as it is.
@pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    return _filled(eval_ctx, translation.gettext(message), variables)


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _filled(eval_ctx, translation.ngettext(singular, plural, num), variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _filled(eval_ctx, translation.pgettext(context, message), variables)


def _filled(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    text = Markup(translated) if eval_ctx.autoescape else translated  # noqa: S704 - a translator's text, as Jinja2 does
    if not variables and "%" not in text:
        return text  # what formatting would give, without its cost
    return text % variables  # always formatted, so "%%" is a percent sign with or without variables


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend builds (settings.TEMPLATES)."""
    # As in Django's engine, a missing value (the error page has no user) prints nothing, however deep.
    options["undefined"] = ChainableUndefined
    # Django's backend passes autoescape=True among the options.
    env = Environment(extensions=["jinja2.ext.i18n"], finalize=_localised, **options)  # noqa: S701
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        translation.gettext, translation.ngettext, newstyle=True, pgettext=translation.pgettext
    )
    env.globals.update(
        # The extension's "new style" calls ({% trans %} compiles to them) without its wrappers (above).
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        url=address,  # {{ url("app:name", pk) }}: Django's {% url %}
        static=static_url,
        idempotency_field=idempotency_field,
        cached_fragment=cached_fragment,
        get_current_language=translation.get_language,
        get_language_bidi=translation.get_language_bidi,
    )
    env.filters.update(
        localize=_localised,  # for values in {% trans %}, which finalize does not see
        date=date_filter,
        time=time_filter,
        date_once=date_once,
        # Django's own filters, where Jinja2's of the same name means something else or is missing.
        default=defaultfilters.default,
        default_if_none=defaultfilters.default_if_none,
        slice=defaultfilters.slice_filter,
        floatformat=defaultfilters.floatformat,
        truncatewords=defaultfilters.truncatewords,
        capfirst=defaultfilters.capfirst,
        stringformat=defaultfilters.stringformat,
        timesince=defaultfilters.timesince_filter,
        urlencode=defaultfilters.urlencode,
        add=defaultfilters.add,
        get_item=get_item,
        display=display,
    )
    _add(env.globals, template_globals)
    _add(env.filters, template_filters)
    return env


def _add(names: dict[str, Any], registered: Registry[Callable[..., Any]]) -> None:
    """The apps' entries beside the environment's own; one that would replace a built-in is refused."""
    for name, entry in registered.items():
        if name in names:
            raise ImproperlyConfigured(f"{registered.kind} {name!r} would replace one of the environment's own")
        names[name] = entry
