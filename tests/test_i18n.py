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
        ctx = re.search(r'^msgctxt "(.*)"$', block, re.M)
        if msgid:
            yield msgid, msgstr, "fuzzy" in block, ctx.group(1) if ctx else None


def test_every_message_is_translated_and_compiled():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    found = list(entries())
    assert len(found) > 250
    for msgid, msgstr, fuzzy, ctx in found:
        assert msgstr and not fuzzy, msgid
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        got = catalogue.pgettext(ctx, unescaped) if ctx else catalogue.gettext(unescaped)
        assert got != unescaped, f"not compiled: {msgid}"


def test_a_label_reads_right_in_its_context(db):
    """One English word, several Chinese ones: a withdrawn case is not a member who left."""
    from django.utils import translation

    from gongjia.assistance.models import ReliefApplication
    from gongjia.members.models import Member
    from gongjia.rights.models import DisputeCase

    with translation.override("zh-hans"):
        assert str(Member.Status.WITHDRAWN.label) == "已退会"
        assert str(DisputeCase.Status.WITHDRAWN.label) == "已撤回"
        assert str(ReliefApplication.Status.WITHDRAWN.label) == "已撤回"
        # the back-office theme's own words
        assert translation.gettext("Search apps and models...") == "搜索功能和数据……"
