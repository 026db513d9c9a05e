from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import ApplicantProfile, ApplicantSkill
from matching.forms import UniqueSkillFormSet
from matching.models import Credential
from mex.forms import IdMultipleChoiceField


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ApplicantProfile
        fields = ["headline", "location", "open_to_work", "consent_to_share"]
        labels = {
            "headline": _("Headline"),
            "location": _("Where you want to work"),
            "open_to_work": _("I am open to work"),
            "consent_to_share": _(
                "Share my name and contact details with an employer once a MEX "
                "administrator approves a match"
            ),
        }
        help_texts = {
            "headline": _("One line employers read first, e.g. 'PSW, 3 years in LTC'."),
            "location": _("City or region, e.g. Hamilton, ON."),
        }

    # Vacancies require credentials as hard filters, so an applicant who
    # cannot record them is never matched to a vacancy that requires one.
    credentials = IdMultipleChoiceField(
        label=_("Certificates, checks and languages you hold"),
        queryset=Credential.objects.order_by("kind", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Employers may require these; tick every one you hold."),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a known credential: reload the page and tick "
                "one from the list."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["credentials"].initial = list(
                self.instance.credentials.values_list("pk", flat=True)
            )


class SkillLevelForm(forms.ModelForm):
    # NOTE: the skill field is a plain select of the whole taxonomy. With
    # thousands of skills loaded it needs a search widget instead.
    class Meta:
        model = ApplicantSkill
        fields = ["skill", "level"]
        labels = {"skill": _("Skill"), "level": _("Level")}


SkillLevelFormSet = forms.inlineformset_factory(
    ApplicantProfile,
    ApplicantSkill,
    form=SkillLevelForm,
    formset=UniqueSkillFormSet,
    extra=3,
    can_delete=True,
)


class ResumeForm(forms.Form):
    file = forms.FileField(
        label=_("Résumé (PDF)"),
        help_text=_(
            "A PDF file. Employers see it only after a MEX administrator approves "
            "a match and if you agreed to share your details."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        from applicants.resumes import check_resume_pdf

        upload = self.cleaned_data["file"]
        check_resume_pdf(upload)
        return upload
