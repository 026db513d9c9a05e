"""Forms of the college staff pages: courses, enrolments and completions."""

from django import forms
from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from colleges.courses import COURSE_FIELDS, MAX_COURSE_SKILLS
from colleges.csv_files import EMAIL_MAX_LENGTH
from colleges.models import Course, CourseSkill
from matching.forms import UniqueSkillFormSet
from mex.forms import INVALID_EMAIL_MESSAGE, IdMultipleChoiceField

MAX_DESCRIPTION_LENGTH = 5000
# A micro-credential is short: a year of full-time study is the ceiling.
MAX_COURSE_HOURS = 2000


def _set_min_value(field: forms.IntegerField, minimum: int) -> None:
    field.min_value = minimum
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, MinValueValidator)
    ] + [MinValueValidator(minimum)]
    field.widget.attrs["min"] = minimum


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "hours": _("Hours of study"),
            "delivery": _("Delivery"),
            "start_date": _("Start date"),
            "capacity": _("Places"),
            "price": _("Price (CAD)"),
            "url": _("Course page"),
        }
        help_texts = {
            "description": _("What students learn and how they are assessed."),
            "capacity": _("Leave empty for no limit."),
            "price": _("Leave empty when the course is free."),
            "url": _("The course's page on the college website, https://…"),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = MAX_DESCRIPTION_LENGTH
        self.fields["description"].validators.append(
            MaxLengthValidator(MAX_DESCRIPTION_LENGTH)
        )
        # The model fields allow 0, but a course needs at least one hour and
        # one place. Replacing their minimum keeps one error and one min.
        for name in ("hours", "capacity"):
            _set_min_value(self.fields[name], 1)
        self.fields["hours"].validators.append(MaxValueValidator(MAX_COURSE_HOURS))
        self.fields["price"].validators.append(MinValueValidator(0))

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Enter the course title."))
        return title

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(
                _(
                    "%(value)s is not a web page address: enter one that starts "
                    "with https://."
                )
                % {"value": url}
            )
        return url


class CourseSkillForm(forms.ModelForm):
    # NOTE: the skill field is a plain select of the whole taxonomy. With
    # thousands of skills loaded it needs a search widget instead.
    class Meta:
        model = CourseSkill
        fields = ["skill", "level"]
        labels = {"skill": _("Skill taught"), "level": _("Level a graduate reaches")}


class BaseCourseSkillFormSet(UniqueSkillFormSet):
    def full_clean(self):
        """Validate, naming the row count sent when it is over the maximum.

        Django's own message names only the maximum. Beyond it, Django builds
        no more than ``absolute_max`` rows, whatever the TOTAL_FORMS value.
        """
        super().full_clean()
        if not self.is_bound or not any(
            error.code == "too_many_forms" for error in self._non_form_errors.as_data()
        ):
            return
        sent = self.management_form.cleaned_data["TOTAL_FORMS"]
        self._non_form_errors = self.error_class(
            [
                forms.ValidationError(
                    _(
                        "The form sent %(count)s skill rows; a course lists at "
                        "most %(limit)s skills: remove rows and save again."
                    )
                    % {"count": sent, "limit": self.max_num},
                    code="too_many_forms",
                )
            ],
            error_class="nonform",
            renderer=self.renderer,
        )

    def levels(self) -> dict[int, int]:
        """Return the skill id to level map of the rows kept."""
        levels = {}
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if cleaned.get("skill") and not cleaned.get("DELETE"):
                levels[cleaned["skill"].pk] = cleaned["level"]
        return levels


CourseSkillFormSet = forms.inlineformset_factory(
    Course,
    CourseSkill,
    form=CourseSkillForm,
    formset=BaseCourseSkillFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_COURSE_SKILLS,
    validate_max=True,
    absolute_max=MAX_COURSE_SKILLS,
)


class EnrolStudentForm(forms.Form):
    email = forms.EmailField(
        label=_("Student's email address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"invalid": INVALID_EMAIL_MESSAGE},
        help_text=_(
            "A student already on MEX is enrolled at once; anyone else gets an "
            "email inviting them to join."
        ),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class EnrolmentCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of students"),
        help_text=_(
            "One row per student with a column named email; first_name and "
            "last_name columns may follow. Comma or semicolon separated, UTF-8."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MEX_ENROLMENT_CSV_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; upload at most %(limit)s.")
                % {"size": upload.size, "limit": limit}
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError(
                _("%(name)s is not a CSV file: export the list as .csv.")
                % {"name": upload.name}
            )
        return upload


class CompletionForm(forms.Form):
    """Enrolments to mark completed, chosen among a course's active ones."""

    enrolments = IdMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("Students who completed the course"),
        error_messages={
            "required": _("Tick at least one student who completed the course."),
            "invalid_choice": _(
                "%(value)s is not an active enrolment of this course: reload "
                "the page and try again."
            ),
        },
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = enrolments

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on and completed_on > timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s is in the future: enter the day the course ended.")
                % {"date": completed_on}
            )
        return completed_on
