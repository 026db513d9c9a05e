from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vacancies.models import Vacancy


class VacancySearchForm(forms.Form):
    """Filters of the public vacancy list, read from the query string."""

    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Title, skill or employer"),
                "class": "form-control",
            }
        ),
    )
    location = forms.CharField(
        label=_("Location"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("City or region"), "class": "form-control"}
        ),
    )

    def full_clean(self):
        """Validate, then mark each field with errors for Bootstrap's styles."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"

    def filter(self, queryset: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
        """Return the vacancies of ``queryset`` that match every filled filter."""
        if not self.is_valid():
            return queryset.none()
        text = self.cleaned_data["q"].strip()
        location = self.cleaned_data["location"].strip()
        if text:
            queryset = queryset.filter(
                Q(title__icontains=text)
                | Q(description__icontains=text)
                | Q(employer__name__icontains=text)
                | Q(skills__name__icontains=text)
            ).distinct()
        if location:
            queryset = queryset.filter(
                Q(location__icontains=location) | Q(region__icontains=location)
            )
        return queryset
