"""Protected personal data: AES-GCM at rest, an HMAC blind index for exact search, masking.

Rules: identifiers-and-security.md §3 (masking) and §4 (PIPL: encryption, de-identification).

Key ring (JSON), from GONGJIA_PII_KEYS or generated into var/pii_keys.json in development:
    {"active": "k2", "keys": {"k1": "<base64 32 bytes>", "k2": "..."}, "index": "<base64>"}
Ciphertext is stored as "<key id>$<base64(nonce + ciphertext)>", so several keys can be live
while `gongjia manage rotate_pii_key` re-encrypts. The index key never rotates silently: a new
one means recomputing every blind index.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

log = logging.getLogger("gongjia.pii")


def _new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def keyring_path():
    return settings.VAR_DIR / "pii_keys.json"


@functools.cache
def keyring() -> dict:
    raw = os.environ.get("GONGJIA_PII_KEYS")
    if not raw:
        path = keyring_path()
        if not path.exists():
            ring = {"active": "k1", "keys": {"k1": _new_key()}, "index": _new_key()}
            path.write_text(json.dumps(ring, indent=2))
            path.chmod(0o600)
        raw = path.read_text()
    ring = json.loads(raw)
    if ring.get("active") not in ring.get("keys", {}) or "index" not in ring:
        raise ImproperlyConfigured("The personal-data key ring lacks its active or index key.")
    return ring


def add_key_to_ring() -> str:
    """Create a new active key in the development key ring file; returns its id."""
    if os.environ.get("GONGJIA_PII_KEYS"):
        raise ImproperlyConfigured(
            "The key ring comes from GONGJIA_PII_KEYS: add the new key there and set it active."
        )
    ring = dict(keyring())
    n = 1 + max(int(k[1:]) for k in ring["keys"] if k[1:].isdigit())
    key_id = f"k{n}"
    ring["keys"] = {**ring["keys"], key_id: _new_key()}
    ring["active"] = key_id
    keyring_path().write_text(json.dumps(ring, indent=2))
    reset_caches()
    return key_id


def reset_caches():
    """Forget loaded keys (after the key ring changed)."""
    keyring.cache_clear()
    _aead.cache_clear()
    _index_mac.cache_clear()


@functools.cache
def _aead(key_id: str) -> AESGCM:
    return AESGCM(base64.b64decode(keyring()["keys"][key_id]))


def encrypt(plain: str, context: str) -> str:
    key_id = keyring()["active"]
    nonce = secrets.token_bytes(12)
    ct = _aead(key_id).encrypt(nonce, plain.encode(), context.encode())
    return f"{key_id}${base64.b64encode(nonce + ct).decode()}"


def decrypt(token: str, context: str) -> str:
    key_id, _, body = token.partition("$")
    blob = base64.b64decode(body)
    return _aead(key_id).decrypt(blob[:12], blob[12:], context.encode()).decode()


def key_id_of(token: str) -> str:
    return token.partition("$")[0]


class Unreadable(str):
    """A stored value the key ring at hand cannot decrypt (its key is missing, or the row was
    written under another ring). It reads as unreadable on its own, so a list or a sign-in that
    loads the row still works; saved back, the stored value is kept as it was."""

    TEXT = "〔无法解密〕"

    def __new__(cls, token: str):
        obj = super().__new__(cls, cls.TEXT)
        obj.token = token
        return obj


_unreadable_logged: set[str] = set()


def _decrypt_or_unreadable(token: str, context: str) -> str:
    try:
        return decrypt(token, context)
    except (KeyError, ValueError, TypeError, InvalidTag, binascii.Error):
        key_id = key_id_of(token)
        if key_id not in _unreadable_logged:
            _unreadable_logged.add(key_id)
            log.error(
                "personal data under key %r cannot be decrypted: the key ring does not match "
                "the database (see /healthz)",
                key_id,
            )
        return Unreadable(token)


# --- key canaries -------------------------------------------------------------------------------

CANARY_TEXT = "gongjia-key-canary"


def ensure_canaries() -> None:
    """One canary per key in use: a known text under the active key, and the index key's mark
    of a known text. Written once; `key_problems()` reads them back."""
    from gongjia.platform.models import KeyCanary

    ring = keyring()
    active = ring["active"]
    KeyCanary.objects.get_or_create(
        key_id=active, defaults={"token": encrypt(CANARY_TEXT, "canary")}
    )
    KeyCanary.objects.get_or_create(
        key_id="index", defaults={"token": blind_index(CANARY_TEXT, "canary")}
    )


def key_problems() -> list[str]:
    """Plain statements of every key the database needs and the ring does not provide."""
    from gongjia.platform.models import KeyCanary

    ring = keyring()
    problems = []
    for canary in KeyCanary.objects.order_by("key_id"):
        if canary.key_id == "index":
            if blind_index(CANARY_TEXT, "canary") != canary.token:
                problems.append(
                    "个人信息检索密钥（index）与数据库不一致：按身份证号码查找将找不到任何人；"
                    "请恢复与数据库同一时间备份的密钥文件"
                )
            continue
        if canary.key_id not in ring["keys"]:
            problems.append(
                f"个人信息加密密钥 {canary.key_id} 不在密钥环中：用它加密的数据无法解密；"
                "请恢复与数据库同一时间备份的密钥文件（var/pii_keys.json 或 GONGJIA_PII_KEYS）"
            )
            continue
        try:
            decrypt(canary.token, "canary")
        except (InvalidTag, ValueError, binascii.Error):
            problems.append(
                f"个人信息加密密钥 {canary.key_id} 与数据库中使用的不是同一把：请恢复与数据库"
                "同一时间备份的密钥文件"
            )
    return problems


@functools.cache
def _index_mac():
    return hmac.new(base64.b64decode(keyring()["index"]), digestmod=hashlib.sha256)


def blind_index(value: str, purpose: str) -> str:
    """Keyed hash for exact-match search; the purpose separates kinds of identifiers."""
    mac = _index_mac().copy()  # the keyed state is prepared once
    mac.update(f"{purpose}:{value}".encode())
    return mac.hexdigest()


# --- masking (identifiers-and-security.md §3) ---------------------------------------------------


def _unreadable_as_is(mask):
    """A value that could not be decrypted is shown as such, never cut into a mask."""

    @functools.wraps(mask)
    def wrapper(value):
        return str(value) if isinstance(value, Unreadable) else mask(value)

    return wrapper


@_unreadable_as_is
def mask_id_list(value: str | None) -> str:
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 2) + value[-1]


@_unreadable_as_is
def mask_id_detail(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


@_unreadable_as_is
def mask_mobile(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "*" * len(value)


@_unreadable_as_is
def mask_bank(value: str | None) -> str:
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


@_unreadable_as_is
def mask_text(value: str | None) -> str:
    """Free text (health, disability): nothing of it shows until revealed."""
    return "******" if value else ""


@_unreadable_as_is
def mask_address(value: str | None) -> str:
    """A home address: the district and town stay (they say where), the rest does not."""
    if not value:
        return ""
    keep = min(6, max(len(value) // 3, 1))
    return value[:keep] + "****"


MASKS = {
    "id": (mask_id_list, mask_id_detail),
    "bank": (mask_bank, mask_bank),
    "text": (mask_text, mask_text),
    "phone": (mask_mobile, mask_mobile),
    "address": (mask_address, mask_address),
}


# --- model fields -------------------------------------------------------------------------------


class ProtectedField(models.TextField):
    """A personal-data column stored encrypted; Python code sees the clear value.

    Never display the attribute directly: use `masked(instance, name)` or the admin mixin.
    Equality lookups cannot work on ciphertext: search through the blind-index column.
    """

    description = "Encrypted personal data"

    def __init__(self, *args, kind: str = "id", **kwargs):
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.kind != "id":
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return _decrypt_or_unreadable(value, self.context)

    def get_db_prep_save(self, value, connection):
        if value is None or value == "" or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, Unreadable):
            return value.token  # kept as stored, never replaced by the marker
        return encrypt(str(value), self.context)


class BlindIndexField(models.CharField):
    """HMAC of another field's clear value, kept in step on every save and bulk_create."""

    def __init__(self, *args, source: str = "", purpose: str = "", **kwargs):
        self.source = source
        self.purpose = purpose or source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["db_index"] = self.db_index  # always: absent means True here, not False
        if self.purpose != self.source:
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plain = getattr(model_instance, self.source)
        if isinstance(plain, Unreadable):
            return getattr(model_instance, self.attname)  # nothing to recompute it from
        value = blind_index(plain, self.purpose) if plain else ""
        setattr(model_instance, self.attname, value)
        return value


def lookup(model, field_name: str, value: str) -> dict:
    """Filter kwargs for an exact search on a protected field: {"<field>_bidx": hmac}."""
    for f in model._meta.fields:
        if isinstance(f, BlindIndexField) and f.source == field_name:
            return {f.name: blind_index(value, f.purpose)}
    raise ImproperlyConfigured(f"{model.__name__}.{field_name} has no blind index")


class PersonalField(models.CharField):
    """Personal data kept in clear (people are called and visited with it) but shown masked
    everywhere: lists, forms, exports, the API and the field-change audit; its full value
    takes the reveal permission and a stated purpose, like a protected field's."""

    kind = "phone"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, f"gongjia.platform.pii.{type(self).__name__}", args, kwargs


class PhoneField(PersonalField):
    kind = "phone"


class AddressField(PersonalField):
    kind = "address"


def protected_fields(model) -> list[ProtectedField]:
    return [f for f in model._meta.fields if isinstance(f, ProtectedField)]


def personal_fields(model) -> list[models.Field]:
    """Every field of personal data, encrypted or not (the secrets of second factors aside)."""
    return [
        f
        for f in model._meta.fields
        if isinstance(f, PersonalField) or (isinstance(f, ProtectedField) and f.kind != "secret")
    ]


def mask_value_of(field, value) -> str:
    list_mask, _detail = MASKS.get(getattr(field, "kind", "id"), MASKS["id"])
    return list_mask(value) if value else ""


def masked(instance, field_name: str, *, detail: bool = False) -> str:
    f = instance._meta.get_field(field_name)
    value = getattr(instance, field_name)
    list_mask, detail_mask = MASKS.get(getattr(f, "kind", "id"), MASKS["id"])
    return (detail_mask if detail else list_mask)(value)


# --- the one gate before personal data is shown in full ------------------------------------------


def may_reveal(actor, obj) -> bool:
    """Whether `actor` holds the reveal permission in the scope of this row."""
    from gongjia.platform import scope

    return scope.can(actor, "reveal", obj)


def revealable(queryset, actor):
    """The rows of `queryset` whose personal data `actor` may see in full."""
    from gongjia.platform import scope

    return scope.restrict(queryset, actor, "reveal")


def require_reveal(actor, target, purpose: str, *, model=None) -> str:
    """Refuse unless a purpose is stated and `actor` holds the reveal permission in the scope of
    `target` (a row, or with `model` the rows of `model` under the unit `target`); returns the
    purpose. Every reveal, export in clear and bank file goes through here and is then logged."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from gongjia.platform import scope

    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ValidationError({"purpose": _("State why you need to see the full value.")})
    try:
        scope.require(actor, "reveal", target, model=model)
    except PermissionDenied:
        raise PermissionDenied(_("You may not see this personal data in full.")) from None
    return purpose


def reveal(obj, field_name: str, *, acting_user, purpose: str) -> str:
    """The clear value of a protected field, for a user with the reveal permission and a stated
    purpose; every reveal is written to the audit chain (identifiers-and-security.md §3)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from gongjia.platform import audit
    from gongjia.platform.models import AuditEvent

    purpose = require_reveal(acting_user, obj, purpose)
    field = obj._meta.get_field(field_name)
    if field not in personal_fields(type(obj)):
        raise PermissionDenied(_("This field cannot be revealed."))
    audit.record(
        AuditEvent.Kind.REVEAL,
        "reveal",
        actor=acting_user,
        obj=obj,
        data={"field": field_name, "purpose": purpose},
    )
    return getattr(obj, field_name)
