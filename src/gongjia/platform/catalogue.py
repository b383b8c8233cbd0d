"""The Chinese catalogue is complete: no empty, fuzzy or untranslated-plural entry.

python -m gongjia.platform.catalogue      (run by `make lint`; no Django needed)
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def entries(path: Path = PO):
    """(msgid, [msgstr, ...], fuzzy, context) of every live entry."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#~")]
        text = "\n".join(lines) + "\n"
        m = re.search(r'^msgid ((?:".*"\n)+)', text, re.M)
        if not m:
            continue
        msgid = _joined(m.group(1))
        if not msgid:
            continue  # the header
        strs = [_joined(s) for s in re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n)+)', text, re.M)]
        ctx = re.search(r'^msgctxt "(.*)"$', text, re.M)
        fuzzy = bool(re.search(r"^#,.*\bfuzzy\b", text, re.M))
        yield msgid, strs, fuzzy, ctx.group(1) if ctx else None


def problems(path: Path = PO) -> list[str]:
    out = []
    for msgid, strs, fuzzy, _ctx in entries(path):
        if fuzzy:
            out.append(f"fuzzy: {msgid}")
        elif not strs or not all(strs):
            out.append(f"untranslated: {msgid}")
    return out


if __name__ == "__main__":
    found = problems()
    for p in found:
        print(p, file=sys.stderr)
    print(f"{PO.name}: {'complete' if not found else f'{len(found)} entries to translate'}")
    sys.exit(1 if found else 0)
