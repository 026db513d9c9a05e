"""Forms employers use to write a vacancy and pick the skills it needs."""

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from matching.models import Credential, Skill, SkillLevel
from mex.forms import IdMultipleChoiceField
from vacancies.models import Vacancy, VacancySkill
from vacancies.services import EDITABLE_FIELDS, SkillRequirement

# Limits on free text, so that one posting cannot fill the database or pages.
DESCRIPTION_MAX_CHARS = 10_000
# Skills one vacancy may list; real postings name ten to twenty.
MAX_SKILLS = 40
SKILL_SEARCH_RESULTS = 15
SKILL_FORMSET_PREFIX = "skills"

CREDENTIAL_GROUPS = {
    "credentials": (Credential.Kind.CERTIFICATE, Credential.Kind.LICENCE),
    "security_checks": (Credential.Kind.SECURITY_CHECK,),
    "languages": (Credential.Kind.LANGUAGE,),
}


def _credentials_field(label, help_text, kinds) -> IdMultipleChoiceField:
    return IdMultipleChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        queryset=Credential.objects.filter(kind__in=kinds).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Credential %(value)s does not exist: pick one from the list."
            ),
            "invalid_pk_value": _("%(pk)s is not a credential id."),
        },
    )


class VacancyForm(forms.ModelForm):
    """A vacancy's posting: what the job is, where, when and for what pay."""

    credentials = _credentials_field(
        _("Certificates and licences"),
        _("Applicants without every one of these are not matched."),
        CREDENTIAL_GROUPS["credentials"],
    )
    security_checks = _credentials_field(
        _("Security checks"),
        _("For example a criminal record check with vulnerable sector screening."),
        CREDENTIAL_GROUPS["security_checks"],
    )
    languages = _credentials_field(
        _("Languages"),
        _("Languages the work is done in."),
        CREDENTIAL_GROUPS["languages"],
    )

    class Meta:
        model = Vacancy
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "title": _("Job title"),
            "description": _("Description"),
            "location": _("City or address"),
            "region": _("Province or region"),
            "country": _("Country code"),
            "work_mode": _("Work mode"),
            "employment_type": _("Employment type"),
            "hours_per_week": _("Hours per week"),
            "wage_min": _("Minimum wage"),
            "wage_max": _("Maximum wage"),
            "wage_currency": _("Currency"),
            "wage_period": _("Wage period"),
            "noc_code": _("NOC 2021 code"),
            "experience": _("Experience"),
            "closes_on": _("Applications close on"),
        }
        help_texts = {
            "country": _("Two letters, for example CA."),
            "noc_code": _("Five digits, for example 44101 for personal support."),
            "experience": _("For example: 1 year in long-term care."),
            "wage_currency": _("Three letters, for example CAD."),
        }

    noc_code = forms.CharField(
        label=_("NOC 2021 code"),
        required=False,
        max_length=5,
        validators=[
            RegexValidator(
                # [0-9], since \d also matches digits of other scripts.
                r"^[0-9]{5}$",
                _("Enter the five digits of a NOC 2021 unit group."),
            )
        ],
        help_text=_("Five digits, for example 44101 for personal support."),
    )
    country = forms.CharField(
        label=_("Country code"),
        required=False,
        max_length=2,
        validators=[
            RegexValidator(r"^[A-Za-z]{2}$", _("Enter two letters, for example CA."))
        ],
        help_text=_("Two letters, for example CA."),
    )
    wage_currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="CAD",
        validators=[
            RegexValidator(
                r"^[A-Za-z]{3}$", _("Enter a three-letter currency code such as CAD.")
            )
        ],
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        decimal_places=2,
    )
    wage_min = forms.DecimalField(
        label=_("Minimum wage"),
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
    )
    wage_max = forms.DecimalField(
        label=_("Maximum wage"),
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    field_order = [
        "title",
        "description",
        "employment_type",
        "work_mode",
        "location",
        "region",
        "country",
        "hours_per_week",
        "wage_min",
        "wage_max",
        "wage_currency",
        "wage_period",
        "noc_code",
        "experience",
        "closes_on",
        "credentials",
        "security_checks",
        "languages",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            required_ids = set(
                self.instance.required_credentials.values_list("pk", flat=True)
            )
            for name, kinds in CREDENTIAL_GROUPS.items():
                self.initial.setdefault(
                    name,
                    [
                        credential.pk
                        for credential in self.fields[name].queryset
                        if credential.pk in required_ids and credential.kind in kinds
                    ],
                )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Enter a job title."))
        return title

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()

    def clean_wage_currency(self) -> str:
        return self.cleaned_data["wage_currency"].upper()

    def clean(self):
        cleaned = super().clean()
        low = cleaned.get("wage_min")
        high = cleaned.get("wage_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "wage_max",
                _(
                    "The maximum wage %(high)s is below the minimum %(low)s: "
                    "raise the maximum or lower the minimum."
                )
                % {"high": high, "low": low},
            )
        return cleaned

    def _post_clean(self):
        # The service validates the model, with the skills, in one transaction.
        pass

    def editable_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

    def credential_ids(self) -> list[int]:
        return [
            credential.pk
            for name in CREDENTIAL_GROUPS
            for credential in self.cleaned_data[name]
        ]


class SkillRequirementForm(forms.Form):
    """One picked skill: which, at what minimum level, required or preferred."""

    skill = forms.ModelChoiceField(
        queryset=Skill.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "Skill %(value)s does not exist: pick a skill from the search results."
            ),
            "required": _("Pick a skill from the search results."),
        },
    )
    min_level = forms.TypedChoiceField(
        label=_("Minimum level"),
        choices=SkillLevel.choices,
        coerce=int,
        initial=SkillLevel.INTERMEDIATE,
    )
    importance = forms.ChoiceField(
        label=_("Importance"),
        choices=VacancySkill.Importance.choices,
        initial=VacancySkill.Importance.REQUIRED,
    )

    def skill_name(self) -> str:
        """Return the picked skill's name for display, or "" if unknown."""
        value = self["skill"].value()
        if isinstance(value, Skill):
            return value.name
        try:
            skill = Skill.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return ""
        return skill.name if skill else ""


class BaseSkillFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill.pk in seen:
                form.add_error(
                    "min_level",
                    _("%(name)s is listed twice: keep one row for it.")
                    % {"name": skill.name},
                )
            seen.add(skill.pk)

    def requirements(self) -> list[SkillRequirement]:
        picked = []
        for form in self.forms:
            if self._should_delete_form(form) or not form.cleaned_data:
                continue
            picked.append(
                SkillRequirement(
                    skill_id=form.cleaned_data["skill"].pk,
                    min_level=form.cleaned_data["min_level"],
                    importance=form.cleaned_data["importance"],
                )
            )
        return picked


SkillFormSet = forms.formset_factory(
    SkillRequirementForm,
    formset=BaseSkillFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_SKILLS,
    validate_max=True,
    absolute_max=MAX_SKILLS,
)


def initial_requirements(vacancy: Vacancy) -> list[dict]:
    return [
        {
            "skill": requirement.skill_id,
            "min_level": requirement.min_level,
            "importance": requirement.importance,
        }
        for requirement in vacancy.skill_requirements.select_related("skill").order_by(
            "skill__name"
        )
    ]


class SkillSearchForm(forms.Form):
    skill_query = forms.CharField(
        label=_("Find a skill"), required=False, max_length=100, strip=True
    )


def search_skills(text: str, *, exclude_ids=()) -> list[Skill]:
    """Return taxonomy skills whose name or alias contains ``text``."""
    text = text.strip()
    if len(text) < 2:
        return []
    by_name = Skill.objects.filter(name__icontains=text).exclude(pk__in=exclude_ids)
    found = list(by_name.order_by("name")[:SKILL_SEARCH_RESULTS])
    return found
