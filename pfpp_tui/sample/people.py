"""Invented people for the sample: names, job titles and tags to draw from.

Names are common UK first and last names mixed at random, so no sample contact is meant to be
a real person; their e-mails use reserved domains only (see ``organisations``). No I/O here.
"""

from __future__ import annotations

from pfpp_tui.models.common import OrganisationKind as K

FIRST_NAMES = (
    "Aisha", "Alex", "Amara", "Amir", "Andrew", "Anna", "Ben", "Bethan", "Callum", "Caroline",
    "Chloe", "Chris", "Claire", "Daniel", "David", "Deborah", "Declan", "Eilidh", "Eleanor",
    "Emma", "Ewan", "Fatima", "Fiona", "Gareth", "Grace", "Hannah", "Harpreet", "Helen", "Imran",
    "Isla", "Jack", "James", "Jasmine", "Jo", "Joanne", "Jonathan", "Kate", "Kieran", "Laura",
    "Leon", "Liam", "Lucy", "Mark", "Marcus", "Maryam", "Matthew", "Megan", "Michael", "Naomi",
    "Nadia", "Neil", "Niamh", "Nikhil", "Olivia", "Oliver", "Owen", "Patrick", "Paul", "Priya",
    "Rachel", "Rebecca", "Rhys", "Richard", "Rosa", "Ruth", "Ryan", "Sadia", "Sam", "Sarah",
    "Sean", "Simon", "Sophie", "Stephen", "Tariq", "Thomas", "Tom", "Usha", "Victoria", "Will",
    "Yusuf", "Zainab", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Adeyemi", "Ahmed", "Akhtar", "Allen", "Anderson", "Bailey", "Baker", "Begum", "Bennett",
    "Bird", "Boateng", "Brown", "Campbell", "Carter", "Chen", "Clarke", "Collins", "Cooper",
    "Davies", "Dixon", "Doherty", "Edwards", "Evans", "Fletcher", "Foster", "Gallagher", "Gill",
    "Gordon", "Green", "Hall", "Harris", "Hussain", "Iqbal", "Jackson", "James", "Jenkins",
    "Johnson", "Jones", "Kaur", "Kelly", "Khan", "King", "Lee", "Lewis", "Lloyd", "Mahmood",
    "Marshall", "Martin", "McDonald", "Mensah", "Mitchell", "Moore", "Morgan", "Murphy",
    "Nowak", "O'Brien", "O'Neill", "Okafor", "Osei", "Owen", "Parker", "Patel", "Pearson",
    "Phillips", "Price", "Rahman", "Reid", "Richards", "Roberts", "Robinson", "Scott", "Shah",
    "Sharma", "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Walker",
    "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
)  # fmt: skip

# The first member of a central team is its lead; the rest draw from the second list.
TEAM_LEAD_ROLES: dict[K, tuple[str, ...]] = {
    K.CENTRAL_DEPARTMENT: ("Deputy Director", "Head of Team"),
    K.ARMS_LENGTH_BODY: ("Head of Programme", "Deputy Director"),
    K.LOCAL_AUTHORITY: ("Head of Service", "Strategic Lead", "Assistant Director"),
    K.NHS_BODY: ("Head of Population Health", "Director of Place"),
    K.PUBLIC_BODY: ("Chief Inspector", "Inspector"),
    K.VOLUNTARY_COMMUNITY: ("Chief Executive", "Director"),
    K.PRIVATE_PARTNER: ("Chief Executive", "Director"),
    K.RESEARCH_EVALUATION: ("Research Director", "Associate Director"),
}

STAFF_ROLES: dict[K, tuple[str, ...]] = {
    K.CENTRAL_DEPARTMENT: (
        "Policy Adviser",
        "Senior Policy Adviser",
        "Policy Lead",
        "Analyst",
        "Senior Analyst",
        "Programme Manager",
        "Economist",
        "Senior Policy Officer",
        "Stakeholder Manager",
    ),
    K.ARMS_LENGTH_BODY: ("Programme Manager", "Senior Analyst", "Policy Lead", "Regional Lead"),
    K.LOCAL_AUTHORITY: (
        "Programme Manager",
        "Project Officer",
        "Partnerships Officer",
        "Service Manager",
        "Data Analyst",
        "Community Development Officer",
        "Policy Officer",
        "Team Manager",
    ),
    K.NHS_BODY: ("Commissioning Manager", "Programme Lead", "Public Health Consultant"),
    K.PUBLIC_BODY: ("Sergeant", "Police Constable", "Police Community Support Officer"),
    K.VOLUNTARY_COMMUNITY: (
        "Partnerships Manager",
        "Volunteer Coordinator",
        "Hub Coordinator",
        "Peer Mentor Lead",
    ),
    K.PRIVATE_PARTNER: ("Operations Manager", "Business Engagement Manager"),
    K.RESEARCH_EVALUATION: ("Senior Research Executive", "Research Manager", "Manager"),
}

# Free tags a programme team would actually put on people (comma-separated in the row).
TAGS = (
    "data lead", "finance", "comms", "evaluation", "board member", "escalation route",
    "SOF", "lived experience", "analyst", "quick to reply", "new in post",
)  # fmt: skip

CONTACT_NOTES = (
    "Prefers a Teams call to e-mail.",
    "Part-time: Monday to Wednesday.",
    "Best route into the department's ministers' office.",
    "Covers for the team lead during leave.",
    "Joined the programme board in the second year.",
    "Happy to present at learning events.",
    "Ask before sharing anything outside the partnership.",
    "Knows the history of earlier funding rounds in the area.",
)
