"""Append new keys to the three message catalogues: ``python tools/add_messages.py NEW.toml``.

NEW.toml holds one table per key, with the text in each language::

    ["signin.title"]
    en = "Sign in"
    pt = "Iniciar sessão"
    fr = "Se connecter"

English goes to the base catalogue; Portuguese and French carry the English text as a translator
comment, as the rest of their catalogues do. A key already present is refused.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parents[1] / "observatory" / "locales"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def entry(key: str, texts: dict[str, str], code: str) -> str:
    """One catalogue entry for ``code``."""
    # Every line of a translator comment starts with "#." (a text of several paragraphs included).
    english = texts["en"].replace("\n", "\n#. ")
    comment = "" if code == "en" else f"#. English: {english}\n"
    return f"{comment}msgid {_quote(key)}\nmsgstr {_quote(texts[code])}\n"


def main(path: str) -> int:
    new = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    for code in ("en", "pt", "fr"):
        catalogue = LOCALES_DIR / code / "LC_MESSAGES" / "messages.po"
        text = catalogue.read_text(encoding="utf-8")
        present = [key for key in new if f"msgid {_quote(key)}\n" in text]
        if present:
            sys.stderr.write(f"{catalogue}: already has {', '.join(present)}\n")
            return 1
        added = "".join("\n" + entry(key, texts, code) for key, texts in new.items())
        catalogue.write_text(text.rstrip("\n") + "\n" + added, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
