"""PfPP pilot places Birmingham to Hackney: real lead councils and challenges, invented detail.

Lead councils and the nine published local challenges follow the gov.uk PfPP publications
(pilots announced 8 Nov 2021); the four places without a published challenge are in
``places_l_to_w``. Topics, updates, actions and barriers are invented but
written to read like a real programme's records. No I/O here.
"""

from __future__ import annotations

from datetime import date

from pfpp_tui.models.common import BarrierCategory as C
from pfpp_tui.models.common import PilotStage as S
from pfpp_tui.models.common import Rag
from pfpp_tui.sample.specs import BarrierSpec as B
from pfpp_tui.sample.specs import PilotSpec

PILOTS_A_TO_H: tuple[PilotSpec, ...] = (
    PilotSpec(
        "birmingham",
        "Birmingham",
        "bcc",
        "East Birmingham careers pathways",
        "Careers advice for young people at risk of becoming NEET (not in education, employment "
        "or training) in East Birmingham.",
        True,
        S.DELIVERY,
        Rag.GREEN,
        date(2021, 11, 8),
        date(2024, 3, 31),
        "Youth hub in Washwood Heath opened June 2023.",
        topics=(
            "NEET tracking data",
            "youth hub footfall",
            "careers adviser caseloads",
            "employer pledges",
            "school transition support",
        ),
        updates=(
            "The youth hub has seen 140 young people since opening, 38 of them referred by "
            "schools.",
            "NEET tracking now matches the council's list against Jobcentre youth claimants "
            "monthly.",
            "Twelve local employers have signed the work-experience pledge.",
            "Careers advisers report caseloads above 60 per worker in two wards.",
        ),
        actions=(
            "Share the anonymised NEET cohort profile with DfE careers team",
            "Book Jobcentre work coach sessions at the youth hub for the spring term",
            "Draft the employer pledge one-pager for the chamber of commerce",
            "Map careers provision across the 14 East Birmingham secondary schools",
            "Agree a referral route from the youth service to careers advisers",
            "Collect case studies of three young people for the evaluation",
            "Confirm youth hub opening hours over the school holidays",
            "Present NEET trend data to the East Birmingham board",
        ),
        barriers=(
            B(
                C.DATA_SHARING,
                "NEET tracking list cannot be matched with DWP youth claimant data",
                "The council holds the NEET list; Jobcentre holds claimant records. No agreed "
                "gateway lets them be matched, so the same young people are approached twice.",
                "data_sharing",
            ),
            B(
                C.FUNDING,
                "Careers funding split across four short-term pots",
                "Careers Hub, Youth Offer, UKSPF and a charitable grant each fund part of one "
                "adviser team, each with its own reporting cycle and end date.",
                "sof",
            ),
            B(
                C.STRUCTURE,
                "No single DfE contact for careers provision in one place",
                "Questions about the Careers Hub, post-16 participation and the Youth Guarantee "
                "go to three teams that do not know each other's work.",
                "careers",
            ),
            B(
                C.PRIORITIES,
                "National NEET measure excludes the 'not known' group locally seen as highest risk",
                "Local partners track 'activity not known' young people; the "
                "national measure does not, so the pilot's main cohort is invisible nationally.",
                "careers",
            ),
            B(
                C.CULTURE,
                "Schools reluctant to share destinations data with the youth service",
                "Head teachers are wary of sharing pupil destinations outside education.",
                None,
            ),
        ),
    ),
    PilotSpec(
        "bradford",
        "Bradford",
        "cbmdc",
        "Multiple disadvantage hubs",
        "Multi-disciplinary hubs for people with mental health needs and multiple "
        "disadvantage, designed and run with the local VCS Alliance.",
        True,
        S.DELIVERY,
        Rag.AMBER,
        date(2021, 11, 8),
        date(2024, 3, 31),
        "Two hubs open (city centre and Keighley); a third is under discussion.",
        topics=(
            "hub staffing model",
            "shared case records",
            "VCS commissioning",
            "dual diagnosis pathway",
            "peer mentor recruitment",
        ),
        updates=(
            "The city-centre hub is seeing around 45 people a week; 60% have three or more "
            "support needs.",
            "The VCS Alliance has recruited six peer mentors with lived experience.",
            "Mental health workers from the trust now sit in the hub two days a week.",
            "The Keighley hub lease runs out in March and needs a decision by January.",
        ),
        actions=(
            "Draft a data-sharing agreement for shared hub case records",
            "Confirm NHS trust staffing for the Keighley hub after March",
            "Write up the peer mentor role description with the VCS Alliance",
            "Send hub footfall and needs data to OHID for the dual diagnosis pilot",
            "Agree a single referral form across the two hubs",
            "Set up a monthly case review with probation and the hub leads",
            "Cost the option of a third hub in east Bradford",
            "Invite DHSC mental health team to visit the city-centre hub",
        ),
        barriers=(
            B(
                C.DATA_SHARING,
                "Hub partners keep separate case records for the same person",
                "The council, trust and VCS partners each record the person separately; no "
                "agreement lets hub staff see one shared record.",
                "data_sharing",
            ),
            B(
                C.FUNDING,
                "VCS partners paid on annual grants for a multi-year service",
                "The Alliance's partners cannot recruit permanent staff on twelve-month grants.",
                "sof",
            ),
            B(
                C.CULTURE,
                "Clinical teams hesitant to take referrals from peer mentors",
                "Trust staff want a clinician to re-assess every referral made by a peer mentor, "
                "which doubles waiting time.",
                "cmh",
            ),
            B(
                C.PRIORITIES,
                "Mental health access targets count appointments, not outcomes",
                "National access targets reward appointment volume; the hubs measure whether "
                "people stay engaged.",
                "mental_health",
            ),
            B(
                C.DATA_SHARING,
                "Trust cannot share hub case notes with VCS staff",
                "Raised again at the board: the same problem as the shared case records entry.",
                "data_sharing",
                duplicate_of=0,
            ),
        ),
    ),
    PilotSpec(
        "cornwall",
        "Cornwall",
        "cornwall",
        "Bodmin skills and employment",
        "Skills and employment in Bodmin: joining up careers, training and job support so "
        "local people can reach local jobs.",
        True,
        S.DELIVERY,
        Rag.GREEN,
        date(2021, 12, 1),
        date(2024, 3, 31),
        "Focus on the 18 to 30 age group and on residents returning to work.",
        topics=(
            "Bodmin jobs fair",
            "bus links to the business park",
            "Skills Bootcamp places",
            "employer survey",
            "community learning venues",
        ),
        updates=(
            "The Bodmin jobs fair drew 31 employers and around 400 visitors.",
            "Skills Bootcamp places in construction were filled within a fortnight.",
            "The employer survey found 70 unfilled vacancies within five miles of the town.",
            "Bus times to the business park still miss the start of early shifts.",
        ),
        actions=(
            "Share the Bodmin employer survey results with DWP and DfE",
            "Ask the bus operator about an earlier service to the business park",
            "Book a second jobs fair in Bodmin for the spring",
            "List community venues that can host adult learning in Bodmin",
            "Confirm Skills Bootcamp places for the next cohort",
            "Agree how Jobcentre Plus refers residents to the Bodmin skills offer",
            "Write a Bodmin case study for the Ipsos evaluation",
        ),
        barriers=(
            B(
                C.FUNDING,
                "Skills Bootcamp contract runs to a different year end from UKSPF",
                "Two funding years overlap badly, leaving a three-month gap in provision.",
                "adult_skills",
            ),
            B(
                C.STRUCTURE,
                "Rural bus decisions sit outside the pilot's partners",
                "Service changes are commercial decisions by the operator and the pilot has no "
                "route into them.",
                "local_transport",
            ),
            B(
                C.PRIORITIES,
                "Jobcentre targets favour quick job starts over training",
                "Work coaches are measured on job starts, so training referrals are rare.",
                "jcp",
            ),
            B(
                C.OTHER,
                "Few venues in Bodmin available for evening learning",
                "Community venues close at 6pm; most adult learners work days.",
                None,
            ),
            B(
                C.CULTURE,
                "Employers unused to working with public-sector skills programmes",
                "Small employers see the offer as form-filling and drop out.",
                None,
            ),
        ),
    ),
    PilotSpec(
        "durham",
        "Durham",
        "dcc",
        "Horden together",
        "Crime, anti-social behaviour and low trust in public services in Horden.",
        True,
        S.DELIVERY,
        Rag.AMBER,
        date(2021, 11, 8),
        date(2024, 3, 31),
        "Works alongside selective licensing of private landlords in the area.",
        topics=(
            "resident trust survey",
            "empty homes",
            "joint patrols",
            "selective licensing",
            "community safety hub",
        ),
        updates=(
            "The resident survey shows trust in local services up from 22% to 31%.",
            "Joint council and police walkabouts now run every fortnight.",
            "Selective licensing has brought 120 landlords into the scheme.",
            "Reports of anti-social behaviour fell by a fifth over the summer.",
        ),
        actions=(
            "Repeat the Horden resident trust survey in the new year",
            "Share the empty homes list with the police neighbourhood team",
            "Agree a joint patrol rota for the school holidays",
            "Ask Home Office ASB team about the new ASB powers consultation",
            "Publish a 'you said, we did' leaflet for Horden residents",
            "Confirm community safety hub opening hours with the police",
            "Send Horden funding list to Grant Thornton for the funding map",
        ),
        barriers=(
            B(
                C.FUNDING,
                "Safer Streets bid window too short to involve residents",
                "Six weeks from launch to deadline left no time to co-design the bid.",
                "safer_streets",
            ),
            B(
                C.DATA_SHARING,
                "Police incident data only shared as quarterly totals",
                "Partners need street-level data to plan patrols; only totals are shared.",
                "data_sharing",
            ),
            B(
                C.CULTURE,
                "Residents' low trust makes consultation events poorly attended",
                "Residents say they have been consulted before with nothing changing.",
                None,
            ),
            B(
                C.STRUCTURE,
                "Three government teams run separate ASB initiatives in the area",
                "Each asks the council for its own plan and return.",
                "asb",
            ),
            B(
                C.PRIORITIES,
                "Probation focus on high-risk cases leaves local low-level offending unaddressed",
                "The pilot's priority cohort is below national thresholds.",
                "probation",
            ),
        ),
    ),
    PilotSpec(
        "east_sussex",
        "East Sussex",
        "escc",
        "Warm homes in Hastings",
        "Fuel poverty in private rented homes in three Hastings wards.",
        True,
        S.DELIVERY,
        Rag.RED,
        date(2021, 11, 8),
        date(2024, 3, 31),
        "Works with Hastings Borough Council, which licenses and inspects private landlords.",
        topics=(
            "landlord engagement",
            "energy advice visits",
            "Home Upgrade Grant uptake",
            "damp and mould cases",
            "winter warm spaces",
        ),
        updates=(
            "Energy advisers have visited 210 private rented homes; 64% had an EPC of E or below.",
            "Only nine landlords have taken up Home Upgrade Grant offers so far.",
            "Damp and mould complaints to the borough rose by a third this autumn.",
            "Warm spaces opened in four community buildings in the three wards.",
        ),
        actions=(
            "Chase DESNZ on landlord eligibility for the Home Upgrade Grant",
            "Share EPC findings from the home visits with Hastings Borough Council",
            "Plan a landlord forum on energy efficiency standards",
            "Agree a referral route from energy advisers to environmental health",
            "Publish the winter warm spaces list for the three wards",
            "Write to landlords with E and F rated homes about support available",
            "Give Ipsos the home visit data for the evaluation",
            "Check whether Household Support Fund can cover emergency heaters",
        ),
        barriers=(
            B(
                C.FUNDING,
                "Home Upgrade Grant rules exclude most private landlords in the wards",
                "The landlord contribution and eligibility rules make the grant unattractive "
                "for small landlords, who own most homes in the wards.",
                "home_energy",
            ),
            B(
                C.DATA_SHARING,
                "EPC and council tax data cannot be combined to find cold homes",
                "Partners want to target visits using EPC and council tax records together.",
                "data_sharing",
            ),
            B(
                C.PRIORITIES,
                "National fuel poverty metric misses the wards' older housing stock",
                "The metric treats homes by band; the wards' pre-1919 "
                "terraces need different measures.",
                "fuel_poverty",
            ),
            B(
                C.STRUCTURE,
                "Responsibility for cold homes split between county and borough",
                "Public health sits with the county, housing enforcement with the borough.",
                None,
            ),
            B(
                C.CULTURE,
                "Tenants fear retaliatory eviction if they report cold homes",
                "Advisers report tenants asking them not to contact the landlord.",
                "prs",
            ),
            B(
                C.FUNDING,
                "Landlord grant conditions put small landlords off the scheme",
                "Logged at the landlord forum; repeats the Home Upgrade Grant entry.",
                "home_energy",
                duplicate_of=0,
            ),
        ),
    ),
    PilotSpec(
        "hackney",
        "Hackney",
        "hackney",
        "Ageing Well",
        "Ageing Well: health inequalities among older people in Hackney.",
        True,
        S.EVALUATION,
        Rag.GREEN,
        date(2021, 11, 8),
        date(2023, 12, 31),
        "Built on the borough's Ageing Well strategy; evaluation write-up under way.",
        topics=(
            "social prescribing referrals",
            "older people's forum",
            "falls prevention",
            "digital access for older residents",
            "Ageing Well strategy refresh",
        ),
        updates=(
            "Social prescribing referrals for over-65s doubled since the spring.",
            "The older people's forum now meets monthly with 40 regular members.",
            "Falls prevention classes run in six community centres.",
            "The evaluation interviews with residents are complete.",
        ),
        actions=(
            "Send the older people's forum findings to OHID healthy ageing team",
            "Agree data items for the Ageing Well evaluation report",
            "Book the Ageing Well learning event with other pilots",
            "Share falls prevention class attendance with the ICB",
            "Draft the Ageing Well strategy refresh consultation",
            "Confirm funding for falls classes beyond December",
            "Write up the digital access lessons for the programme newsletter",
        ),
        barriers=(
            B(
                C.DATA_SHARING,
                "GP data on older patients not available to the council",
                "Population health data for over-65s stays within the NHS.",
                "core20",
            ),
            B(
                C.FUNDING,
                "Falls prevention funded from year-end underspends",
                "Classes stop and start with the money.",
                None,
            ),
            B(
                C.PRIORITIES,
                "NHS health inequalities targets focus on other age groups",
                "Core20PLUS5 priorities do not include the older residents the pilot serves.",
                "core20",
            ),
            B(
                C.CULTURE,
                "Older residents distrust online-only services",
                "Services moving online lose older residents.",
                None,
            ),
            B(
                C.STRUCTURE,
                "No single route into government on ageing policy",
                "Ageing policy is spread across DHSC, DWP and MHCLG.",
                "healthy_ageing",
            ),
        ),
    ),
)
