"""Every step of every workflow explains a refusal by naming what it needs."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import translation

from gongjia.platform.workflow import Workflow


def _workflows():
    """Each workflow with the model it runs on, from the back office that takes its steps."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        wf = getattr(model_admin, "workflow", None)
        if isinstance(wf, Workflow):
            found[id(wf)] = (model, wf)
    return list(found.values())


def _declared():
    import importlib

    from django.apps import apps

    out = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongjia."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.workflows")
        except ModuleNotFoundError:
            continue
        out += [v for v in vars(module).values() if isinstance(v, Workflow)]
    return out


def test_every_declared_workflow_has_a_back_office_that_takes_its_steps():
    shown = {id(wf) for _m, wf in _workflows()}
    missing = [wf.states.__qualname__ for wf in _declared() if id(wf) not in shown]
    assert not missing


STEPS = [(model, wf, t) for model, wf in _workflows() for t in wf.transitions]


@pytest.mark.parametrize(
    ("model", "wf", "t"), STEPS, ids=[f"{m._meta.label}.{t.name}" for m, _w, t in STEPS]
)
def test_a_refused_step_names_each_field_it_needs_and_the_reason(model, wf, t):
    obj = model()
    for f in t.required:
        setattr(obj, f, None if model._meta.get_field(f).null else "")
    with translation.override("zh-hans"):
        if t.required or t.note_required:
            with pytest.raises(ValidationError) as refused:
                wf._check_given(obj, t, {}, "")
            errors = refused.value.message_dict
            for f in t.required:
                label = str(model._meta.get_field(f).verbose_name)
                assert label in " ".join(errors[f]), (f, errors[f])
            if t.note_required:
                assert "原因" in " ".join(errors["note"]) or "理由" in " ".join(errors["note"])
            # The record's page says the same before the step is tried.
            assert wf.missing(obj, t).keys() == set(t.required)
        else:
            wf._check_given(obj, t, {}, "")  # nothing to give: nothing refused
        # A step taken from the wrong state names the step and the record's state.
        other = next((s for s in wf.states.values if s not in t.source), None)
        if other is not None:
            setattr(obj, wf.field, other)
            with pytest.raises(ValidationError) as wrong:
                wf._check_state(obj, t)
            text = " ".join(wrong.value.messages)
            assert str(t.label) in text and str(wf.states(other).label) in text
