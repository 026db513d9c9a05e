"""The skill and credential taxonomy that MEX maintains for care work.

Names follow the competencies that Ontario personal support worker programs
and long-term care employers use. Aliases are the phrases that employers
write in postings. ``matching.taxonomy.TextMapper`` matches them as whole
words, ignoring case, so an alias must be specific enough not to fire on
unrelated text: "lift" alone would match "lift the phone".
"""

# (code, name, category, aliases)
SKILLS: list[tuple[str, str, str, list[str]]] = [
    (
        "mex:personal-care",
        "Personal care and hygiene",
        "Personal care",
        [
            "personal care",
            "personal hygiene",
            "bathing",
            "bathe",
            "dress and groom",
            "dressing and grooming",
            "toileting",
            "continence care",
            "oral care",
            "activities of daily living",
            "fundamentals of nursing care",
            "intimate care",
        ],
    ),
    (
        "mex:safe-transfers",
        "Safe transfers and lifts",
        "Mobility",
        [
            "safe transfers",
            "transfers",
            "mechanical lift",
            "hoist",
            "hoists",
            "moving and handling",
            "moving & handling",
            "manual handling",
            "lift, turn and position",
            "turn and position",
            "repositioning",
            "safe lifting",
        ],
    ),
    (
        "mex:mobility-support",
        "Mobility support",
        "Mobility",
        [
            "mobility",
            "ambulation",
            "walking aids",
            "wheelchair",
            "range of motion",
            "exercise routines",
            "falls prevention",
        ],
    ),
    (
        "mex:dementia-care",
        "Dementia care",
        "Specialised care",
        [
            "dementia",
            "alzheimer",
            "alzheimer's",
            "cognitive impairment",
            "responsive behaviours",
            "responsive behaviors",
            "gentle persuasive approaches",
        ],
    ),
    (
        "mex:infection-control",
        "Infection prevention and control",
        "Safety",
        [
            "infection prevention",
            "infection control",
            "hand hygiene",
            "ppe",
            "personal protective equipment",
            "routine practices",
            "sterile technique",
            "aseptic technique",
            "decontamination",
        ],
    ),
    (
        "mex:medication-assistance",
        "Medication assistance",
        "Clinical support",
        [
            "medication assistance",
            "assist with medication",
            "assist with medications",
            "medication administration",
            "administer medication",
            "administer medications",
            "medication prompts",
            "suppositories",
            "medicines management",
        ],
    ),
    (
        "mex:vital-signs",
        "Vital signs and observations",
        "Clinical support",
        [
            "vital signs",
            "blood pressure",
            "temperature and pulse",
            "observations",
            "clinical observations",
            "news2",
            "blood glucose",
            "pulse oximetry",
            "weigh",
        ],
    ),
    (
        "mex:palliative-care",
        "Palliative and end-of-life care",
        "Specialised care",
        [
            "palliative",
            "palliative care",
            "end of life care",
            "end-of-life care",
            "end of life",
            "hospice",
            "comfort care",
        ],
    ),
    (
        "mex:documentation",
        "Documentation and charting",
        "Communication",
        [
            "documentation",
            "charting",
            "record keeping",
            "care records",
            "care plans",
            "care plan",
            "nursing records",
            "report changes",
            "accurate records",
        ],
    ),
    (
        "mex:communication",
        "Communication with residents and families",
        "Communication",
        [
            "communication with residents",
            "communicate with families",
            "patients and their relatives",
            "relatives and carers",
            "families and carers",
            "communication skills",
            "excellent oral communication",
            "effective interpersonal skills",
            "interpersonal skills",
            "active listening",
        ],
    ),
    (
        "mex:nutrition-feeding",
        "Meal assistance and feeding",
        "Personal care",
        [
            "meal assistance",
            "feed patients",
            "feeding",
            "assist with meals",
            "nutrition",
            "hydration",
            "meal trays",
            "food and fluid",
            "dysphagia",
            "mealtimes",
        ],
    ),
    (
        "mex:first-aid",
        "First aid and CPR",
        "Safety",
        [
            "first aid",
            "cpr",
            "cardiopulmonary resuscitation",
            "basic life support",
            "bls",
            "emergency situations",
        ],
    ),
    (
        "mex:mental-health-support",
        "Mental health support",
        "Specialised care",
        [
            "mental health",
            "mental illness",
            "psychiatric",
            "de-escalation",
            "challenging behaviour",
            "challenging behavior",
            "wellbeing",
        ],
    ),
    (
        "mex:learning-disability-support",
        "Learning and developmental disability support",
        "Specialised care",
        [
            "learning disabilities",
            "learning disability",
            "developmental disabilities",
            "developmental disability",
            "autism",
            "persons with disabilities",
        ],
    ),
    (
        "mex:housekeeping",
        "Household and environmental support",
        "Personal care",
        [
            "make beds",
            "bed making",
            "housekeeping",
            "laundry",
            "light housework",
            "meal preparation",
            "prepare meals",
            "maintain patients' rooms",
        ],
    ),
    (
        "mex:specimen-collection",
        "Specimen collection",
        "Clinical support",
        [
            "collect specimens",
            "specimen collection",
            "specimens",
            "phlebotomy",
            "venepuncture",
            "urinalysis",
        ],
    ),
    (
        "mex:wound-care",
        "Wound and skin care",
        "Clinical support",
        [
            "wound care",
            "pressure ulcers",
            "pressure area care",
            "pressure injuries",
            "skin integrity",
            "dressings",
            "tissue viability",
        ],
    ),
    (
        "mex:patient-assessment",
        "Health assessment",
        "Nursing",
        [
            "health assessment",
            "patient assessment",
            "assess patients",
            "examine patients",
            "medical histories",
            "clinical assessment",
            "triage",
        ],
    ),
    (
        "mex:care-planning",
        "Care planning and coordination",
        "Nursing",
        [
            "care planning",
            "plan, implement, co-ordinate and evaluate patient care",
            "coordinate care",
            "co-ordinate care",
            "discharge planning",
            "interdisciplinary health team",
            "multidisciplinary team",
            "multi-disciplinary team",
        ],
    ),
    (
        "mex:health-teaching",
        "Health teaching and promotion",
        "Nursing",
        [
            "health teaching",
            "health promotion",
            "health education",
            "advise patients on health care",
            "health counselling",
        ],
    ),
    (
        "mex:immunization",
        "Immunization",
        "Nursing",
        [
            "immunization clinics",
            "immunisation",
            "inoculate and vaccinate",
            "vaccinations",
            "vaccinate",
        ],
    ),
    (
        "mex:teamwork",
        "Teamwork",
        "Professional practice",
        [
            "teamwork",
            "team player",
            "team working",
            "part of a team",
            "work as part of a team",
        ],
    ),
    (
        "mex:recreation-activities",
        "Recreation and social activities",
        "Personal care",
        [
            "recreational activities",
            "recreation programs",
            "recreational therapy",
            "social activities",
            "meaningful activities",
            "activity programme",
            "companionship",
        ],
    ),
    (
        "mex:safeguarding",
        "Safeguarding and abuse prevention",
        "Professional practice",
        [
            "safeguarding",
            "abuse prevention",
            "elder abuse",
            "protection of vulnerable adults",
            "residents' bill of rights",
        ],
    ),
    (
        "mex:patient-transport",
        "Patient transport and escort",
        "Mobility",
        [
            "transport patients",
            "escort patients",
            "patient transport",
            "porter",
            "accompany patients",
        ],
    ),
]

# Pairs of skills close enough that holding one earns part of the credit for
# the other (see MATCHING_RELATED_SKILL_CREDIT).
RELATED_SKILLS: list[tuple[str, str]] = [
    ("mex:safe-transfers", "mex:mobility-support"),
    ("mex:personal-care", "mex:nutrition-feeding"),
    ("mex:dementia-care", "mex:mental-health-support"),
    ("mex:vital-signs", "mex:patient-assessment"),
    ("mex:care-planning", "mex:documentation"),
    ("mex:palliative-care", "mex:personal-care"),
    ("mex:first-aid", "mex:vital-signs"),
    ("mex:mobility-support", "mex:patient-transport"),
    ("mex:wound-care", "mex:infection-control"),
    ("mex:immunization", "mex:health-teaching"),
    ("mex:learning-disability-support", "mex:mental-health-support"),
]

# (code, name, kind, aliases). Kinds are matching.models.Credential.Kind values.
CREDENTIALS: list[tuple[str, str, str, list[str]]] = [
    (
        "mex:psw-certificate",
        "Personal Support Worker certificate",
        "certificate",
        [
            "personal support worker certificate",
            "psw certificate",
            "health care aide certificate",
            "healthcare aide certificate",
            "care certificate",
            "nvq level 2",
            "nvq level 3",
            "qcf level 2",
            "qcf level 3",
        ],
    ),
    (
        "mex:rpn-registration",
        "Registered Practical Nurse registration",
        "licence",
        [
            "registered practical nurse",
            "rpn registration",
            "licensed practical nurse",
            "lpn",
            "registered psychiatric nurse",
        ],
    ),
    (
        "mex:rn-registration",
        "Registered Nurse registration",
        "licence",
        [
            "registered nurse (rn)",
            "registered nurse registration",
            "rn registration",
            "licensure as a nurse practitioner",
            "licensure as a registered nurse",
            "registered nurse licence",
            "nmc registration",
            "registered general nurse",
        ],
    ),
    (
        "mex:criminal-record-check",
        "Criminal record check",
        "security_check",
        ["criminal record check", "dbs check", "enhanced dbs", "police check"],
    ),
    (
        "mex:vulnerable-sector-check",
        "Vulnerable sector check",
        "security_check",
        ["vulnerable sector check", "vulnerable sector screening"],
    ),
    (
        "mex:immunization-records",
        "Immunization records",
        "security_check",
        ["immunization records", "immunisation records", "tuberculosis test"],
    ),
    (
        "mex:first-aid-cpr-certificate",
        "First Aid and CPR certificate",
        "certificate",
        [
            "first aid certificate",
            "cpr certificate",
            "standard first aid",
            "basic cardiac life support (bcls) certificate",
            "basic life support certificate",
            "bls certificate",
        ],
    ),
    (
        "mex:food-handler-certificate",
        "Food handler certificate",
        "certificate",
        ["food handler", "food safety certificate", "food handling certificate"],
    ),
    (
        "mex:drivers-licence",
        "Driver's licence",
        "licence",
        [
            "driver's licence",
            "driver's license",
            "drivers licence",
            "driving licence",
            "valid driver",
        ],
    ),
    ("mex:lang-en", "English", "language", ["english"]),
    ("mex:lang-fr", "French", "language", ["french", "français"]),
]

# Occupations that MEX maintains, for postings whose text names few skills.
# (code, title, NOC 2021 codes, title aliases, [(skill code, importance 1-5,
# level 1-5)]). NOC codes: 33102 nurse aides, orderlies and patient service
# associates (personal support workers); 44101 home support workers;
# 32101 licensed practical nurses; 31301 registered nurses.
OCCUPATIONS: list[
    tuple[str, str, list[str], list[str], list[tuple[str, float, int]]]
] = [
    (
        "mex:personal-support-worker",
        "Personal support worker",
        ["33102"],
        [
            "personal support worker",
            "psw",
            "health care aide",
            "healthcare aide",
            "health care assistant",
            "healthcare assistant",
            "care assistant",
            "nursing assistant",
            "nursing associate",
            "assistant practitioner",
            "clinical support worker",
            "health care support worker",
            "healthcare support worker",
            "support worker",
            "care worker",
            "patient care aide",
        ],
        [
            ("mex:personal-care", 5, 3),
            ("mex:safe-transfers", 4.5, 3),
            ("mex:infection-control", 4.5, 2),
            ("mex:communication", 4, 3),
            ("mex:vital-signs", 4, 2),
            ("mex:nutrition-feeding", 4, 2),
            ("mex:documentation", 4, 2),
            ("mex:mobility-support", 3.5, 3),
            ("mex:dementia-care", 3.5, 2),
            ("mex:teamwork", 3.5, 3),
        ],
    ),
    (
        "mex:home-support-worker",
        "Home support worker",
        ["44101"],
        [
            "home support worker",
            "home support",
            "live-in caregiver",
            "caregiver",
            "home care aide",
            "home health aide",
        ],
        [
            ("mex:personal-care", 5, 3),
            ("mex:housekeeping", 4.5, 3),
            ("mex:nutrition-feeding", 4.5, 3),
            ("mex:medication-assistance", 4, 2),
            ("mex:communication", 4, 3),
            ("mex:mobility-support", 3.5, 2),
            ("mex:recreation-activities", 3, 2),
        ],
    ),
    (
        "mex:practical-nurse",
        "Registered practical nurse",
        ["32101"],
        [
            "registered practical nurse",
            "licensed practical nurse",
            "practical nurse",
            "lpn",
            "rpn",
            "registered psychiatric nurse",
        ],
        [
            ("mex:medication-assistance", 5, 4),
            ("mex:vital-signs", 4.5, 4),
            ("mex:patient-assessment", 4.5, 3),
            ("mex:documentation", 4.5, 4),
            ("mex:infection-control", 4, 3),
            ("mex:wound-care", 4, 3),
            ("mex:communication", 4, 4),
            ("mex:care-planning", 3.5, 3),
        ],
    ),
    (
        "mex:registered-nurse",
        "Registered nurse",
        ["31301"],
        [
            "registered nurse",
            "nurse",
            "rn",
            "r.n.",
            "staff nurse",
            "clinical nurse",
            "public health nurse",
            "mental health nurse",
            "nurse practitioner",
        ],
        [
            ("mex:patient-assessment", 5, 4),
            ("mex:care-planning", 4.5, 4),
            ("mex:medication-assistance", 4.5, 4),
            ("mex:documentation", 4.5, 4),
            ("mex:vital-signs", 4, 4),
            ("mex:health-teaching", 4, 3),
            ("mex:infection-control", 4, 3),
            ("mex:communication", 4, 4),
        ],
    ),
    (
        "mex:dietary-aide",
        "Dietary aide",
        [],
        ["dietary aide", "food service worker", "dietary assistant", "kitchen helper"],
        [
            ("mex:nutrition-feeding", 5, 3),
            ("mex:infection-control", 4.5, 2),
            ("mex:housekeeping", 4, 2),
            ("mex:teamwork", 3.5, 2),
        ],
    ),
    (
        "mex:recreation-aide",
        "Recreation therapy aide",
        [],
        [
            "recreational therapy aide",
            "recreation aide",
            "recreational therapist",
            "activity coordinator",
            "activities coordinator",
        ],
        [
            ("mex:recreation-activities", 5, 3),
            ("mex:communication", 4.5, 3),
            ("mex:dementia-care", 3.5, 2),
            ("mex:mobility-support", 3, 2),
        ],
    ),
]

# Groups of the O*NET content model, parents of the skill and knowledge
# elements in O*NET files (O*NET Content Model, Worker Requirements).
ONET_GROUPS: dict[str, str] = {
    "2.A.1": "Basic skills: content",
    "2.A.2": "Basic skills: process",
    "2.B.1": "Social skills",
    "2.B.2": "Complex problem solving skills",
    "2.B.3": "Technical skills",
    "2.B.4": "Systems skills",
    "2.B.5": "Resource management skills",
    "2.C.1": "Business and management knowledge",
    "2.C.2": "Manufacturing and production knowledge",
    "2.C.3": "Engineering and technology knowledge",
    "2.C.4": "Mathematics and science knowledge",
    "2.C.5": "Health services knowledge",
    "2.C.7": "Arts and humanities knowledge",
    "2.C.8": "Law and public safety knowledge",
    "2.C.9": "Communications knowledge",
}

# MEX skills close to O*NET elements, linked as related skills so that an
# applicant or vacancy described with one taxonomy earns credit in the other.
ONET_RELATED: list[tuple[str, str]] = [
    ("mex:communication", "2.A.1.b"),  # Active Listening
    ("mex:communication", "2.A.1.d"),  # Speaking
    ("mex:documentation", "2.A.1.c"),  # Writing
    ("mex:teamwork", "2.B.1.b"),  # Coordination
    ("mex:health-teaching", "2.B.1.e"),  # Instructing
    ("mex:personal-care", "2.B.1.f"),  # Service Orientation
    ("mex:mental-health-support", "2.C.4.e"),  # Psychology
    ("mex:mental-health-support", "2.C.5.b"),  # Therapy and Counseling
    ("mex:patient-assessment", "2.C.5.a"),  # Medicine and Dentistry
    ("mex:nutrition-feeding", "2.C.2.b"),  # Food Production
    ("mex:first-aid", "2.C.8.a"),  # Public Safety and Security
]

# ESCO occupations carry no skill levels in the file MEX imports, so each
# takes the skill profile of the MEX occupation for its ISCO-08 unit group.
ISCO_TO_MEX_OCCUPATION: dict[str, str] = {
    "2221": "mex:registered-nurse",
    "3221": "mex:practical-nurse",
    "3412": "mex:home-support-worker",
    "5321": "mex:personal-support-worker",
    "5322": "mex:home-support-worker",
    "2269": "mex:recreation-aide",
}
