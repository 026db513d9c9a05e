"""The French and English catalogues are complete, compiled and used by pages."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from badges.services import badge_issue
from tests.colleges.factories import CompletedEnrolmentFactory, CourseFactory
from tests.factories import SkillFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|\{(\w+)\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def placeholders(text: str) -> set[str]:
    return {"".join(match) for match in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_has_no_untranslated_entries(language):
    untranslated = [entry.msgid for entry in catalogue(language).untranslated_entries()]

    assert untranslated == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_has_no_fuzzy_entries(language):
    fuzzy = [entry.msgid for entry in catalogue(language).fuzzy_entries()]

    assert fuzzy == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_has_no_obsolete_entries(language):
    obsolete = [entry.msgid for entry in catalogue(language).obsolete_entries()]

    assert obsolete == []


def test_french_keeps_every_placeholder():
    wrong = []
    for entry in catalogue("fr").translated_entries():
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural)
            found = placeholders(entry.msgstr_plural[1])
        else:
            expected = placeholders(entry.msgid)
            found = placeholders(entry.msgstr)
        if expected != found:
            wrong.append((entry.msgid, sorted(expected), sorted(found)))

    assert wrong == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_matches_source(language):
    # given: the committed .mo file, which machines without gettext tools use
    source = catalogue(language)
    compiled = polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))

    # when
    compiled_strings = {(e.msgctxt, e.msgid): e.msgstr for e in compiled}
    stale = [
        e.msgid
        for e in source.translated_entries()
        if not e.msgid_plural and compiled_strings.get((e.msgctxt, e.msgid)) != e.msgstr
    ]

    # then: run `manage.py compilemessages` when this fails
    assert stale == []


def test_home_renders_in_french(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert "Passer au contenu principal" in response.content.decode()


def test_vacancy_list_renders_in_french(client, db):
    response = client.get(reverse("vacancies:list"), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Offres d'emploi" in page_text(response)


def test_sign_in_renders_in_french(client, db):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Se connecter" in response.content.decode()


def test_language_switch_sets_french(client, db):
    # when
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "/"}, follow=True
    )

    # then
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'value="fr" lang="fr" aria-current="true"' in html


def test_language_switch_marks_english_by_default(client, db):
    response = client.get("/")

    assert 'value="en" lang="en" aria-current="true"' in response.content.decode()


def test_language_switch_works_without_javascript(client, db):
    response = client.get("/")

    html = response.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'type="submit" name="language" value="fr"' in html


def test_form_errors_render_in_french(client, db):
    # given
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    # when
    response = client.post(reverse("account_signup"), {"account_type": "employer"})

    # then
    assert "Entrez le nom de votre employeur ou de votre collège." in page_text(
        response
    )


def _french_page(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    return " ".join(page_text(response).replace("\u00a0", " ").split())


def test_course_catalogue_renders_in_french(client, db):
    # given
    course = CourseFactory(title="Soins palliatifs", hours=1, price=None, capacity=3)
    course.skills_taught.create(skill=SkillFactory(name="Soins de confort"), level=4)

    # when
    listing = _french_page(client, reverse("catalogue:list"))
    detail = _french_page(client, reverse("catalogue:detail", args=[course.pk]))

    # then
    assert "Catalogue des cours" in listing
    assert "1 cours" in listing
    assert "1 heure · En ligne · gratuit · 3 places libres" in listing
    assert "Soins de confort : Avancé" in listing
    assert "Se connecter pour s'inscrire" in listing
    assert "Cours gratuits seulement" in listing
    assert "Avancé (4 sur 5)" in detail
    assert "Page du cours sur le site Web du collège" in detail


def test_catalogue_errors_render_in_french(client, db):
    response = client.get(
        reverse("catalogue:list"),
        {"skill": "abc", "page": "0"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    text = page_text(response).replace("\u00a0", " ")
    assert response.status_code == 400
    assert "La compétence abc n'est pas un identifiant de compétence" in text
    assert "La recherche n'a pas pu être lancée." in text


def test_catalogue_page_error_renders_in_french(client, db):
    response = client.get(
        reverse("catalogue:list"), {"page": "4"}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    text = page_text(response).replace("\u00a0", " ")
    assert response.status_code == 404
    assert "La page 4 n'existe pas : les cours trouvés tiennent sur 1 page." in text


def test_badges_page_renders_in_french(client, db):
    # given
    enrolment = CompletedEnrolmentFactory()
    badge_issue(enrolment_id=enrolment.pk)
    client.force_login(enrolment.applicant.user)

    # when
    text = _french_page(client, reverse("applicants:badges"))

    # then
    assert "Mes badges" in text
    assert "Valide" in text
    assert "Vérifier et partager" in text
    assert "Portfolio public" in text


def test_empty_matches_render_in_french(client, applicant):
    client.force_login(applicant.user)

    text = _french_page(client, reverse("applicants:matches"))

    assert "Parcourir les cours" in text
    assert "le catalogue présente tous les cours offerts sur MEX" in text
