"""Every page reads as people write: on the demo district, every back-office list, add page,
first record and printed document, for every role, shows no Python value (None, a dict, a list,
a repr), no English word and no raw code among its Chinese. What is left to mend is pinned in
`readable_baseline.json` (page, word): a finding not in it fails, and so does an entry that no
longer occurs (the baseline only shrinks)."""

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from gongjia.platform.admin_base import url_name

BASELINE = Path(__file__).with_name("readable_baseline.json")
PORTAL = (
    "/portal/",
    "/portal/member/",
    "/portal/identity/",
    "/portal/rights/",
    "/portal/rights/new/",
    "/portal/rights/negotiations/",
    "/portal/assistance/",
    "/portal/assistance/apply/",
    "/portal/assistance/pairings/",
    "/portal/password/",
)
ROLES = ("district", "chengxiang", "union", "lawyer", "auditor", "secadmin", "sysadmin")
PYTHON = [re.compile(p) for p in (r"\bNone\b", r"\{['\"]", r"\[<", r"object at 0x", r"QuerySet")]
# An English word among the Chinese: a raw code ("unemployment", "login_failed") or a string
# left untranslated. Proper names of things people type or see as such are allowed.
WORD = re.compile(r"\b[A-Za-z][a-z]{3,}(?:_[a-z]+)*\b")
# ("hans": the theme's language switcher tags 简体中文 with its code, zh-hans, as it does English.)
ALLOWED = {"Excel", "English", "TOTP", "Gongjia", "hans"}


class VisibleText(HTMLParser):
    """The text a person reads: data and placeholders, not scripts, styles or icon names."""

    HIDDEN = {"script", "style", "template", "svg"}

    def __init__(self):
        super().__init__()
        self.depth, self.texts = 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth or tag in self.HIDDEN or "material-symbols" in (a.get("class") or ""):
            self.depth += 1
        elif a.get("placeholder"):
            self.texts.append(a["placeholder"])

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        if not self.depth and a.get("placeholder"):
            self.texts.append(a["placeholder"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.texts.append(data.strip())


VOID = ("input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr")
VOID_TAG = re.compile(r"<(?:" + "|".join(VOID) + r")\b[^>]*>")


def findings(html: str, allowed: set[str]) -> set[str]:
    # Void elements never close: drop them so the hidden-depth count stays true.
    html = VOID_TAG.sub(lambda m: _placeholder(m.group(0)), html)
    p = VisibleText()
    p.feed(html)
    out = set()
    for text in p.texts:
        if any(r.search(text) for r in PYTHON):
            out.add("a Python value")  # (its text differs between databases: jsonb sorts keys)
        out |= {w for w in WORD.findall(text) if w not in allowed}
    return out


def _placeholder(tag: str) -> str:
    m = re.search(r'placeholder="([^"]*)"', tag)
    return f"<span>{m.group(1)}</span>" if m else ""


def _pages(client, user):
    from gongjia.platform import kpis

    yield "/admin/"
    yield "/admin/cockpit/screen/?year=2020"  # the big screen, and the phone's view of it
    yield "/admin/cockpit/report/?year=2020"  # the annual report
    for key in kpis.visible(user):  # each figure's page: its trend and comparison
        yield f"/admin/cockpit/{key}/?year=2020"
        yield f"/admin/cockpit/{key}/"
    for model, model_admin in admin.site._registry.items():
        try:
            base = reverse(url_name(model, "changelist"))
        except NoReverseMatch:
            continue
        yield base
        yield reverse(url_name(model, "add"))
        r = client.get(base)
        if r.status_code == 200:
            first = model_admin.get_queryset(r.wsgi_request).first()
            if first is not None:
                yield (
                    reverse(url_name(model, "change"), args=[first.pk]).replace(
                        f"/{first.pk}/", "/<first>/"
                    ),
                    reverse(url_name(model, "change"), args=[first.pk]),
                )


def _papers(client):
    """Each document (paperwork) of the first record the role may print it for."""
    from gongjia.platform import paperwork

    for p in paperwork.registry().values():
        r = client.get(reverse(url_name(p.model, "changelist")))
        if r.status_code != 200:
            continue
        records = admin.site._registry[p.model].get_queryset(r.wsgi_request)[:200]
        ready = next((o for o in records if not (p.ready and p.ready(o))), None)
        if ready is not None:
            url = reverse(url_name(p.model, "print"), args=[ready.pk, p.key])
            yield url.replace(f"/{ready.pk}/", "/<first>/"), url


def test_every_page_of_every_role_reads_as_people_write(db, client):
    from django.core.management import call_command

    from gongjia.accounts.models import User

    call_command("demo", stdout=io.StringIO())
    allowed = ALLOWED | set(User.objects.values_list("username", flat=True))
    found = set()
    for username in ROLES:
        user = User.objects.get(username=username)
        client.force_login(user, backend="gongjia.accounts.backends.RoleBackend")
        for page in _pages(client, user):
            shown, url = page if isinstance(page, tuple) else (page, page)
            r = client.get(url)
            if r.status_code != 200:
                continue
            found |= {f"{shown} | {f}" for f in findings(r.content.decode(), allowed)}
    # The documents last: printing one writes an audit entry, which would change the audit
    # list's first record that the pages above read.
    for username in ROLES:
        client.force_login(
            User.objects.get(username=username), backend="gongjia.accounts.backends.RoleBackend"
        )
        for shown, url in _papers(client):
            r = client.get(url)
            assert r.status_code == 200, url
            found |= {f"{shown} | {f}" for f in findings(r.content.decode(), allowed)}
    worker = User.objects.get(username="worker")
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    for url in PORTAL:
        r = client.get(url, follow=True)
        assert r.status_code == 200, url
        found |= {f"{url} | {f}" for f in findings(r.content.decode(), allowed)}
    baseline = set(json.loads(BASELINE.read_text(encoding="utf-8")))
    new, mended = sorted(found - baseline), sorted(baseline - found)
    assert not new, "new findings (mend them, never pin them):\n" + "\n".join(new)
    assert not mended, "mended: take these out of readable_baseline.json:\n" + "\n".join(mended)
