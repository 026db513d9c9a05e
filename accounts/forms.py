"""Forms for sign-up, organizations and invitations."""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Membership, Organization, User
from mex.forms import INVALID_EMAIL_MESSAGE, MAX_ID
from mex.validators import validate_single_line_text

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class AccountType:
    JOB_SEEKER = "job_seeker"
    EMPLOYER = "employer"
    COLLEGE = "college"
    INVITED = "invited"

    CHOICES = [
        (JOB_SEEKER, _("I am looking for work")),
        (EMPLOYER, _("I hire for an employer")),
        (COLLEGE, _("I teach courses for a college")),
        (INVITED, _("I was invited to join an organization")),
    ]
    WITH_ORGANIZATION = {EMPLOYER: Organization.Kind.EMPLOYER, COLLEGE: "college"}


def _limit_email_length(field: forms.EmailField) -> None:
    """Reject addresses longer than the email columns, as allauth does not.

    Without this, sign-up cuts a longer address to the column's length, so
    the account gets another address, and adding one fails in PostgreSQL.
    """
    field.max_length = EMAIL_MAX_LENGTH
    field.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
    field.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, plus who is signing up and for which organization.

    A job seeker gets an applicant profile. An employer or a college gets a new
    organization with the user as owner. An invited person gets neither and
    joins through the invitation link.
    """

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        validators=[validate_single_line_text],
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        validators=[validate_single_line_text],
    )
    account_type = forms.ChoiceField(
        label=_("I am signing up because"),
        choices=AccountType.CHOICES,
        initial=AccountType.JOB_SEEKER,
        widget=forms.RadioSelect,
    )
    organization_name = forms.CharField(
        label=_("Organization name"),
        max_length=200,
        required=False,
        validators=[validate_single_line_text],
        help_text=_("Employers and colleges only: the name people know you by."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_email_length(self.fields["email"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("account_type")
        name = (cleaned.get("organization_name") or "").strip()
        if kind in AccountType.WITH_ORGANIZATION and not name:
            self.add_error(
                "organization_name",
                _("Enter the name of your employer or college."),
            )
        return cleaned

    def custom_signup(self, request, user) -> None:
        kind = self.cleaned_data["account_type"]
        if kind == AccountType.JOB_SEEKER:
            services.job_seeker_register(user=user)
        elif kind in AccountType.WITH_ORGANIZATION:
            services.organization_create(
                creator=user,
                kind=AccountType.WITH_ORGANIZATION[kind],
                name=self.cleaned_data["organization_name"],
            )


class AddEmailForm(AllauthAddEmailForm):
    """allauth's form to add an email address, limited to the column's length."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_email_length(self.fields["email"])


class OrganizationForm(forms.ModelForm):
    # The model's TextField has no limit; this bounds what one form may store.
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Organization
        fields = ["kind", "name", "website", "description"]
        labels = {
            "kind": _("Kind"),
            "name": _("Name"),
            "website": _("Website"),
            "description": _("Description"),
        }


ROLE_ERROR_MESSAGES = {
    "required": _("Choose a role: owner, manager or staff."),
    "invalid_choice": _(
        "Role %(value)s does not exist: choose owner, manager or staff."
    ),
}


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"invalid": INVALID_EMAIL_MESSAGE},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.STAFF,
        error_messages=ROLE_ERROR_MESSAGES,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        error_messages=ROLE_ERROR_MESSAGES,
    )


class SwitchOrganizationForm(forms.Form):
    # Bounded to a bigint primary key, so that no query gets a larger number.
    organization = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )
