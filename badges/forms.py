from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mex.forms import INVALID_EMAIL_MESSAGE
from mex.validators import validate_multiline_text, validate_single_line_text


class VerifyBadgeForm(forms.Form):
    """A badge to check: an image, or pasted JSON or VC-JWT text."""

    image = forms.FileField(
        label=_("Badge image (PNG or SVG)"),
        required=False,
        help_text=_("A baked badge image downloaded from MEX or a wallet."),
    )
    text = forms.CharField(
        label=_("Or paste the badge JSON or VC-JWT"),
        required=False,
        # A signed badge is a few kilobytes; this bounds what a paste may cost.
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Recipient email (optional)"),
        required=False,
        help_text=_("Checks that the badge was issued to this address."),
        error_messages={"invalid": INVALID_EMAIL_MESSAGE},
    )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        limit = settings.MEX_BADGE_IMAGE_MAX_BYTES
        if image is not None and image.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; upload a badge of at most %(limit)s.")
                % {"size": image.size, "limit": limit}
            )
        return image

    def clean(self):
        cleaned = super().clean()
        has_image = bool(cleaned.get("image"))
        has_text = bool((cleaned.get("text") or "").strip())
        if has_image == has_text:
            raise forms.ValidationError(
                _("Upload a badge image or paste its JSON or VC-JWT, not both.")
                if has_image
                else _("Upload a badge image or paste its JSON or VC-JWT.")
            )
        return cleaned


class BulkAwardForm(forms.Form):
    """A CSV of people who completed one of the college's courses."""

    course = forms.ModelChoiceField(queryset=None, label=_("Course"))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, evidence_url (optional), narrative (optional). "
            "Comma or semicolon separated, UTF-8."
        ),
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MEX_BADGE_IMAGE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; upload at most %(limit)s.")
                % {"size": upload.size, "limit": limit}
            )
        return upload


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        validators=[validate_multiline_text],
        help_text=_("Shown to everyone who verifies the badge."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BadgeDesignForm(forms.Form):
    """Design of a course's future badges."""

    primary_colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        error_messages={
            "invalid": _(
                'Colour "%(value)s" is invalid: enter # and six hex digits, '
                "such as #1d4ed8."
            )
        },
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    icon = forms.ChoiceField(label=_("Icon"), required=False)
    tagline = forms.CharField(
        label=_("Tagline"),
        max_length=60,
        required=False,
        validators=[validate_single_line_text],
    )
    image = forms.FileField(
        label=_("Emblem image"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP. Replaces the icon when given."),
    )
    remove_image = forms.BooleanField(label=_("Remove emblem"), required=False)

    def __init__(self, *args, **kwargs):
        from badges.models import BadgeClass

        super().__init__(*args, **kwargs)
        self.fields["icon"].choices = BadgeClass.Icon.choices

    def clean_image(self):
        from badges.design import clean_design_image

        upload = self.cleaned_data.get("image")
        if upload is None:
            return None
        limit = settings.MEX_BADGE_IMAGE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The image is %(size)s bytes; upload one of at most %(limit)s.")
                % {"size": upload.size, "limit": limit}
            )
        data = upload.read(limit + 1)
        clean_design_image(data)
        return data
