"""Every string marked for translation in the sources now has a translation in zh-Hant and English (issue 12 §4:
"a test fails on any untranslated string"), with the same placeholders as its msgid; zh-Hant is opencc ``s2t``
of the msgid; the catalogues compile."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from gongkai.ops import catalogues

# Placeholders (%(name)s, %%, {name}) and HTML tags: a translation keeps them all.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[-+ #0-9.]*[sdifr]|%%|\{[A-Za-z_.0-9]*\}|<[^>]+>")


@pytest.fixture(scope="module")
def extracted() -> dict[str, polib.POFile]:
    """The msgids of the sources as they are now (the extraction `gongkai i18n-update` runs)."""
    return {domain: catalogues.extract(domain) for domain in catalogues.DOMAINS}


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_sources_have_strings_to_translate(extracted: dict[str, polib.POFile]) -> None:
    msgids = {e.msgid for e in extracted["django"]}
    assert len(msgids) > 1000
    assert {"政府信息公开", "依申请公开", "在线申请"} <= msgids  # a model, a template and a form


@pytest.mark.parametrize("language", [catalogues.TRADITIONAL, catalogues.ENGLISH])
def test_every_msgid_is_translated(extracted: dict[str, polib.POFile], language: str) -> None:
    problems = []
    for domain, template in extracted.items():
        path = catalogues.po_path(language, domain)
        if not len(template):
            continue
        assert path.exists(), f"{path} is missing: run `gongkai i18n-update`"
        catalogue = {_key(e): e for e in polib.pofile(str(path)) if not e.obsolete}
        for source in template:
            entry = catalogue.get(_key(source))
            if entry is None:
                problems.append(f"[{domain}] not in the catalogue: {source.msgid!r}")
            elif "fuzzy" in entry.flags:
                problems.append(f"[{domain}] fuzzy: {source.msgid!r}")
            elif not all(_translations(entry)) or len(_translations(entry)) != (
                2 if entry.msgid_plural and language == catalogues.ENGLISH else 1
            ):
                problems.append(f"[{domain}] untranslated: {source.msgid!r}")
    assert not problems, (
        f"{len(problems)} strings lack a {language} translation (run `gongkai i18n-update`, then translate):\n"
        + "\n".join(problems[:50])
    )


@pytest.mark.parametrize("language", [catalogues.TRADITIONAL, catalogues.ENGLISH])
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for path in catalogues.LOCALE_DIR.glob(f"{language}/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
            for text in _translations(entry):
                if text and all(_placeholders(text) != _placeholders(s) for s in sources):
                    wrong.append(f"{entry.msgid!r} → {text!r}")
    assert not wrong, "placeholders or tags differ from the msgid's:\n" + "\n".join(wrong)


def test_traditional_is_opencc_s2t_of_the_msgid() -> None:
    path = catalogues.po_path(catalogues.TRADITIONAL)
    stale = [
        e.msgid
        for e in polib.pofile(str(path))
        if not e.obsolete and _translations(e) != [catalogues.traditional(e.msgid_plural or e.msgid)]
    ]
    assert not stale, (
        f"zh_Hant entries not generated from their msgid (run `gongkai i18n-update`): {stale[:10]}"
    )
    assert catalogues.traditional("政府信息公开申请") == "政府信息公開申請"


def test_english_has_no_chinese_left_over() -> None:
    """Han characters in an English msgstr are allowed only inside quotation marks (an example search term, the
    value a user must type) and for the language names."""
    quoted = re.compile(r"“[^”]*”|\"[^\"]*\"")
    han = re.compile(r"[\u3400-\u9fff]")
    exceptions = {"简体中文", "繁體中文"}
    left = [
        text
        for e in polib.pofile(str(catalogues.po_path(catalogues.ENGLISH)))
        for text in _translations(e)
        if han.search(quoted.sub("", text).replace("〔", "").replace("〕", "")) and text not in exceptions
    ]
    assert not left, left


def test_the_catalogues_compile_without_gettext(tmp_path: Path) -> None:
    for language in (catalogues.TRADITIONAL, catalogues.ENGLISH):
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "django.po").write_bytes(catalogues.po_path(language).read_bytes())
    written = catalogues.compile_catalogues(tmp_path)
    assert {p.parent.parent.name for p in written} == {catalogues.TRADITIONAL, catalogues.ENGLISH}
    english = polib.mofile(str(tmp_path / "en" / "LC_MESSAGES" / "django.mo"))
    assert english.find("依申请公开").msgstr == "Disclosure on request"


def test_update_keeps_english_and_lists_what_is_new(tmp_path: Path) -> None:
    template = polib.POFile()
    template.append(polib.POEntry(msgid="依申请公开"))
    template.append(polib.POEntry(msgid="新的文字"))
    template.append(polib.POEntry(msgid="%(n)s 条", msgid_plural="%(n)s 条"))
    old = polib.POFile()
    old.append(polib.POEntry(msgid="依申请公开", msgstr="Disclosure on request"))
    old.append(polib.POEntry(msgid="已删除的文字", msgstr="Removed text"))
    english, missing = catalogues.merge_english(template, old)
    assert english.find("依申请公开").msgstr == "Disclosure on request"
    assert english.find("已删除的文字") is None
    assert missing == ["新的文字", "%(n)s 条"]
    traditional = catalogues.merge_traditional(template)
    assert traditional.find("新的文字").msgstr == "新的文字"
    assert traditional.find("%(n)s 条").msgstr_plural == {0: "%(n)s 條"}
