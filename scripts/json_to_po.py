"""Move web strings from the old JSON catalogues to gettext ones (one-off, for merges).

``src/sijill/web/i18n/<capability>.json`` (``{"en": {key: text}, "ar": {key: text}}``) becomes
``src/sijill/web/locale/<lang>/LC_MESSAGES/<capability>.po``, one message per key (the key is
the msgid). A key already in a ``.po`` takes the JSON's text, unless its ``.po`` entry has plural
forms (kept as they are: check that entry by hand); the JSON file is removed. After merging a
branch that still changed a JSON catalogue, run this once; delete it when no such branch is left.

    .venv/bin/python scripts/json_to_po.py
"""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

UNWANTED = tuple(
    f'"{field}:'
    for field in (
        "Project-Id-Version",
        "Report-Msgid-Bugs-To",
        "POT-Creation-Date",
        "PO-Revision-Date",
        "Last-Translator",
        "Language-Team",
        "Generated-By",
    )
)
WEB = Path(__file__).resolve().parents[1] / "src" / "sijill" / "web"


def main() -> None:
    for source in sorted((WEB / "i18n").glob("*.json")):
        strings = json.loads(source.read_text(encoding="utf-8"))
        for lang, texts in strings.items():
            target = WEB / "locale" / lang / "LC_MESSAGES" / f"{source.stem}.po"
            catalog = Catalog(
                locale=lang,
                domain=source.stem,
                header_comment=f"# Sijill: the {source.stem} strings of the web pages ({lang}).\n"
                "# The msgid of each message is its key, namespaced <capability>.<name>.",
                fuzzy=False,
            )
            if target.exists():
                with target.open("rb") as handle:
                    catalog = read_po(handle, locale=lang, domain=source.stem)
            for key, text in texts.items():
                kept = catalog.get(key)
                if kept is None:
                    catalog.add(key, text)
                elif not kept.pluralizable:
                    kept.string = text  # the JSON's wording wins; plural forms are the .po's
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                write_po(handle, catalog, width=100)
            # Only the header fields a reader of these files needs (no template placeholders).
            lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
            target.write_text(
                "".join(line for line in lines if not line.startswith(UNWANTED)), "utf-8"
            )
        source.unlink()
        print(f"{source.name} -> locale/*/LC_MESSAGES/{source.stem}.po")


if __name__ == "__main__":
    main()
