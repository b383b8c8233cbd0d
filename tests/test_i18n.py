"""The Chinese translation is complete and its compiled catalogue matches the source."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src/gongjia/locale/zh_Hans/LC_MESSAGES"


def entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if not m:
            continue
        msgid = "".join(re.findall(r'"(.*)"', m.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', m.group(2)))
        if msgid:
            yield msgid, msgstr, "fuzzy" in block


def test_every_message_is_translated_and_compiled():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    found = list(entries())
    assert len(found) > 250
    for msgid, msgstr, fuzzy in found:
        assert msgstr and not fuzzy, msgid
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        assert catalogue.gettext(unescaped) != unescaped, f"not compiled: {msgid}"
