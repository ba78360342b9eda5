"""The translation catalogues (issue 12 §4): zh-Hans is the source language of every msgid;
``gongkai/locale/zh_Hant`` is generated from the msgids by opencc (``s2t``, the standard character
conversion, not Taiwan phrasing) and ``gongkai/locale/en`` holds the English translations, kept by hand.

- ``extract(domain)``: the msgids of the sources now, by Django's ``makemessages`` extraction (GNU gettext's
  xgettext) run on a copy of the sources in a temporary folder, so the working tree is never touched.
- ``update()``: ``gongkai i18n-update``: extracts, rewrites zh_Hant, keeps every English translation whose msgid
  is still used, adds the new msgids with an empty msgstr and lists them.
- ``compile_catalogues()``: the ``.mo`` files, written with polib (no msgfmt needed); the set-up
  (scripts/setup.sh) runs ``python -m gongkai.ops.catalogues compile``, which needs no Django settings.

Statutory labels of the report formats (``report-formats.json``) are data, not msgids: they are never passed to
gettext, so they read as published in every language."""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAINS = ("django", "djangojs")
TRADITIONAL = "zh_Hant"
ENGLISH = "en"
PLURAL_FORMS = {TRADITIONAL: "nplurals=1; plural=0;", ENGLISH: "nplurals=2; plural=(n != 1);"}
LANGUAGE_NAMES = {TRADITIONAL: "zh-Hant", ENGLISH: "en"}
SOURCE_SUFFIXES = {"django": (".py", ".html", ".txt"), "djangojs": (".js",)}


def po_path(language: str, domain: str = "django", locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def _copy_sources(target: Path, domain: str) -> None:
    """The files the extraction reads, copied under ``target`` with the same relative paths."""
    suffixes = SOURCE_SUFFIXES[domain]
    for root, dirs, files in os.walk(PACKAGE_DIR):
        dirs[:] = [
            d for d in dirs if d not in {"locale", "__pycache__", "migrations"} and not d.startswith(".")
        ]
        relative = Path(root).relative_to(PACKAGE_DIR)
        for name in files:
            if name.endswith(suffixes):
                (target / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(root) / name, target / relative / name)


def extract(domain: str = "django") -> polib.POFile:
    """The catalogue template of ``domain`` built from the sources now (needs Django settings and xgettext)."""
    from django.core.management import call_command
    from django.core.management.commands import makemessages

    class Extract(makemessages.Command):
        """makemessages writing only the template, into the temporary copy's own folder."""

        output_dir = ""

        def build_potfiles(self) -> list[str]:
            self.locale_paths = [self.output_dir]
            self.default_locale_path = self.output_dir
            files = self.find_files(".")
            for found in files:
                found.locale_dir = self.output_dir
            self.process_files(files)
            potfile = os.path.join(self.output_dir, f"{self.domain}.pot")
            return [potfile] if os.path.exists(potfile) else []

    with tempfile.TemporaryDirectory(prefix="gongkai-i18n-") as work:
        sources = Path(work) / "gongkai"
        output = Path(work) / "pot"
        sources.mkdir()
        output.mkdir()
        _copy_sources(sources, domain)
        command = Extract()
        command.output_dir = str(output)
        previous = os.getcwd()
        os.chdir(sources)
        try:
            call_command(command, all=True, domain=domain, keep_pot=True, add_location="file", verbosity=0)
        finally:
            os.chdir(previous)
        potfile = output / f"{domain}.pot"
        return polib.pofile(str(potfile)) if potfile.exists() else polib.POFile()


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """``text`` in Traditional characters (opencc ``s2t``: characters only, no regional phrasing)."""
    return str(_converter().convert(text))


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def _header(po: polib.POFile, language: str) -> None:
    po.metadata = {
        "Project-Id-Version": "gongkai",
        "Language": LANGUAGE_NAMES[language],
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }


def _fresh_entry(template: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=template.msgctxt,
        msgid=template.msgid,
        msgid_plural=template.msgid_plural,
        occurrences=list(template.occurrences),
        flags=[f for f in template.flags if f != "fuzzy"],
        comment=template.comment,
    )


def merge_traditional(template: polib.POFile) -> polib.POFile:
    """The zh_Hant catalogue: every msgid of ``template`` converted by opencc ``s2t``."""
    po = polib.POFile(wrapwidth=0)
    _header(po, TRADITIONAL)
    for source in template:
        entry = _fresh_entry(source)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: traditional(entry.msgid_plural)}
        else:
            entry.msgstr = traditional(entry.msgid)
        po.append(entry)
    return po


def merge_english(template: polib.POFile, existing: polib.POFile | None) -> tuple[polib.POFile, list[str]]:
    """The English catalogue: ``template``'s msgids with the translations of ``existing`` kept (fuzzy ones
    dropped); and the msgids still without a translation."""
    known = {_key(e): e for e in existing or [] if not e.obsolete and "fuzzy" not in e.flags}
    po = polib.POFile(wrapwidth=0)
    _header(po, ENGLISH)
    missing: list[str] = []
    for source in template:
        entry = _fresh_entry(source)
        old = known.get(_key(source))
        if entry.msgid_plural:
            forms = dict(old.msgstr_plural) if old is not None else {}
            entry.msgstr_plural = {0: forms.get(0, ""), 1: forms.get(1, "")}
            done = all(entry.msgstr_plural.values())
        else:
            entry.msgstr = old.msgstr if old is not None else ""
            done = bool(entry.msgstr)
        if not done:
            missing.append(source.msgid)
        po.append(entry)
    return po, missing


@dataclass
class Update:
    msgids: dict[str, int] = field(default_factory=dict)
    missing_english: dict[str, list[str]] = field(default_factory=dict)


def update(locale_dir: Path = LOCALE_DIR) -> Update:
    """Extract every domain, rewrite zh_Hant, keep the English translations; ``.po`` files only."""
    result = Update()
    for domain in DOMAINS:
        template = extract(domain)
        english_path = po_path(ENGLISH, domain, locale_dir)
        if not len(template) and not english_path.exists():
            continue  # e.g. no JavaScript strings: no djangojs catalogue
        result.msgids[domain] = len(template)
        zh_path = po_path(TRADITIONAL, domain, locale_dir)
        zh_path.parent.mkdir(parents=True, exist_ok=True)
        merge_traditional(template).save(str(zh_path))
        existing = polib.pofile(str(english_path)) if english_path.exists() else None
        english, missing = merge_english(template, existing)
        english_path.parent.mkdir(parents=True, exist_ok=True)
        english.save(str(english_path))
        result.missing_english[domain] = missing
    return result


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write the ``.mo`` of every ``.po`` under ``locale_dir`` (translated, non-fuzzy entries only)."""
    written = []
    for po_file in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_file = po_file.with_suffix(".mo")
        # Written aside, then replaced at once: a reader never sees half a file.
        partial = mo_file.with_name(f".{mo_file.name}.{os.getpid()}")
        polib.pofile(str(po_file)).save_as_mofile(str(partial))
        partial.replace(mo_file)
        written.append(mo_file)
    return written


def main(argv: list[str]) -> int:
    if argv != ["compile"]:
        sys.stderr.write("usage: python -m gongkai.ops.catalogues compile\n")
        return 2
    for mo_file in compile_catalogues():
        sys.stdout.write(f"compiled {mo_file.relative_to(PACKAGE_DIR.parent)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
