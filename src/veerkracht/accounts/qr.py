"""The QR code an authenticator app scans, drawn as inline SVG (no image request, no inline style)."""

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def qr_svg(config_url: str) -> SafeString:
    """An accessible SVG QR code of the otpauth:// URL; segno writes only attributes, never a style."""
    svg = segno.make(config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff", svgclass="vk-qr")
    label = escape(_("QR code to scan with your authenticator app"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308 - segno's own markup
