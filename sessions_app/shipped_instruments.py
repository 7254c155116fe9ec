"""The instruments the product ships, as data: an alliance check-in of our own wording, PHQ-9
and GAD-7 (free to reproduce). Licensed instruments (SRS, ORS, WAI-SR, OQ-45) are never shipped:
a practice with a licence types their items in on the instruments page.

Each ships in English and French. The French PHQ-9 and GAD-7 are the authors' French (Canada)
versions from the PHQ Screeners (Pfizer; "no permission required to reproduce, translate,
display or distribute"), the PHQ-9 as the INSPQ (Institut national de santé publique du Québec)
publishes it in its post-disaster mental health toolkit; they are the validated instruments, not
translations of ours. The alliance check-in is ours, and so is its French.

Used by the data migration, and by the tests to restore shipped rows after a database flush.
"""

FREQUENCY = {
    "0": "Not at all",
    "1": "Several days",
    "2": "More than half the days",
    "3": "Nearly every day",
}
FREQUENCY_FR = {
    "0": "Jamais",
    "1": "Plusieurs jours",
    "2": "Plus de sept jours",
    "3": "Presque tous les jours",
}
PFIZER_FR = (
    "Mis au point par les Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke et leurs "
    "collègues, grâce à une bourse d'études de Pfizer Inc. Aucune permission requise pour "
    "reproduire, traduire, afficher ou distribuer. Version française (Canada) des PHQ Screeners."
)
BANDS_FR = {
    "minimal": "minimale",
    "mild": "légère",
    "moderate": "modérée",
    "moderately severe": "modérément sévère",
    "severe": "sévère",
}
PFIZER = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)

INSTRUMENTS = [
    {
        "name": "Alliance check-in",
        "short_name": "Alliance",
        "kind": "alliance",
        "description": (
            "Four questions at the end of a session, on Bordin's three parts of the working "
            "alliance (agreement on goals, agreement on tasks, the bond) and overall fit. "
            "0 means not at all, 10 completely. Written for this product."
        ),
        "items": [
            {"key": "goals", "text": "My counselor and I are aiming at the same changes."},
            {
                "key": "tasks",
                "text": "The activities and conversations in our sessions make sense to me.",
            },
            {"key": "bond", "text": "I trust my counselor and can be honest here."},
            {"key": "overall", "text": "I am glad I came today."},
        ],
        "scale_min": 0,
        "scale_max": 10,
        "scale_labels": {"0": "Not at all", "10": "Completely"},
        "subscales": {
            "Goals": ["goals"],
            "Tasks": ["tasks"],
            "Bond": ["bond"],
            "Overall": ["overall"],
        },
        "clinical_cutoff": None,
        "reliable_change": None,
        "higher_is_better": True,
        "licence_reference": "Written for this product; free to use within it.",
        "risk_items": [],
        "translations": {
            "fr": {
                "name": "Questionnaire d'alliance",
                "short_name": "Alliance",
                "description": (
                    "Quatre questions en fin de séance sur les trois composantes de l'alliance "
                    "thérapeutique selon Bordin (accord sur les objectifs, accord sur les tâches, "
                    "le lien) et l'ajustement global. 0 signifie pas du tout, 10 tout à fait. "
                    "Rédigé pour ce logiciel."
                ),
                "items": {
                    "goals": "Mon conseiller ou ma conseillère et moi visons les mêmes "
                    "changements.",
                    "tasks": "Les activités et les échanges de nos séances ont du sens pour moi.",
                    "bond": "J'ai confiance en mon conseiller ou ma conseillère et je peux être "
                    "honnête ici.",
                    "overall": "Je suis content(e) d'être venu(e) aujourd'hui.",
                },
                "scale_labels": {"0": "Pas du tout", "10": "Tout à fait"},
                "subscales": {
                    "Goals": "Objectifs",
                    "Tasks": "Tâches",
                    "Bond": "Lien",
                    "Overall": "Global",
                },
                "licence_reference": "Rédigé pour ce logiciel; libre d'utilisation dans celui-ci.",
            }
        },
    },
    {
        "name": "Patient Health Questionnaire (PHQ-9)",
        "short_name": "PHQ-9",
        "kind": "outcome",
        "description": "Over the last two weeks, how often have you been bothered by any of the "
        "following problems? Scores of 10 and above suggest clinical depression.",
        "items": [
            {"key": "phq1", "text": "Little interest or pleasure in doing things"},
            {"key": "phq2", "text": "Feeling down, depressed, or hopeless"},
            {"key": "phq3", "text": "Trouble falling or staying asleep, or sleeping too much"},
            {"key": "phq4", "text": "Feeling tired or having little energy"},
            {"key": "phq5", "text": "Poor appetite or overeating"},
            {
                "key": "phq6",
                "text": "Feeling bad about yourself — or that you are a failure or "
                "have let yourself or your family down",
            },
            {
                "key": "phq7",
                "text": "Trouble concentrating on things, such as reading the "
                "newspaper or watching television",
            },
            {
                "key": "phq8",
                "text": "Moving or speaking so slowly that other people could have "
                "noticed? Or the opposite — being so fidgety or restless "
                "that you have been moving around a lot more than usual",
            },
            {
                "key": "phq9",
                "text": "Thoughts that you would be better off dead or of hurting "
                "yourself in some way",
            },
        ],
        "scale_min": 0,
        "scale_max": 3,
        "scale_labels": FREQUENCY,
        "subscales": {},
        "risk_items": ["phq9"],
        # Cutoff 10: Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613; a total of
        # 10 or more had 88% sensitivity and 88% specificity for major depression. It is also
        # the NHS Talking Therapies "caseness" threshold used for recovery.
        "clinical_cutoff": 10,
        # Reliable change 6: the NHS Talking Therapies manual (NHS England, 2024 edition; IAPT
        # before it): a fall of 6 or more points on the PHQ-9 is reliable improvement.
        "reliable_change": 6,
        # Bands: Kroenke, Spitzer & Williams (2001), table 3: 5, 10, 15 and 20 mark mild,
        # moderate, moderately severe and severe depression.
        "severity_bands": [
            {"from": 0, "to": 4, "label": "minimal"},
            {"from": 5, "to": 9, "label": "mild"},
            {"from": 10, "to": 14, "label": "moderate"},
            {"from": 15, "to": 19, "label": "moderately severe"},
            {"from": 20, "to": 27, "label": "severe"},
        ],
        "higher_is_better": False,
        "licence_reference": PFIZER,
        "translations": {
            "fr": {
                "name": "Questionnaire sur la santé du patient (PHQ-9)",
                "short_name": "PHQ-9",
                "description": "Au cours des deux dernières semaines, à quelle fréquence avez-vous "
                "été dérangé(e) par les problèmes suivants? Un score de 10 ou plus évoque une "
                "dépression cliniquement significative.",
                "items": {
                    "phq1": "Peu d'intérêt ou de plaisir à faire des choses",
                    "phq2": "Se sentir triste, déprimé(e) ou désespéré(e)",
                    "phq3": "Difficultés à s'endormir ou à rester endormi(e), ou trop dormir",
                    "phq4": "Se sentir fatigué(e) ou avoir peu d'énergie",
                    "phq5": "Peu d'appétit ou trop manger",
                    "phq6": "Mauvaise perception de vous-même — ou vous pensez que vous êtes un "
                    "perdant ou que vous n'avez pas satisfait vos propres attentes ou celles de "
                    "votre famille",
                    "phq7": "Difficultés à se concentrer sur des choses telles que lire le journal "
                    "ou regarder la télévision",
                    "phq8": "Vous bougez ou parlez si lentement que les autres personnes ont pu le "
                    "remarquer. Ou au contraire — vous êtes si agité(e) que vous bougez beaucoup "
                    "plus que d'habitude",
                    "phq9": "Vous avez pensé que vous seriez mieux mort(e) ou pensé à vous blesser "
                    "d'une façon ou d'une autre",
                },
                "scale_labels": FREQUENCY_FR,
                "bands": BANDS_FR,
                "licence_reference": PFIZER_FR,
            }
        },
    },
    {
        "name": "Generalized Anxiety Disorder scale (GAD-7)",
        "short_name": "GAD-7",
        "kind": "outcome",
        "description": "Over the last two weeks, how often have you been bothered by the "
        "following problems? Scores of 8 and above suggest clinical anxiety.",
        "items": [
            {"key": "gad1", "text": "Feeling nervous, anxious, or on edge"},
            {"key": "gad2", "text": "Not being able to stop or control worrying"},
            {"key": "gad3", "text": "Worrying too much about different things"},
            {"key": "gad4", "text": "Trouble relaxing"},
            {"key": "gad5", "text": "Being so restless that it is hard to sit still"},
            {"key": "gad6", "text": "Becoming easily annoyed or irritable"},
            {"key": "gad7", "text": "Feeling afraid, as if something awful might happen"},
        ],
        "scale_min": 0,
        "scale_max": 3,
        "scale_labels": FREQUENCY,
        "subscales": {},
        "risk_items": [],
        # Cutoff 8, not Spitzer's 10: Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med
        # 166:1092-1097, chose 10 for generalized anxiety disorder alone (89% sensitivity, 82%
        # specificity). A counseling practice sees panic, social anxiety and PTSD as well, and
        # Kroenke et al. (2007), Ann Intern Med 146:317-325, found 8 the better cut point for
        # any anxiety disorder. The NHS Talking Therapies manual uses 8 as its caseness
        # threshold, and the product's recovery rule (below the cutoff at the end) follows it,
        # so the cutoff, the reliable change below and the outcome classes agree with one
        # published definition.
        "clinical_cutoff": 8,
        # Reliable change 4: the NHS Talking Therapies manual: a fall of 4 or more points on the
        # GAD-7 is reliable improvement.
        "reliable_change": 4,
        # Bands: Spitzer et al. (2006): 5, 10 and 15 mark mild, moderate and severe anxiety.
        "severity_bands": [
            {"from": 0, "to": 4, "label": "minimal"},
            {"from": 5, "to": 9, "label": "mild"},
            {"from": 10, "to": 14, "label": "moderate"},
            {"from": 15, "to": 21, "label": "severe"},
        ],
        "higher_is_better": False,
        "licence_reference": PFIZER,
        "translations": {
            "fr": {
                "name": "Questionnaire sur l'anxiété généralisée (GAD-7)",
                "short_name": "GAD-7",
                "description": "Au cours des deux dernières semaines, à quelle fréquence avez-vous "
                "été dérangé(e) par les problèmes suivants? Un score de 8 ou plus évoque une "
                "anxiété cliniquement significative.",
                "items": {
                    "gad1": "Sentiment de nervosité, d'anxiété ou de tension",
                    "gad2": "Incapable d'arrêter de s'inquiéter ou de contrôler ses inquiétudes",
                    "gad3": "Inquiétudes excessives à propos de différentes choses",
                    "gad4": "Difficulté à se détendre",
                    "gad5": "Agitation telle qu'il est difficile de rester tranquille",
                    "gad6": "Devenir facilement contrarié(e) ou irritable",
                    "gad7": "Avoir peur que quelque chose d'épouvantable puisse arriver",
                },
                "scale_labels": FREQUENCY_FR,
                "bands": BANDS_FR,
                "licence_reference": PFIZER_FR,
            }
        },
    },
]


def ship(apps, schema_editor=None) -> None:
    Instrument = apps.get_model("sessions_app", "Instrument")
    # Only the fields the model has at this point of the migration history.
    known = {field.name for field in Instrument._meta.get_fields()}
    for spec in INSTRUMENTS:
        Instrument.objects.update_or_create(
            short_name=spec["short_name"],
            is_shipped=True,
            defaults={
                key: value for key, value in spec.items() if key != "short_name" and key in known
            },
        )
