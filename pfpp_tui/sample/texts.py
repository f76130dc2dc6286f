"""Wording the generator fills in: meeting notes, decisions, generic actions, escalations.

Templates use ``str.format`` fields: ``{place}`` (pilot name), ``{topic}`` (one of the place's
topics), ``{update}`` (one of its progress sentences), ``{dept}`` (a department's short name)
and ``{team}`` (a team name). Keeping wording here keeps ``generate`` about structure only.
No I/O here.
"""

from __future__ import annotations

from pfpp_tui.models.common import BarrierCategory as C
from pfpp_tui.models.common import MeetingKind as M
from pfpp_tui.sample.specs import BarrierSpec as B

# How a pilot meeting of each kind is titled.
MEETING_TITLES: dict[M, str] = {
    M.PILOT_CHECK_IN: "{place} check-in: {topic}",
    M.THEORY_OF_CHANGE_WORKSHOP: "{place} theory-of-change workshop",
    M.LOCAL_BOARD: "{place} partnership board",
    M.DEPARTMENT_DEEP_DIVE: "{place} deep-dive with {dept}: {topic}",
    M.SITE_VISIT: "Site visit to {place}: {topic}",
    M.EVALUATION_SESSION: "{place} evaluation session with Ipsos",
    M.FUNDING_MAPPING_SESSION: "{place} funding mapping with Grant Thornton",
}

MEETING_OPENERS: dict[M, tuple[str, ...]] = {
    M.PILOT_CHECK_IN: (
        "Regular check-in with the {place} lead and buddy; focus on {topic}.",
        "Fortnightly {place} check-in. Main item: {topic}.",
        "Check-in moved to Teams at short notice. We covered {topic} and the action log.",
    ),
    M.THEORY_OF_CHANGE_WORKSHOP: (
        "Half-day workshop to agree the {place} theory of change: problem, activities, "
        "outcomes and the assumptions behind them. Ipsos facilitated.",
        "Partners mapped what they already do on {topic} and where it connects.",
    ),
    M.LOCAL_BOARD: (
        "Quarterly partnership board chaired by the council. Items: delivery update, "
        "{topic}, risks and the barrier log.",
        "Board meeting with council, NHS, police and voluntary sector partners.",
    ),
    M.DEPARTMENT_DEEP_DIVE: (
        "Deep-dive with {dept} officials on {topic}: what the department funds in the place "
        "and who holds the levers.",
        "{dept} colleagues walked through their programmes that touch {topic}.",
    ),
    M.SITE_VISIT: (
        "Programme team and {dept} officials visited {place} to see the work on {topic} "
        "and meet front-line staff.",
        "Visit hosted by the council; residents and staff spoke about {topic}.",
    ),
    M.EVALUATION_SESSION: (
        "Ipsos ran an evaluation session on what has changed in {place} and why.",
        "Process evaluation interview with the {place} partnership, covering {topic}.",
    ),
    M.FUNDING_MAPPING_SESSION: (
        "Grant Thornton went through central funding flowing into {place}, pot by pot.",
        "Funding mapping: partners listed every grant touching {topic} in the last two years.",
    ),
}

MEETING_CLOSERS = (
    "Partners agreed the barrier log is up to date.",
    "{dept} offered to find the right policy colleague before the next meeting.",
    "Risks unchanged; RAG reviewed and kept as it was.",
    "The buddy will write up the notes and circulate within two days.",
    "Data-sharing came up again and is logged as a barrier.",
    "Next meeting to look at progress against the theory of change.",
    "Attendance from the NHS was thin; the lead will follow up.",
)

DECISIONS = (
    "Keep {topic} as the main focus until the spring",
    "Escalate the data-sharing question to the programme board",
    "Ask {dept} for a named contact on {topic}",
    "Move the partnership board to six-weekly",
    "Share the action log with all partners after each meeting",
    "Use the Ipsos outcome measures in local reporting",
    "Pause new work on {topic} until funding is confirmed",
    "Invite the voluntary sector to co-chair the next board",
    "Record every new grant in the funding map",
    "Agree the revised theory of change",
)

# Actions any pilot might agree; the place's own list is used first.
GENERIC_ACTIONS = (
    "Send the {place} notes on {topic} to {dept}",
    "Update the {place} risk register after the discussion on {topic}",
    "Book a follow-up on {topic} with {dept}",
    "Update the {place} theory of change with what we learnt on {topic}",
    "Prepare the {place} quarterly return for the programme board",
    "Find the right {dept} contact for {topic}",
    "Add {topic} to the next {place} board agenda",
    "Check {place} spend against the grant profile",
    "Send Ipsos the {place} case study contacts",
    "Confirm who from {place} attends the next learning event",
    "Draft a one-page brief on {topic} for the {dept} deputy director",
    "Agree owners for the {place} delivery plan milestones",
    "Share the {place} grant list with Grant Thornton",
    "Write a short blog on {topic} in {place}",
)

# Actions agreed at programme-wide meetings.
PROGRAMME_ACTIONS = (
    "Circulate the barrier log summary to departments before the roundtable",
    "Update the directory of departmental contacts for pilots",
    "Draft the learning event agenda on data sharing",
    "Send the Shared Outcomes Fund quarterly report to HM Treasury",
    "Agree the evaluation interview schedule with Ipsos",
    "Collate pilot funding lists for Grant Thornton",
    "Write the programme board paper on escalated barriers",
    "Ask each department to name a place-based working champion",
    "Refresh the buddy allocation for pilots after staff moves",
    "Publish the data-sharing guidance note for pilots",
    "Book the venue for the final learning event",
    "Review pilot RAG ratings before the programme board",
    "Summarise the five barriers for the permanent secretaries' note",
    "Agree what happens to the pilots' relationships after March",
)

ACTION_DETAILS = (
    "Agreed at the {meeting} on {day}.",
    "From the {meeting} ({day}). Partners asked for this before the next meeting.",
    "Raised at the {meeting} on {day}; needed for the next programme board.",
    "Agreed at the {meeting} on {day}. Owner to report back by e-mail.",
)

BARRIER_ACTIONS = (
    "Chase {dept} for a named contact on: {barrier}",
    "Write up the evidence for the escalation: {barrier}",
    "Agree a workaround with partners while we wait: {barrier}",
)

# Barriers that belong to the programme rather than one place.
PROGRAMME_BARRIERS: tuple[B, ...] = (
    B(
        C.STRUCTURE,
        "Pilots cannot tell which departmental team owns their issue",
        "Every pilot has asked the programme team to find a contact at least once a month.",
        "pfpp",
    ),
    B(
        C.STRUCTURE,
        "Departmental reorganisations break established contacts",
        "Machinery-of-government changes moved several teams the pilots relied on.",
        "etf",
    ),
    B(
        C.STRUCTURE,
        "Regional and national teams in the same department give different answers",
        "Pilots are unsure which view holds.",
        None,
    ),
    B(
        C.PRIORITIES,
        "Spending review cycle shorter than the pilots' outcomes take to show",
        "Departments want results within the year; place-based outcomes take longer.",
        "sof",
    ),
    B(
        C.PRIORITIES,
        "Departmental single-issue targets crowd out joint local goals",
        "Each department asks the place to report against its own measure.",
        "hmt_lg",
    ),
    B(
        C.PRIORITIES,
        "Ministerial priorities shift mid-programme",
        "New announcements change what departments can commit to.",
        None,
    ),
    B(
        C.FUNDING,
        "Competitive bidding rounds favour places with bid-writing capacity",
        "Smaller councils and VCS partners miss out.",
        "hmt_lg",
    ),
    B(
        C.FUNDING,
        "Many small grants, each with its own monitoring return",
        "Grant Thornton's map shows many grants under £100,000 per place, each reported "
        "separately.",
        "sof",
    ),
    B(
        C.FUNDING,
        "Year-end deadlines force rushed spending",
        "Money arriving late in the financial year must be spent by 31 March.",
        "sof",
    ),
    B(
        C.DATA_SHARING,
        "Departments unsure whether existing gateways cover pilot use",
        "Legal teams give cautious, slow answers.",
        "data_sharing",
    ),
    B(
        C.DATA_SHARING,
        "No common data standard across pilot partners",
        "Partners cannot compare or combine their figures.",
        "data_sharing",
    ),
    B(
        C.DATA_SHARING,
        "Small-area data suppressed below the level places need",
        "Published statistics are suppressed at the ward level.",
        "mhclg_analysis",
    ),
    B(
        C.CULTURE,
        "Officials rewarded for departmental delivery, not joint working",
        "Objectives rarely mention partnership work.",
        "etf",
    ),
    B(
        C.CULTURE,
        "Place-based working seen as a side project",
        "Colleagues join when they have spare time.",
        None,
    ),
    B(
        C.CULTURE,
        "Risk aversion about trying something new with a place",
        "Officials worry about setting a precedent.",
        None,
    ),
    B(
        C.OTHER,
        "Staff turnover in pilot teams loses knowledge",
        "Three pilot leads changed in a year.",
        None,
    ),
    B(
        C.OTHER,
        "Evaluation burden on small partners",
        "VCS partners struggle to find time for interviews.",
        "ipsos_eval",
    ),
    B(
        C.FUNDING,
        "Shared Outcomes Fund money ends before the pilots do",
        "Programme funding runs to March 2023; pilots run into 2024.",
        "sof",
    ),
)

# Usual escalation route when a barrier names none (team keys).
ESCALATION_ROUTES: dict[C, tuple[str, ...]] = {
    C.STRUCTURE: ("pfpp", "etf"),
    C.PRIORITIES: ("sof", "hmt_lg"),
    C.FUNDING: ("sof", "lgf"),
    C.DATA_SHARING: ("data_sharing",),
    C.CULTURE: ("etf", "pfpp"),
    C.OTHER: ("pfpp",),
}

ESCALATION_ASKS: dict[C, str] = {
    C.STRUCTURE: "asked for a named contact and a standing slot at the pilot check-in",
    C.PRIORITIES: "asked whether the national measure can recognise the local outcome",
    C.FUNDING: "asked for the pots to be aligned or combined for the place",
    C.DATA_SHARING: "asked for a view on the legal gateway and a template agreement",
    C.CULTURE: "asked for a senior sponsor to champion joint working with the place",
    C.OTHER: "asked for advice and a contact who has seen this elsewhere",
}

ESCALATION_NOTE = "Escalated to {team} ({dept}) on {day}: {ask}."

RESOLUTIONS: dict[C, str] = {
    C.STRUCTURE: "{dept} named a single point of contact, who now joins the check-ins.",
    C.PRIORITIES: "{dept} agreed the local measure can be reported alongside the national one.",
    C.FUNDING: "{dept} aligned the grant dates and accepted one combined monitoring return.",
    C.DATA_SHARING: "Data-sharing agreement signed by all partners after {dept} confirmed "
    "the gateway.",
    C.CULTURE: "A {dept} deputy director now sponsors the work and attends the board.",
    C.OTHER: "Sorted locally with advice from {dept}.",
}

ACCEPTANCES: dict[C, str] = {
    C.STRUCTURE: "Accepted: no single owner exists; the buddy keeps a contact list instead.",
    C.PRIORITIES: "Accepted: the national measure stays; the place reports its own outcome "
    "alongside.",
    C.FUNDING: "Accepted: pots cannot be merged; partners pool reporting through the council.",
    C.DATA_SHARING: "Accepted: partners share aggregated figures only and work around the gap.",
    C.CULTURE: "Accepted for now: the partnership works with willing colleagues first.",
    C.OTHER: "Accepted: outside the programme's control; the risk is recorded.",
}

DUPLICATE_RESOLUTION = "Duplicate: tracked under the earlier entry for the same problem."

# Programme-wide meetings (no pilot): kind, title, opener, decisions.
PROGRAMME_MEETINGS: tuple[tuple[M, str, str, tuple[str, ...]], ...] = (
    (
        M.CROSS_GOVERNMENT_ROUNDTABLE,
        "Cross-government roundtable: the five barriers",
        "Officials from eleven departments and arm's-length bodies heard from four pilot leads "
        "about structure, priorities, funding, data-sharing and culture.",
        (
            "Each department to name a place-based working champion",
            "Share the barrier log summary quarterly",
        ),
    ),
    (
        M.LEARNING_EVENT,
        "Learning event: data sharing in practice",
        "Pilots compared data-sharing agreements; Luton and Bradford presented their protocols.",
        ("Publish a data-sharing guidance note for pilots",),
    ),
    (
        M.FUNDING_MAPPING_SESSION,
        "Funding flows: emerging findings from Grant Thornton",
        "Grant Thornton presented the map of central funding into the 13 places: a high number of "
        "small grants under £100,000, many with separate reporting.",
        ("Share the funding map with HM Treasury", "Ask pilots to check their entries"),
    ),
    (
        M.EVALUATION_SESSION,
        "Evaluation steering group",
        "Ipsos updated on interviews, case studies and the theory-of-change review.",
        ("Agree the interview schedule for the final wave",),
    ),
    (
        M.REVIEW,
        "Programme board: quarterly review",
        "Board reviewed pilot RAG ratings, escalated barriers and spend against the Shared "
        "Outcomes Fund profile.",
        ("Accept the revised spend profile", "Escalate three data-sharing barriers"),
    ),
    (
        M.CROSS_GOVERNMENT_ROUNDTABLE,
        "Roundtable: aligning funding in places",
        "HM Treasury and departments discussed simplifying small funding pots for places.",
        ("Draft principles for aligning grant conditions",),
    ),
    (
        M.LEARNING_EVENT,
        "Learning event: working with the voluntary sector",
        "Bradford VCS Alliance and Hackney CVS spoke about pre-partnership agreements that set "
        "out purpose and roles before the work starts.",
        ("Share the pre-partnership agreement template",),
    ),
    (
        M.DEPARTMENT_DEEP_DIVE,
        "Deep-dive with DWP: Jobcentre Plus in pilot places",
        "DWP colleagues explained how district teams can join local partnerships.",
        ("DWP to brief district managers in four pilot places",),
    ),
)
