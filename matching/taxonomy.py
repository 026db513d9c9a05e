"""Loading the MEX taxonomy and mapping posting text onto it.

The mapping rule, applied by ``TextMapper.map``:

1. Text is HTML-unescaped and matched case-insensitively. A skill or
   credential is found when its name or one of its aliases occurs as whole
   words: the characters on either side of the phrase are not letters, digits
   or underscores, and any run of spaces or hyphens inside the phrase matches
   any other such run ("end-of-life care" finds "end of life care"). A
   plural "s" or "es" after the phrase is allowed ("nursing associates").
2. Postings with Job Bank sections ("Languages", "Credentials", "Security and
   Safety", "Specific Skills", ...) are split into those sections.
   Credentials are taken only from the Languages, Credentials, Security and
   Safety, and Transportation/Travel sections, so that "criminal record check
   paid by the employer" in a benefits paragraph does not become a hard
   filter. Skills found in "Additional Skills" or "Personal Suitability" are
   preferred, all others are required.
3. Postings without those sections (free text) give skills only. A skill is
   preferred when every sentence that names it also says "desirable",
   "an asset", "preferred", "advantageous" or "would be an advantage", and
   required otherwise.
4. "Languages Bilingual" means English and French.
"""

import html
import re
from dataclasses import dataclass, field

from django.db import transaction

from matching.models import Credential, Occupation, OccupationSkill, Skill
from matching.taxonomy_data import CREDENTIALS, OCCUPATIONS, RELATED_SKILLS, SKILLS

REQUIRED = "required"
PREFERRED = "preferred"

# Headings of Job Bank posting sections, in either of the two layouts that
# Job Bank has used ("Security and Safety" and "Security and safety -").
_JOB_BANK_HEADINGS = [
    "job requirements",
    "overview",
    "languages",
    "education",
    r"credentials \(certificates, licences, memberships, courses, etc\.\)",
    "credentials certificates, licences, memberships, and courses",
    "experience and specialization",
    "experience",
    "work setting",
    "responsibilities tasks",
    "supervision",
    "security and safety",
    "personal suitability",
    "specific skills",
    "additional skills",
    "other languages",
    "weight handling",
    "work conditions and physical capabilities",
    "work location information",
    "transportation/travel information",
    "target audience",
    "area of specialization",
    "work site environment",
    "business equipment and computer applications",
    "health benefits",
    "financial benefits",
    "long term benefits",
    "other benefits",
    "benefits",
    "additional information",
]
_HEADING_RE = re.compile(
    r"(?<![\w/])(" + "|".join(_JOB_BANK_HEADINGS) + r")(?![\w/])", re.IGNORECASE
)
_CREDENTIAL_SECTIONS = {
    "languages",
    "credentials",
    "security and safety",
    "transportation/travel information",
}
_PREFERRED_SECTIONS = {"additional skills", "personal suitability"}
_DESIRABLE_RE = re.compile(
    r"desirable|an asset|preferred|advantageous|would be an advantage", re.I
)
_SENTENCE_RE = re.compile(r"[^.;!?\n]+")


def _section_key(heading: str) -> str:
    key = " ".join(heading.lower().split())
    if key.startswith("credentials"):
        return "credentials"
    if key == "responsibilities tasks":
        return "specific skills"
    return key


def phrase_pattern(phrases: list[str]) -> re.Pattern | None:
    """Compile a whole-word, case-insensitive pattern for any of ``phrases``."""
    parts = []
    for phrase in sorted({p.strip().lower() for p in phrases if p.strip()}, key=len):
        words = re.split(r"[\s\-]+", phrase)
        parts.append(r"[\s\-]+".join(re.escape(word) for word in words))
    if not parts:
        return None
    parts.reverse()
    return re.compile(
        r"(?<!\w)(?:" + "|".join(parts) + r")(?:s|es)?(?!\w)", re.IGNORECASE
    )


@dataclass
class MappedText:
    """Skills and credentials found in a text, by id."""

    skills: dict[int, str] = field(default_factory=dict)
    credentials: set[int] = field(default_factory=set)


class TextMapper:
    """Maps posting text to skills and credentials with the module's rule.

    Built once from the database and reused for many postings. Only skills
    from the MEX taxonomy take part, because O*NET and ESCO names such as
    "Speaking" or "Monitoring" would match ordinary prose.
    """

    def __init__(self) -> None:
        self.skill_patterns: list[tuple[int, re.Pattern]] = []
        for skill in Skill.objects.filter(source=Skill.Source.MEX):
            pattern = phrase_pattern([skill.name, *skill.aliases])
            if pattern is not None:
                self.skill_patterns.append((skill.pk, pattern))
        self.credential_patterns: list[tuple[int, re.Pattern]] = []
        self.language_ids: dict[str, int] = {}
        for credential in Credential.objects.all():
            pattern = phrase_pattern([credential.name, *credential.aliases])
            if pattern is not None:
                self.credential_patterns.append((credential.pk, pattern))
            if credential.kind == Credential.Kind.LANGUAGE:
                self.language_ids[credential.name.lower()] = credential.pk

    def map(self, text: str) -> MappedText:
        text = html.unescape(text or "")
        sections = split_sections(text)
        if sections:
            return self._map_sections(sections)
        return self._map_free_text(text)

    def _map_sections(self, sections: list[tuple[str, str]]) -> MappedText:
        result = MappedText()
        for key, body in sections:
            importance = PREFERRED if key in _PREFERRED_SECTIONS else REQUIRED
            for skill_id, pattern in self.skill_patterns:
                already_required = result.skills.get(skill_id) == REQUIRED
                if not already_required and pattern.search(body):
                    result.skills[skill_id] = importance
            if key not in _CREDENTIAL_SECTIONS:
                continue
            for credential_id, pattern in self.credential_patterns:
                if pattern.search(body):
                    result.credentials.add(credential_id)
            if key == "languages" and re.search(r"\bbilingual\b", body, re.I):
                for name in ("english", "french"):
                    if name in self.language_ids:
                        result.credentials.add(self.language_ids[name])
        return result

    def _map_free_text(self, text: str) -> MappedText:
        result = MappedText()
        sentences = _SENTENCE_RE.findall(text)
        for skill_id, pattern in self.skill_patterns:
            importance = None
            for sentence in sentences:
                if not pattern.search(sentence):
                    continue
                if _DESIRABLE_RE.search(sentence):
                    importance = importance or PREFERRED
                else:
                    importance = REQUIRED
                    break
            if importance is not None:
                result.skills[skill_id] = importance
        return result


def split_sections(text: str) -> list[tuple[str, str]]:
    """Split Job Bank text into (section key, body) pairs; [] for free text.

    Text counts as Job Bank text when it has a "Languages" heading followed
    later by an "Education" heading, as every Job Bank posting does.
    """
    matches = list(_HEADING_RE.finditer(text))
    keys = [_section_key(m.group(1)) for m in matches]
    if "languages" not in keys or "education" not in keys[keys.index("languages") :]:
        return []

    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        sections.append((keys[index], text[match.end() : end]))
    return sections


@transaction.atomic
def load_taxonomy() -> dict[str, int]:
    """Create or update the MEX skills, credentials, occupations and links.

    Idempotent: rows are keyed by code, so a second call changes nothing.
    Returns how many skills and credentials were created.
    """
    created = {"skills": 0, "credentials": 0}
    skills_by_code = {}
    for code, name, category, aliases in SKILLS:
        skill, was_created = Skill.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "source": Skill.Source.MEX,
                "category": category,
                "aliases": aliases,
            },
        )
        skills_by_code[code] = skill
        created["skills"] += int(was_created)

    for left, right in RELATED_SKILLS:
        skills_by_code[left].related.add(skills_by_code[right])

    for code, name, kind, aliases in CREDENTIALS:
        _, was_created = Credential.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "aliases": aliases}
        )
        created["credentials"] += int(was_created)

    for code, title, noc_codes, aliases, profile in OCCUPATIONS:
        occupation, _ = Occupation.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "source": Occupation.Source.MEX,
                "noc_codes": noc_codes,
                "aliases": aliases,
            },
        )
        for skill_code, importance, level in profile:
            OccupationSkill.objects.update_or_create(
                occupation=occupation,
                skill=skills_by_code[skill_code],
                defaults={"importance": importance, "level": level},
            )

    return created


class OccupationFinder:
    """Finds the MEX occupation named in a job title, by its longest alias."""

    def __init__(self) -> None:
        self.patterns: list[tuple[int, Occupation, re.Pattern]] = []
        for occupation in Occupation.objects.filter(source=Occupation.Source.MEX):
            for alias in [occupation.title, *occupation.aliases]:
                pattern = phrase_pattern([alias])
                if pattern is not None:
                    self.patterns.append((len(alias), occupation, pattern))
        self.patterns.sort(key=lambda entry: -entry[0])

    def find(self, title: str) -> Occupation | None:
        title = html.unescape(title or "")
        for _, occupation, pattern in self.patterns:
            if pattern.search(title):
                return occupation
        return None
