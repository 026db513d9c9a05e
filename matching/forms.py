"""Form pieces shared by every page that lists skills with levels."""

from django import forms
from django.utils.translation import gettext as _


class UniqueSkillFormSet(forms.BaseInlineFormSet):
    """An inline formset whose rows each name a different skill.

    The duplicate is reported on the row's skill field, by name, before the
    model formset's own unique check, whose message names no skill.
    """

    def clean(self):
        seen = set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            skill = cleaned.get("skill")
            if skill is None or cleaned.get("DELETE"):
                continue
            if skill.pk in seen:
                form.add_error(
                    "skill",
                    _("%(skill)s is listed twice: keep one row per skill.")
                    % {"skill": skill},
                )
            seen.add(skill.pk)
        super().clean()
