"""The French and English catalogues are complete, compiled and used by pages."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

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
