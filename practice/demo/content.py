"""What the demo clients are like: names, concerns, goals and the phrases their notes are made of.

Everything here is invented. Names are varied on purpose (accents, names of many origins written
in Latin script) so that screens, sorting and letters are tried on realistic data. Contact
details use the reserved example.test domain and 555-01xx telephone numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

# legal first name, legal last name, preferred name, pronouns
ADULT_NAMES = [
    ("Emily", "Carter", "", "she/her"),
    ("José", "Ramírez", "", "he/him"),
    ("Siobhán", "O'Connell", "", "she/her"),
    ("Thị Lan", "Nguyễn", "Lan", "she/her"),
    ("Wei", "Zhang", "", "he/him"),
    ("Olumide", "Adeyemi", "Olu", "he/him"),
    ("Priyanka", "Deshmukh", "Priya", "she/her"),
    ("Jordan", "Ellis", "", "they/them"),
    ("Björn", "Andersson", "", "he/him"),
    ("Agnieszka", "Wiśniewska", "Aga", "she/her"),
    ("Marcus", "Washington", "", "he/him"),
    ("Fatima", "Al-Sayed", "", "she/her"),
    ("Katherine", "Mitchell", "Kate", "she/her"),
    ("Dmitri", "Volkov", "Dima", "he/him"),
    ("Seo-yeon", "Park", "Sunny", "she/her"),
    ("Tomás", "Herrera", "", "he/him"),
    ("Ngozi", "Eze", "", "she/her"),
    ("Riley", "Thompson", "", "they/them"),
    ("Hamza", "Qureshi", "", "he/him"),
    ("William", "Brooks", "Bill", "he/him"),
    ("Aiko", "Tanaka", "", "she/her"),
    ("Rahel", "Tesfaye", "", "she/her"),
    ("Mateus", "Gonçalves", "", "he/him"),
    ("Hana", "Kovačević", "", "she/her"),
    ("Kofi", "Boateng", "", "he/him"),
    ("Ashley", "Johnson", "", "she/her"),
    ("Arjun", "Iyer", "", "he/him"),
    ("Oksana", "Shevchenko", "", "she/her"),
    ("Rachel", "Goldberg", "", "she/her"),
    ("Yusuf", "Demir", "", "he/him"),
    ("Megan", "O'Brien", "", "she/her"),
    ("Leilani", "Kahale", "", "she/her"),
    ("Søren", "Kjær", "", "he/him"),
    ("Thandiwe", "Nkosi", "Thandi", "she/her"),
    ("Raúl", "Castillo", "", "he/him"),
    ("Mei-Ling", "Wu", "", "she/her"),
    ("Tyler", "Hughes", "", "he/him"),
    ("Sam", "Patel", "", "they/them"),
    ("Ingrid", "Solberg", "", "she/her"),
    ("Chidi", "Okonkwo", "", "he/him"),
    ("Kayla", "Robinson", "", "she/her"),
    ("Émile", "Laurent", "", "he/him"),
    ("Dustin", "Parker", "", "he/him"),
    ("Hannah", "Schmidt", "", "she/her"),
    ("Alejandro", "Moreno", "Alex", "he/him"),
    ("Amina", "Abdullahi", "", "she/her"),
    ("Kai", "Nakamura", "", "he/him"),
    ("Lucía", "Fernández", "", "she/her"),
    ("Nikhil", "Reddy", "", "he/him"),
    ("Brianna", "Lewis", "Bree", "she/her"),
    ("Tariq", "Mansour", "", "he/him"),
    ("Eleanor", "Whitfield", "Nell", "she/her"),
    ("Mihai", "Popescu", "", "he/him"),
    ("Ayesha", "Siddiqui", "", "she/her"),
    ("Ximena", "Rojas", "", "she/her"),
    ("Jamal", "Greene", "", "he/him"),
    ("Gabriel", "Lefebvre", "Gabe", "he/him"),
    ("Maya", "Rosenberg", "", "she/her"),
]

# Minors: (names, age in years, profile key). Parents sign the consent; the client assents.
MINORS = [
    (("Ananya", "Krishnan", "", "she/her"), 17, "teen_exams"),
    (("Connor", "Walsh", "", "he/him"), 15, "teen_school"),
    (("Zoë", "Fairbanks", "", "she/her"), 16, "teen_new_school"),
]

# fmt: off
EMERGENCY_FIRST_NAMES = [
    "Ana", "David", "Grace", "Luis", "Mira", "Paul", "Sara", "Tom", "Yara", "Omar", "Lena",
    "Nora", "Ben", "Ruth", "Ivan", "Joy", "Kenji", "Esther", "Femi", "Carmen",
]
CONTACT_LAST_NAMES = [
    "Bauer", "Okoye", "Lindgren", "Delgado", "Hartmann", "Yamamoto", "Mahlangu", "Costa",
    "Novak", "Ibrahim", "McAllister", "Duarte",
]
FAMILY = ["Mother", "Father", "Sister", "Brother", "Spouse", "Daughter", "Son", "Aunt"]
NOT_FAMILY = ["Partner", "Friend", "Roommate", "Neighbor"]
STREETS = [
    "rue Saint-Denis", "avenue du Parc", "rue Rachel Est", "avenue Laurier Ouest",
    "rue Beaubien Est", "avenue Christophe-Colomb", "rue Wellington", "avenue de l'Épée",
    "rue Fleury Ouest", "boulevard Saint-Laurent", "rue Ontario Est", "avenue Papineau",
]
# fmt: on
AREA_CODES = ["514", "514", "514", "438", "450", "450", "819"]


@dataclass(frozen=True)
class Profile:
    """A kind of client: the concern they come with and how their sessions read."""

    concern: str
    instrument: str  # the outcome measure: "PHQ-9" or "GAD-7"
    goals: tuple[tuple[str, str], ...]  # (what the client wants, how both will know)
    themes: tuple[str, ...]  # what the client brought to a session (after "{name} ...")
    homework: tuple[str, ...]
    work: str  # which pool of interventions fits: "anxiety", "mood", "grief", "relationship"
    group: str = ""  # "anxiety" or "grief": may join that group


PROFILES: dict[str, Profile] = {
    "job_loss": Profile(
        "Low mood since being laid off from a warehouse supervisor job in the spring. Sleeps "
        "late, has stopped seeing friends and says they feel like a burden to the family.",
        "PHQ-9",
        (
            ("Rebuild a daily routine", "Up by 8:00 with one planned activity on 5 days a week"),
            ("See friends again", "Contact with a friend at least twice a week, from the log"),
            ("Get back to work or training", "Three applications or one course enrolment a month"),
        ),
        (
            "described two interviews that went nowhere and a weekend spent mostly in bed",
            "reported getting up at 8 on four days and walking the dog each morning",
            "talked about shame when a neighbor asked about work",
            "had coffee with a former colleague and heard about an opening",
            "said money worries keep them awake; went through the budget with their partner",
        ),
        (
            "Fill in the activity log daily",
            "Two job applications and one call to a friend",
            "Note each 'I'm useless' thought and one answer to it",
        ),
        "mood",
    ),
    "panic_transit": Profile(
        "Panic attacks on buses and trains since an attack on a crowded train last winter. Now "
        "drives or walks everywhere and has turned down work downtown because of the commute.",
        "GAD-7",
        (
            ("Travel by bus again", "Ride the bus to work alone 4 days in 5, anxiety under 4/10"),
            ("Ride out a panic attack", "Stay in the situation until the panic passes, 3 times"),
            ("Stop the safety behaviors", "Travel without the water bottle and exit-seat rule"),
        ),
        (
            "rode two stops on the bus with a friend; anxiety peaked at 7/10, then eased",
            "reported a panic attack in a supermarket queue and left the shopping behind",
            "completed the whole route to work alone on Tuesday and Thursday",
            "noticed checking the pulse many times a day; we linked it to the panic cycle",
            "said the train is still too much but buses now feel possible",
        ),
        (
            "Exposure step: bus ride of four stops, three times this week",
            "Paced breathing twice a day, not as a rescue during exposure",
            "Log panic symptoms with the catastrophic thought and the outcome",
        ),
        "anxiety",
        "anxiety",
    ),
    "grief_parent": Profile(
        "Grief after their mother's death in the summer after a long illness. Hard to "
        "concentrate at work; guilt about decisions made in the hospital in her last week.",
        "PHQ-9",
        (
            ("Make room for the grief", "Set time for memories twice a week instead of avoiding"),
            ("Ease the guilt about the hospital", "Guilt rated under 4/10 on most days"),
            ("Manage at work again", "Full working days with no more than one sick day a month"),
        ),
        (
            "brought photographs of their mother and talked about the last holiday together",
            "described a bad week around her birthday; cried at work and went home early",
            "went through the hospital decisions again; recognized they acted on what they knew",
            "said sorting her clothes with a sibling was painful but brought them closer",
            "reported sleeping better and keeping up with work deadlines",
        ),
        (
            "Write a letter to her, not to send",
            "Plan how to mark the anniversary with family",
            "Keep two memory times this week",
        ),
        "grief",
        "grief",
    ),
    "grief_partner": Profile(
        "Grief after the sudden death of a spouse fourteen months ago. The house feels empty, "
        "evenings are the hardest, and the first anniversary brought everything back.",
        "PHQ-9",
        (
            ("Get through the evenings", "An evening plan on 5 nights a week, from the diary"),
            ("Rebuild a social life", "One social activity a week outside the family"),
            ("Keep the bond with the person who died", "A ritual of remembrance that feels right"),
        ),
        (
            "described the evenings as 'the long hours' and eating dinner standing up",
            "joined a walking club and spoke to two people there",
            "talked about anger at friends who stopped calling after the funeral",
            "started cooking proper meals again, twice this week",
            "talked about wearing the wedding ring on a chain and what it means",
        ),
        (
            "Evening plan for three nights",
            "Say yes to one invitation",
            "Write down three memories worth keeping",
        ),
        "grief",
        "grief",
    ),
    "grief_friend": Profile(
        "Grief after a close friend died of an overdose in the spring. Anger and guilt about "
        "missed calls; drinking more on weekends; avoids the places they used to go together.",
        "PHQ-9",
        (
            ("Talk about the loss", "Tell two trusted people about the friend and the death"),
            ("Cut down drinking", "No more than 4 drinks on any day, for 6 weeks"),
            ("Go back to shared places", "Visit the old park and café without leaving early"),
        ),
        (
            "talked about the last missed call and what they wish they had said",
            "kept a drinking diary; two weekends within the limit",
            "visited the friend's grave for the first time with the friend's sister",
            "described anger at the friend, then guilt for being angry",
            "said the group helped them feel less alone with it",
        ),
        (
            "Drinking diary, limit of 4",
            "Message the friend's sister to meet",
            "Write the friend a letter about the last call",
        ),
        "grief",
        "grief",
    ),
    "couple_conflict": Profile(
        "Frequent arguments with their partner about money and housework, worse over the past "
        "year. Wants to talk without shouting and to decide whether to try couples therapy.",
        "PHQ-9",
        (
            ("Argue without shouting", "Use a time-out before shouting in 4 of 5 arguments"),
            ("Share the load fairly", "A written weekly chore plan kept for a month"),
            ("Decide about couples therapy", "A decision made together within 8 weeks"),
        ),
        (
            "described a row over the credit card bill that ended with a slammed door",
            "used a time-out twice this week and came back to the talk after 20 minutes",
            "practised saying what they need without blaming; found it awkward but useful",
            "reported a calmer week; they made the chore plan together on Sunday",
            "talked about growing up in a family where nobody argued openly",
        ),
        (
            "Time-out plan: name it, leave, come back within an hour",
            "Weekly 20-minute check-in with the partner",
            "Notice the first signs of anger in the body",
        ),
        "relationship",
    ),
    "student_exams": Profile(
        "Final-year nursing student with exam stress: studies until 2 a.m., panics before "
        "clinical assessments and has failed one exam. Fears letting the family down.",
        "GAD-7",
        (
            ("Sleep enough in exam season", "In bed by midnight on 5 nights a week"),
            ("Study in a sustainable way", "A study plan with breaks, followed on most days"),
            ("Calmer before assessments", "Anxiety before an assessment under 5/10"),
        ),
        (
            "described a panic before a clinical assessment; passed it anyway",
            "made a study timetable with breaks and kept to it for four days",
            "talked about pressure as the first in the family at university",
            "reported going to bed by midnight on most nights",
            "noticed all-or-nothing thinking about grades",
        ),
        (
            "Study timetable with a 10-minute break each hour",
            "Worry time of 15 minutes at 6 p.m.",
            "Rehearse the assessment in imagination with breathing",
        ),
        "anxiety",
        "anxiety",
    ),
    "burnout": Profile(
        "Exhaustion and cynicism after two years as a middle-school teacher covering for "
        "unfilled posts. Dreads Sunday evenings; snaps at the children at home; sleeps badly.",
        "PHQ-9",
        (
            ("Protect time off", "No school work after 7 p.m. or on Saturdays, 4 weeks running"),
            ("Restore energy", "Energy rated 6/10 or more on most days"),
            ("Decide about the job", "A considered decision on staying, with pros and cons"),
        ),
        (
            "described working every evening and most of the weekend on marking",
            "said no to an extra duty for the first time and felt guilty for two days",
            "kept Saturday free and took the children swimming",
            "talked about the values that brought them into teaching",
            "reported Sunday dread lower after planning the week on Friday",
        ),
        (
            "Stop work at 7 p.m. on three evenings",
            "Write pros and cons of staying",
            "One restorative activity at the weekend",
        ),
        "mood",
    ),
    "social_anxiety": Profile(
        "Avoids meetings, speaking up and social events; rehearses conversations for hours and "
        "replays them afterwards. Was passed over for promotion for being 'too quiet'.",
        "GAD-7",
        (
            ("Speak up in meetings", "One comment in each team meeting for 4 weeks"),
            ("Go to social events", "Attend one social event a fortnight and stay an hour"),
            ("Less replaying afterwards", "Post-event replaying under 20 minutes"),
        ),
        (
            "made one comment in the team meeting; hands shook but nobody reacted badly",
            "skipped a colleague's leaving drinks and spent the evening replaying the excuse",
            "tried dropping safety behaviors: kept eye contact and did not rehearse",
            "went to a board game evening and stayed for two hours",
            "noticed mind-reading: 'they think I'm boring'",
        ),
        (
            "One comment in each meeting",
            "Behavioral experiment: ask a question in the shop",
            "Attention outward: notice three things about the other person",
        ),
        "anxiety",
        "anxiety",
    ),
    "relocation": Profile(
        "Loneliness and low mood after moving to Montréal for a partner's job eight months "
        "ago. Misses family abroad, has not found work in their field and feels like a guest.",
        "PHQ-9",
        (
            ("Build a local network", "Regular contact with two people met here"),
            ("Meaningful work or study", "Credential transfer started or a volunteer role"),
            ("Stay close to family abroad", "A weekly call with family at a fixed time"),
        ),
        (
            "talked about the first winter and days without speaking to anyone but their partner",
            "joined a language exchange at the library and enjoyed it",
            "sent the documents for the credential check",
            "described homesickness after missing a cousin's wedding",
            "started volunteering two mornings a week at the food bank",
        ),
        (
            "Go to the language exchange again",
            "Fixed Sunday call with family",
            "List three things they value about the new town",
        ),
        "mood",
    ),
    "postnatal": Profile(
        "Low mood and intrusive worries since the birth of her second child five months ago. "
        "Feels disconnected from the baby at times; partner is supportive; GP is informed.",
        "PHQ-9",
        (
            ("Feel close to the baby", "Enjoy at least one moment with the baby most days"),
            ("Manage intrusive worries", "Worries noticed and let pass rather than checked"),
            ("Accept help", "Ask partner or family for help at least 3 times a week"),
        ),
        (
            "described a frightening thought about the baby falling; understood it as intrusive",
            "said she laughed with the baby at bath time and it felt real",
            "asked her mother to take the older child on Saturdays",
            "talked about guilt for not enjoying the first months",
            "reported better sleep since the partner does the night feed on weekends",
        ),
        (
            "Notice and label intrusive thoughts without checking",
            "One pleasant moment with the baby each day",
            "Ask for one piece of help each day",
        ),
        "mood",
    ),
    "health_anxiety": Profile(
        "Checks their body for signs of illness several times a day and searches symptoms "
        "online since a friend's cancer diagnosis. Many visits to the GP, all results normal.",
        "GAD-7",
        (
            ("Cut down checking", "Body checking under 3 times a day"),
            ("Stop searching symptoms", "No symptom searches for 4 weeks"),
            ("Tolerate uncertainty", "Anxiety about health under 4/10 most days"),
        ),
        (
            "counted checking 14 times on Monday and 6 on Friday",
            "resisted searching a headache online; the worry passed in an hour",
            "talked about the friend's diagnosis and fear for their own children",
            "booked a routine check-up instead of an urgent appointment",
            "noticed reassurance-seeking from their partner",
        ),
        (
            "Checking log and delay by 30 minutes",
            "No symptom searches; write the worry down instead",
            "Ask partner to answer reassurance requests kindly but briefly",
        ),
        "anxiety",
        "anxiety",
    ),
    "insomnia_worry": Profile(
        "Difficulty getting to sleep for most of the year, with worries about work and money "
        "going round at night. Relies on late-night TV and coffee to get through the day.",
        "GAD-7",
        (
            ("Sleep better", "Asleep within 30 minutes on 5 nights a week, from the diary"),
            ("Contain the worry", "Worry time used daily; less worry in bed"),
            ("Cut caffeine", "No coffee after noon"),
        ),
        (
            "kept the sleep diary: asleep within 30 minutes on three nights",
            "used worry time at 6 p.m. and had fewer thoughts in bed",
            "reported a bad week after a budget cut was announced at work",
            "stopped coffee after noon and noticed a difference",
            "got up after 20 minutes awake instead of lying there",
        ),
        (
            "Sleep diary and fixed getting-up time",
            "Worry time at 6 p.m.",
            "No screens in the last hour",
        ),
        "anxiety",
    ),
    "anger_work": Profile(
        "Irritability and angry outbursts at work and home since a restructuring. Received a "
        "written warning after shouting at a colleague; wants to stay calm under pressure.",
        "GAD-7",
        (
            ("Stay calm at work", "No outbursts at work for 6 weeks"),
            ("Notice anger early", "Name the early signs and act on them 4 times in 5"),
            ("Repair at home", "A calm conversation with their partner about the last months"),
        ),
        (
            "described a meeting where they felt humiliated and left before shouting",
            "noticed jaw clenching and heat in the face as early signs",
            "apologised to the colleague; it went better than feared",
            "talked about the restructuring and fear of losing the job",
            "used the time-out at home twice this week",
        ),
        (
            "Anger log: trigger, early signs, what they did",
            "Time-out plan at work",
            "Five minutes of exercise when tension is high",
        ),
        "anxiety",
    ),
    "caregiver": Profile(
        "Caring for a father with dementia while working full time. Exhausted, resentful, then "
        "guilty about the resentment; rarely sees friends; siblings live out of state.",
        "PHQ-9",
        (
            ("Get respite", "Respite care or help from family one day a week"),
            ("Share the care", "A care plan agreed with the siblings"),
            ("Time for themself", "Two hours a week for something of their own"),
        ),
        (
            "described the father calling them by their late mother's name",
            "arranged a day centre place twice a week",
            "held a video call with the siblings and shared the tasks",
            "talked about resentment and guilt and how both can be true",
            "went to a choir rehearsal for the first time in a year",
        ),
        (
            "Call the day centre",
            "Sibling call with a list of tasks",
            "Two hours for themself",
        ),
        "mood",
    ),
    "breakup": Profile(
        "Low self-worth and rumination after the end of a seven-year relationship. Checks the "
        "ex-partner's social media daily and has been drinking more on weekends.",
        "PHQ-9",
        (
            ("Stop checking the ex's profiles", "No checking for 4 weeks"),
            ("Rebuild self-worth", "Three things done well written down each day"),
            ("Rediscover their own interests", "One activity a week chosen for themself"),
        ),
        (
            "checked the ex's profile most days; blocked it on Thursday",
            "talked about feeling 'not enough' and where that comes from",
            "started climbing again with a friend",
            "described a weekend drinking more than planned after seeing photos",
            "reported two days without thinking about the ex until the evening",
        ),
        (
            "Keep the profiles blocked",
            "Three things done well each day",
            "One activity of their own",
        ),
        "mood",
    ),
    "perfectionism": Profile(
        "Perfectionism and procrastination at work as an architect: misses deadlines because "
        "nothing feels good enough, then works all night. Constant worry about being found out.",
        "GAD-7",
        (
            ("Hand in on time", "Deliver work by the deadline 4 times in 5"),
            ("Good enough standards", "Use a 'good enough' checklist on each task"),
            ("Rest without guilt", "One evening a week off without work"),
        ),
        (
            "handed in a drawing set on time at '80 per cent'; the client was happy",
            "described working until 3 a.m. to redo a model nobody asked to change",
            "looked at the cost of perfectionism in a pros and cons list",
            "noticed the fear of being 'found out' before each review",
            "took Sunday off and did not check email",
        ),
        (
            "Behavioral experiment: hand in one task at good enough",
            "Time-box tasks and stop at the limit",
            "One evening off",
        ),
        "anxiety",
        "anxiety",
    ),
    "car_crash": Profile(
        "Nightmares, jumpiness and avoidance of driving since a car crash in March; no lasting "
        "injuries. Gets lifts from colleagues and wants to drive to work again.",
        "GAD-7",
        (
            ("Drive to work again", "Drive the route to work alone on 3 days a week"),
            ("Sleep without nightmares", "Nightmares no more than once a week"),
            ("Feel safe as a passenger", "Ride as a passenger on the highway without bracing"),
        ),
        (
            "drove around the block with their brother and kept going despite shaking hands",
            "described the crash in detail for the first time; distress 8/10, then 4/10",
            "reported two nightmares this week, down from five",
            "drove to the supermarket alone",
            "noticed avoiding the junction where the crash happened",
        ),
        (
            "Driving ladder: next step is the supermarket route",
            "Listen to the recording of the crash narrative daily",
            "Grounding before sleep",
        ),
        "anxiety",
    ),
    "teen_exams": Profile(
        "Exam stress and poor sleep in senior year, with college applications due. Panics "
        "before tests, has started skipping meals and studies late into the night.",
        "GAD-7",
        (
            ("Calmer before tests", "Anxiety before a test under 5/10"),
            ("Eat and sleep regularly", "Three meals a day and in bed by 11:30 on school nights"),
            ("Finish the applications", "Applications sent by the deadline without all-nighters"),
        ),
        (
            "described freezing in a chemistry test and leaving two questions blank",
            "made a plan for the applications with her parents",
            "ate breakfast every school day this week",
            "talked about comparing herself to friends",
            "used the breathing before the math test and finished it",
        ),
        (
            "Breathing before each test",
            "Application plan: one section a week",
            "Breakfast every day",
        ),
        "anxiety",
    ),
    "teen_school": Profile(
        "Missing school two or three days a week since starting high school, with stomach "
        "aches on school mornings. Parents worried about attendance; no bullying reported.",
        "GAD-7",
        (
            ("Go to school", "Attend 4 full days out of 5, from the school record"),
            (
                "Cope with school mornings",
                "Use the morning plan without a stomach ache stopping it",
            ),
            ("Have someone at school", "Know one adult and one friend to go to at school"),
        ),
        (
            "went to school on four days; the stomach ache passed by second period",
            "talked about lunchtime being the hardest part of the day",
            "met the school counselor and liked her",
            "described a Monday that went badly after a weekend of gaming late",
            "joined the robotics club with a friend",
        ),
        (
            "Morning plan on the fridge",
            "Lunchtime at the robotics club",
            "Bed by 10:30 on school nights",
        ),
        "anxiety",
    ),
    "teen_new_school": Profile(
        "Low mood and loneliness after moving schools in August. Spends evenings alone in her "
        "room; parents have noticed irritability and that she has stopped drawing.",
        "PHQ-9",
        (
            ("Make a friend at the new school", "Spend lunch with someone on most days"),
            ("Do things she enjoys", "Draw or do another favourite activity 3 times a week"),
            ("Talk with her parents", "One relaxed conversation a week with a parent"),
        ),
        (
            "said lunch alone in the library is the worst part of the day",
            "joined the art club and sat with two girls from her class",
            "talked about missing her old friends and a group chat that went quiet",
            "drew for the first time in months",
            "had an argument with her mother and then a good talk in the car",
        ),
        (
            "Go to the art club",
            "Draw three times this week",
            "Car-ride chat with a parent",
        ),
        "mood",
    ),
}

INTERVENTIONS = {
    "anxiety": (
        "Reviewed the anxiety cycle and planned the next exposure step",
        "Practised paced breathing and grounding in session",
        "Cognitive restructuring of the feared outcome",
        "Looked at safety behaviors and planned to drop one",
        "Built the next rung of the exposure ladder together",
    ),
    "mood": (
        "Behavioral activation: scheduled pleasant and mastery activities",
        "Cognitive restructuring of self-critical thoughts",
        "Problem solving on the most pressing practical difficulty",
        "Reviewed the activity log and the link between activity and mood",
        "Explored values to guide the next steps",
    ),
    "grief": (
        "Made space for the story of the loss and its hardest moments",
        "Explored continuing bonds and ways of remembering",
        "Looked at the balance between grieving and restoring daily life",
        "Addressed guilt with compassionate questioning",
        "Planned for anniversaries and difficult dates",
    ),
    "relationship": (
        "Practised speaking for oneself without blame",
        "Mapped the escalation pattern of a recent argument",
        "Rehearsed the time-out plan",
        "Explored family-of-origin patterns of conflict",
        "Looked at needs behind the complaints",
    ),
}

OBSERVATIONS = (
    "Arrived on time; engaged and reflective throughout.",
    "Appeared tired but engaged well once we started.",
    "Good eye contact; spoke more freely than last week.",
    "Tearful at times, able to stay with the feeling.",
    "Quiet at first, warmed up in the second half.",
    "Animated and hopeful; humor present.",
    "Somewhat guarded today; answered briefly.",
)

PROGRESS_BY_TREND = {
    "improving": (
        "Gradual improvement; the client links it to the work between sessions.",
        "Steady progress toward the goals; occasional setbacks under stress.",
        "Symptoms easing; more confidence in using the skills.",
    ),
    "recovered": (
        "Marked improvement; the client now uses the skills without prompting.",
        "Goals largely reached; we discussed spacing sessions and planning the ending.",
    ),
    "unchanged": (
        "Little change so far; the client remains committed to the work.",
        "Mixed week; no clear change in symptoms yet.",
    ),
    "deteriorating": (
        "Symptoms worse than at intake; several stressors at once.",
        "Mood lower; homework not attempted. Reviewed the plan and what would help.",
        "Deterioration noted on the measure; discussed a psychiatric review with the client.",
    ),
}

ALLIANCE_LINES = {
    "good": (
        "Alliance feels solid; the client says the pace suits them.",
        "Good working agreement on goals and tasks.",
    ),
    "dip": (
        "Alliance dipped: the client felt we moved on too fast from what mattered to them. "
        "Acknowledged it and agreed to slow down.",
        "The client said today's focus was not what they needed; talked about the mismatch openly.",
        "Client seemed frustrated with the homework; we named the rupture and repaired together.",
    ),
}

RISK_NOTE = (
    "Passive thoughts of not wanting to wake up on bad nights; no plan or intent. Safety plan "
    "reviewed and updated; crisis numbers given. Will review at each session."
)

GROUP_NOTE_LINES = {
    "anxiety": (
        "Practised paced breathing and shared a small exposure win.",
        "Quiet today; joined the pair exercise.",
        "Helped another member plan an exposure step.",
        "Described a setback honestly; the group was supportive.",
        "Tried the worry-time exercise and reported on it.",
    ),
    "grief": (
        "Shared a photograph and a memory with the group.",
        "Listened mostly; said the group helps them feel less alone.",
        "Talked about a difficult anniversary coming up.",
        "Offered comfort to a newer member.",
        "Tearful when talking about evenings; stayed to the end.",
    ),
}

# Each counselor's caseload: a profile from content.PROFILES and tags that shape the history.
#   group: joins the facilitator's group          silent: stopped coming 35-60 days ago
#   dip: alliance dipped at the last session       past_dip: dipped once, then recovered
#   deteriorating / recovered: the outcome story    overdue: an unsigned note past 72 hours
#   returned: a note the supervisor returned once (for counselors whose notes need co-signing)
CASELOADS = {
    "counselor": [
        "panic_transit group",
        "social_anxiety group dip",
        "health_anxiety group",
        "job_loss deteriorating",
        "grief_parent silent",
        "couple_conflict",
        "insomnia_worry overdue",
        "burnout",
        "relocation past_dip",
        "perfectionism",
        "breakup",
    ],
    "counselor2": [
        "couple_conflict",
        "student_exams group",
        "perfectionism group",
        "teen_school",
        "job_loss recovered",
        "caregiver",
        "car_crash overdue",
        "postnatal",
        "anger_work past_dip",
        "breakup",
    ],
    "counselor3": [
        "panic_transit",
        "grief_partner",
        "social_anxiety dip",
        "burnout",
        "relocation",
        "insomnia_worry",
        "couple_conflict returned",
        "health_anxiety",
        "caregiver",
    ],
    "counselor4": [
        "grief_friend group",
        "grief_parent group",
        "teen_new_school",
        "anger_work overdue",
        "job_loss silent",
        "car_crash",
        "breakup past_dip",
        "postnatal",
        "perfectionism",
    ],
    "counselor5": [
        "student_exams dip",
        "burnout",
        "social_anxiety",
        "relocation overdue",
        "breakup",
        "caregiver",
        "health_anxiety",
        "insomnia_worry",
    ],
    "counselor6": [
        "grief_partner group",
        "grief_parent group",
        "grief_friend group dip",
        "teen_exams",
        "caregiver silent",
        "job_loss",
        "anger_work",
        "panic_transit",
        "couple_conflict",
    ],
    "supervisor": ["grief_partner", "burnout", "perfectionism", "relocation"],
    # Geneviève Tremblay works in French; her clients correspond in French (FRENCH_CLIENTS).
    "counselor7": ["burnout", "relocation", "insomnia_worry", "perfectionism", "grief_parent"],
}
# The caseloads whose clients write and are written to in French, and their names.
FRENCH_CASELOADS = {"counselor7"}
# What the French-speaking clients come with and their goals, as their counselor writes them.
FRENCH_PROFILES = {
    "burnout": (
        "Épuisement et cynisme après deux ans comme enseignante au secondaire à couvrir des "
        "postes vacants. Redoute le dimanche soir; s'impatiente avec les enfants; dort mal.",
        (
            (
                "Protéger le temps libre",
                "Aucun travail scolaire après 19 h ni le samedi, 4 semaines",
            ),
            ("Retrouver de l'énergie", "Énergie cotée 6/10 ou plus la plupart des jours"),
            ("Décider pour l'emploi", "Une décision réfléchie sur le fait de rester"),
        ),
    ),
    "relocation": (
        "Solitude et humeur basse depuis l'arrivée à Montréal pour l'emploi du conjoint il y a "
        "huit mois. La famille lui manque; n'a pas trouvé de travail dans son domaine.",
        (
            ("Bâtir un réseau ici", "Des contacts réguliers avec deux personnes rencontrées ici"),
            ("Un travail ou des études qui ont du sens", "Reconnaissance des acquis entamée"),
            ("Rester proche de la famille", "Un appel hebdomadaire à heure fixe"),
        ),
    ),
    "insomnia_worry": (
        "Difficulté à s'endormir presque toute l'année, avec des inquiétudes sur le travail et "
        "l'argent la nuit. Compte sur la télévision tard le soir et le café pour tenir.",
        (
            ("Mieux dormir", "Endormi en 30 minutes 5 nuits par semaine, selon le journal"),
            ("Contenir les inquiétudes", "Un moment d'inquiétude chaque jour; moins au lit"),
            ("Réduire la caféine", "Pas de café après midi"),
        ),
    ),
    "perfectionism": (
        "Perfectionnisme et procrastination au travail d'architecte : rate des échéances parce "
        "que rien ne semble assez bon, puis travaille toute la nuit.",
        (
            ("Remettre à temps", "Remettre le travail à l'échéance 4 fois sur 5"),
            ("Des exigences suffisantes", "Une liste « assez bien » pour chaque tâche"),
            ("Se reposer sans culpabilité", "Une soirée par semaine sans travail"),
        ),
    ),
    "grief_parent": (
        "Deuil après le décès de sa mère cet été, au terme d'une longue maladie. Difficulté à "
        "se concentrer au travail; culpabilité au sujet des décisions prises à l'hôpital.",
        (
            ("Faire une place au deuil", "Du temps pour les souvenirs deux fois par semaine"),
            ("Apaiser la culpabilité", "Culpabilité cotée sous 4/10 la plupart des jours"),
            ("Reprendre le travail", "Des journées complètes, au plus un congé par mois"),
        ),
    ),
}
FRENCH_CLIENTS = [
    ("Mathieu", "Gagnon", "", "il/lui"),
    ("Chloé", "Bouchard", "", "elle"),
    ("Jean-François", "Côté", "J.-F.", "il/lui"),
    ("Nadia", "Bélanger", "", "elle"),
    ("Rosalie", "Lavoie", "", "elle"),
]

GROUPS = [
    {
        "name": "Anxiety skills group",
        "kind": "anxiety",
        "facilitators": ("counselor", "counselor2"),
        "weekday": 2,  # Wednesday evening
        "description": (
            "Eight-week skills group for adults with panic, worry and social anxiety: the "
            "anxiety cycle, breathing and grounding, thought records, graded exposure."
        ),
        "exit_reason": "not_a_fit",
    },
    {
        "name": "Bereavement support group",
        "kind": "grief",
        "facilitators": ("counselor6", "counselor4"),
        "weekday": 3,  # Thursday evening
        "description": (
            "An open support group for adults grieving the death of someone close: "
            "sharing the story, difficult dates, continuing bonds, looking after oneself."
        ),
        "exit_reason": "moved_on",
    },
]

RELEASE_RECIPIENTS = [
    (
        "Dr. Helen Park",
        "Maple Grove Family Practice",
        "Coordination of care with the client's family doctor",
        ["attendance", "assessment", "treatment_plan"],
    ),
    (
        "Dr. Rafael Ortiz",
        "Plateau Mental Health Clinic (psychiatry)",
        "Medication review and coordination with the psychiatrist",
        ["assessment", "treatment_plan", "measures"],
    ),
    (
        "Dr. Amara Nwosu",
        "Riverside Internal Medicine",
        "Keeping the client's physician informed of treatment",
        ["attendance", "treatment_plan"],
    ),
    (
        "Horizon EAP",
        "Horizon Employee Assistance Program",
        "Confirmation of attendance for sessions the EAP authorised",
        ["attendance"],
    ),
    (
        "Dr. Tobias Klein",
        "Mount Royal Psychiatry Associates",
        "Referral for a psychiatric assessment",
        ["assessment", "measures", "referral"],
    ),
]

SCHOOL_RECIPIENT = (
    "Ms. Denise Carter",
    "Lincoln High School counseling office",
    "A support plan at school (test arrangements, a safe adult to go to)",
    ["attendance", "treatment_plan"],
)

CANCEL_REASONS = {
    "late_cancelled": (
        "Childcare fell through an hour before",
        "Unwell; called two hours before",
        "Work emergency",
        "Car broke down",
    ),
    "cancelled": (
        "Client away; rebooked for the following week",
        "Counselor unwell",
        "Client asked to skip a week",
    ),
    "no_show": ("", "No answer to the reminder call", "Forgot; apologised by text"),
}
