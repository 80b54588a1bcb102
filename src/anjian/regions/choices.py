"""Region levels of the 12-digit 统计用区划代码 (2-2-2-3-3 digits: province, city, county, town, village)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, pgettext_lazy("region level", "Province")
    CITY = 2, pgettext_lazy("region level", "City")
    COUNTY = 3, _("County / district")
    TOWN = 4, _("Town / street")
    VILLAGE = 5, _("Village / community")


# How many leading digits of the code identify a region of each level; the rest are zeros.
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWN: 9,
    RegionLevel.VILLAGE: 12,
}
