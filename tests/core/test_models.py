"""The labels a model shows for a field's value (``get_<field>_display``): looked up in a dict built once per field,
translated at each call in the active language, the value itself when it has no label."""

from __future__ import annotations

from django.utils import translation

from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard


def test_a_fields_label_is_in_the_active_language() -> None:
    hazard = Hazard(status=HazardStatus.REGISTERED, level=HazardLevel.MAJOR)
    with translation.override("zh-hans"):
        assert hazard.get_status_display() == "已登记"
        assert hazard.get_level_display() == str(HazardLevel.MAJOR.label)
    with translation.override("en"):
        assert hazard.get_status_display() == "Registered"
    hazard.status = HazardStatus.CLOSED  # a label of its own context (pgettext)
    with translation.override("zh-hans"):
        assert hazard.get_status_display() == str(HazardStatus.CLOSED.label) != "closed"
    hazard.status = "no-such-status"
    assert hazard.get_status_display() == "no-such-status"
