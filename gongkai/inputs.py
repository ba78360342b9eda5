"""Text from anywhere (forms, the API, imports, uploads) is normalised once, here, on the way in.

What is refused: C0 and C1 control characters (tab and line feed are allowed in multi-line text, carriage
returns become line feeds; in single-line text a run of tabs and line breaks becomes one space), lone surrogates and the Unicode non-characters. None of these can be
typed on purpose, several break the XML inside DOCX and XLSX files (a stored subject with U+0001 made every
letter of its case fail to render), and some reorder or hide text when shown. What is changed silently:
Unicode NFC composition, a byte-order mark or zero-width space at either end, and surrounding white space.

``normalise_text`` raises ``InputError`` (a ``ValueError``) whose message names the first bad character and
its position, for a field error; ``strip_illegal`` removes what ``normalise_text`` refuses, for text that is
already stored and must still be exported.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

# C0 controls except \t \n \r; DEL and the C1 controls; lone surrogates; the non-characters U+FDD0-U+FDEF and
# U+xFFFE/U+xFFFF of every plane.
_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
_REFUSED_MULTILINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
_LINE_BREAKS = re.compile("[\t\n\r]+")
_EDGE_INVISIBLES = "\ufeff\u200b"


class InputError(ValueError):
    """Text that cannot be accepted; ``str()`` is a message for the person who typed or sent it."""


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def normalise_text(value: str, *, multiline: bool = False) -> str:
    """``value`` in NFC, line breaks folded, trimmed; raises ``InputError`` naming the first refused
    character and its position (1-based, after folding)."""
    text = _fold(value, multiline)
    if (bad := _REFUSED_MULTILINE.search(text)) is not None:
        raise InputError(
            _("第%(pos)d个字符（%(code)s）是不可见的控制字符或无效字符，请删除后重新填写")
            % {"pos": bad.start() + 1, "code": _describe(bad.group())}
        )
    text = unicodedata.normalize("NFC", text)
    return text.strip().strip(_EDGE_INVISIBLES).strip()


def strip_illegal(value: str, *, multiline: bool = True) -> str:
    """``value`` without the characters ``normalise_text`` refuses (tab and line feed kept when
    ``multiline``): for stored text on its way out, into XML-based files and spreadsheets."""
    return _REFUSED_MULTILINE.sub("", _fold(value, multiline))


def has_refused(value: str) -> bool:
    return _REFUSED_MULTILINE.search(value) is not None


def _fold(value: str, multiline: bool) -> str:
    """Line breaks as ``\\n`` in multi-line text; tabs and line breaks as one space in single-line text."""
    if multiline:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return _LINE_BREAKS.sub(" ", value)
