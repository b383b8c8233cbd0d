"""The Chinese translation is complete and its compiled catalogue matches the source."""

import gettext
from pathlib import Path

from gongjia.platform.catalogue import entries as catalogue_entries
from gongjia.platform.catalogue import problems

LOCALE = Path(__file__).resolve().parent.parent / "src/gongjia/locale/zh_Hans/LC_MESSAGES"


def test_every_message_is_translated_and_compiled():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    found = [e for e in catalogue_entries() if len(e[1]) == 1]  # plurals: by problems()
    assert len(found) > 250
    assert not problems()  # no empty, fuzzy or half-translated plural entry
    for msgid, _strs, _fuzzy, ctx in found:
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
