"""Regions, the organisation-unit tree and enterprises."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from gongjia.platform import validators
from gongjia.platform.pii import PhoneField


class Region(MP_Node):
    """Administrative division: district → town or street → village or community."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        TOWN = "town", _("Town or street")
        VILLAGE = "village", _("Village or community")

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        # A branch is one `path LIKE 'prefix%'` query: on PostgreSQL that needs pattern ops.
        indexes = [
            models.Index(
                fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return self.name


class OrgUnit(MP_Node):
    """A union body: district federation → town/street federations → grassroots unions."""

    class Kind(models.TextChoices):
        DISTRICT_FEDERATION = "district_federation", _("District federation of trade unions")
        TOWN_FEDERATION = "town_federation", _("Town or street federation of trade unions")
        GRASSROOTS_UNION = "grassroots_union", _("Grassroots union")
        JOINT_UNION = "joint_union", _("Joint union")
        BUILDING_UNION = "building_union", _("Office-building union")
        COMMERCIAL_UNION = "commercial_union", _("Commercial-district union")
        INDUSTRY_UNION = "industry_union", _("Industry union")

    FEDERATIONS = (Kind.DISTRICT_FEDERATION, Kind.TOWN_FEDERATION)
    GRASSROOTS = (
        Kind.GRASSROOTS_UNION,
        Kind.JOINT_UNION,
        Kind.BUILDING_UNION,
        Kind.COMMERCIAL_UNION,
        Kind.INDUSTRY_UNION,
    )

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DEREGISTERED = "deregistered", _("Deregistered")

    code = models.CharField(
        _("unit code"),
        max_length=32,
        unique=True,
        help_text=_("Stable code of the unit; imports and the API refer to units by it."),
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True, editable=False)
    chair_name = models.CharField(_("chair"), max_length=50, blank=True, default="")
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True, default="")
    contact_phone = PhoneField(_("contact phone"), max_length=20, blank=True, default="")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True, default="")

    # No node_order_by: a new unit is appended under its parent. Sorted insertion would rewrite
    # the paths of every later sibling (and their branches) on each insert; lists sort by code.

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        indexes = [
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]
        permissions = [("export_orgunit", _("Can export organisation units"))]

    def __str__(self):
        return self.name

    @property
    def is_grassroots(self) -> bool:
        return self.kind in self.GRASSROOTS

    def clean(self):
        errors = {}
        if self.credit_code:
            try:
                parsed = validators.parse_credit_code(self.credit_code, union=self.is_grassroots)
                self.credit_code = parsed.value
            except ValidationError as e:
                errors["credit_code"] = e.messages
        else:
            self.credit_code = None
        if self.contact_phone:
            try:
                self.contact_phone = validators.validate_mobile(self.contact_phone)
            except ValidationError:
                if not self.contact_phone.replace("-", "").isdigit():
                    errors["contact_phone"] = [_("Enter a mobile or landline number.")]
        if errors:
            raise ValidationError(errors)

    def credit_code_warnings(self) -> list[str]:
        if not self.credit_code:
            return []
        try:
            return validators.parse_credit_code(self.credit_code, union=self.is_grassroots).warnings
        except ValidationError:
            return []

    def branch(self):
        """This unit and every unit below it: one indexed prefix query."""
        return OrgUnit.objects.filter(path__startswith=self.path)


class Enterprise(models.Model):
    class SizeBand(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")
        MICRO = "micro", _("Micro")

    class Industry(models.TextChoices):
        # GB/T 4754-2017 sections
        A = "A", _("Agriculture, forestry, animal husbandry and fishery")
        B = "B", _("Mining")
        C = "C", _("Manufacturing")
        D = "D", _("Electricity, heat, gas and water")
        E = "E", _("Construction")
        F = "F", _("Wholesale and retail")
        G = "G", _("Transport, storage and post")
        H = "H", _("Accommodation and catering")
        I = "I", _("Information technology services")  # noqa: E741
        J = "J", _("Finance")
        K = "K", _("Real estate")
        L = "L", _("Leasing and business services")
        M = "M", _("Scientific research and technical services")
        N = "N", _("Water, environment and public facilities")
        O = "O", _("Resident services and repairs")  # noqa: E741
        P = "P", _("Education")
        Q = "Q", _("Health and social work")
        R = "R", _("Culture, sports and entertainment")
        S = "S", _("Public administration and social organisations")
        T = "T", _("International organisations")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    size_band = models.CharField(_("size"), max_length=8, choices=SizeBand.choices)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    federation = models.ForeignKey(
        OrgUnit,
        verbose_name=_("town or street federation"),
        on_delete=models.PROTECT,
        related_name="enterprises_in_area",
        help_text=_("The federation responsible for the area the enterprise lies in."),
    )
    union = models.ForeignKey(
        OrgUnit,
        verbose_name=_("covering union"),
        on_delete=models.PROTECT,
        related_name="enterprises_covered",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        permissions = [("export_enterprise", _("Can export enterprises"))]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        try:
            self.credit_code = validators.validate_credit_code(self.credit_code)
        except ValidationError as e:
            errors["credit_code"] = e.messages
        if self.federation_id and self.federation.kind not in OrgUnit.FEDERATIONS:
            errors["federation"] = [_("Choose a town or street federation.")]
        if self.union_id and not self.union.is_grassroots:
            errors["union"] = [_("Choose a grassroots union.")]
        if errors:
            raise ValidationError(errors)
