"""The sample's work: meetings with attendees, the barrier log and the actions agreed.

Dates are spread around ``SAMPLE_ANCHOR`` so the demo feels live: meetings over the past year
(most in the last months), barriers raised across the year, and open actions falling due in the
weeks either side of "today" — some already overdue. Statuses follow from dates (an action due
long ago is most likely done) so the data tells a believable story rather than a uniform one.
Draws only from the directory's ``random.Random``; never reads the clock or commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from pfpp_tui.models import (
    Action,
    ActionStatus,
    Barrier,
    BarrierStatus,
    Contact,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    Severity,
)
from pfpp_tui.sample import texts
from pfpp_tui.sample.anchor import (
    SAMPLE_ANCHOR,
    at,
    days_before,
    row_id,
    utc,
    wall_clock,
    weekday,
)
from pfpp_tui.sample.directory import PILOTS, Directory
from pfpp_tui.sample.specs import BarrierSpec, PilotSpec
from pfpp_tui.sample.teams import PFPP_TEAM

# A pilot's fourth meeting of the year rotates through these kinds.
_SPECIAL_KINDS = (
    MeetingKind.LOCAL_BOARD,
    MeetingKind.DEPARTMENT_DEEP_DIVE,
    MeetingKind.SITE_VISIT,
    MeetingKind.EVALUATION_SESSION,
    MeetingKind.FUNDING_MAPPING_SESSION,
)
_HOURS = ((9, 30), (10, 0), (11, 0), (13, 30), (14, 0), (15, 0))
_SEVERITY_WEIGHTS = ((Severity.LOW, 25), (Severity.MEDIUM, 40), (Severity.HIGH, 25),
                     (Severity.CRITICAL, 10))  # fmt: skip


@dataclass
class _Held:
    meeting: Meeting
    pilot: PilotSpec | None
    attendees: list[Contact]
    topic: str
    dept: str
    actions: list[str] = field(default_factory=list)


@dataclass
class _Work:
    d: Directory
    session: Session
    held: list[_Held] = field(default_factory=list)
    used_titles: set[str] = field(default_factory=set)


def build_work(session: Session, d: Directory) -> None:
    w = _Work(d, session)
    _meetings(w)
    barriers = _barriers(w)
    _actions(w, barriers)


def _unique(contacts: list[Contact], limit: int = 8) -> list[Contact]:
    seen: dict[int, Contact] = {}
    for contact in contacts:
        seen.setdefault(row_id(contact), contact)
    return list(seen.values())[:limit]


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"  # "8 Nov 2023" (strftime's %-d is not portable)


def _pick(w: _Work, weights: tuple[tuple[str, int], ...]) -> str:
    return w.d.rng.choices([k for k, _ in weights], [n for _, n in weights])[0]


# Meetings ---------------------------------------------------------------------------------


def _meetings(w: _Work) -> None:
    rng = w.d.rng
    plans: list[tuple[date, MeetingKind, PilotSpec | None, int]] = []
    for n, p in enumerate(PILOTS):
        plans += [
            (days_before(rng.randint(300, 380)), MeetingKind.THEORY_OF_CHANGE_WORKSHOP, p, 0),
            (days_before(rng.randint(70, 130)), MeetingKind.PILOT_CHECK_IN, p, 0),
            (days_before(rng.randint(25, 65)), _SPECIAL_KINDS[n % len(_SPECIAL_KINDS)], p, 0),
            (days_before(rng.randint(2, 24)), MeetingKind.PILOT_CHECK_IN, p, 0),
        ]
    for i in range(len(texts.PROGRAMME_MEETINGS)):
        plans.append((days_before(330 - 42 * i + rng.randint(-6, 6)), MeetingKind.OTHER, None, i))
    plans.sort(key=lambda plan: (plan[0], plan[2].key if plan[2] else ""))
    for day, kind, pilot, index in plans:
        hour, minute = rng.choice(_HOURS)
        when = wall_clock(weekday(day), hour, minute)
        held = _pilot_meeting(w, when, kind, pilot) if pilot else _programme_meeting(w, when, index)
        w.session.add(held.meeting)
        w.held.append(held)
    w.session.flush()
    for held in w.held:
        for contact in held.attendees:
            w.session.add(
                MeetingAttendee(
                    meeting_id=row_id(held.meeting), contact_id=row_id(contact),
                    created_at=held.meeting.created_at, updated_at=held.meeting.created_at,
                )
            )  # fmt: skip
    w.session.flush()


def _pilot_meeting(w: _Work, when: datetime, kind: MeetingKind, p: PilotSpec) -> _Held:
    d, rng = w.d, w.d.rng
    topic = rng.choice(p.topics)
    team_key = rng.choice(d.central_teams_for(p.key))
    dept = d.short(d.team_specs[team_key].org)
    fields = {"place": p.name, "topic": topic, "dept": dept}
    people = [d.leads[p.key], d.buddies[p.key]]
    taken = {row_id(c) for c in people}
    pool = [c for c in d.pilot_people[p.key] if row_id(c) not in taken]
    if kind in (MeetingKind.DEPARTMENT_DEEP_DIVE, MeetingKind.SITE_VISIT):
        people += d.active(team_key)[:2]
    if kind is MeetingKind.EVALUATION_SESSION:
        people += d.active("ipsos_eval")[:1]
    if kind is MeetingKind.FUNDING_MAPPING_SESSION:
        people += d.active("gt_funding")[:1]
    extra = rng.randint(0, 6 - len(people) + 2) if kind is not MeetingKind.PILOT_CHECK_IN else (
        rng.randint(0, 2)
    )  # fmt: skip
    people += rng.sample(pool, min(len(pool), max(0, extra)))
    people = _unique(people)
    notes = [rng.choice(texts.MEETING_OPENERS[kind]).format(**fields)]
    if kind is not MeetingKind.THEORY_OF_CHANGE_WORKSHOP:
        notes.append(rng.choice(p.updates))
    notes.append(rng.choice(texts.MEETING_CLOSERS).format(**fields))
    decisions = rng.sample(texts.DECISIONS, rng.randint(1, 3))
    meeting = Meeting(
        pilot_id=row_id(d.pilots[p.key]), held_at=when, kind=kind,
        title=texts.MEETING_TITLES[kind].format(**fields), notes=" ".join(notes),
        decisions="\n".join(x.format(**fields) for x in decisions),
        created_at=utc(when + timedelta(hours=2)), updated_at=utc(when + timedelta(hours=2)),
    )  # fmt: skip
    return _Held(meeting, p, people, topic, dept)


def _programme_meeting(w: _Work, when: datetime, index: int) -> _Held:
    d, rng = w.d, w.d.rng
    kind, title, opener, decisions = texts.PROGRAMME_MEETINGS[index]
    people = d.active(PFPP_TEAM)[:3]
    others = [
        c for t in ("sof", "etf", "data_sharing", "jcp", "asb", "careers") for c in d.active(t)
    ]
    people += rng.sample(others, rng.randint(1, 4))
    if kind is MeetingKind.EVALUATION_SESSION:
        people += d.active("ipsos_eval")[:2]
    if kind is MeetingKind.FUNDING_MAPPING_SESSION:
        people += d.active("gt_funding")[:2]
    closer = rng.choice(texts.MEETING_CLOSERS).format(dept="HM Treasury")
    meeting = Meeting(
        pilot_id=None, held_at=when, kind=kind, title=title, notes=f"{opener} {closer}",
        decisions="\n".join(decisions),
        created_at=utc(when + timedelta(hours=3)), updated_at=utc(when + timedelta(hours=3)),
    )  # fmt: skip
    return _Held(meeting, None, _unique(people), "place-based working", "HMT")


# Barriers ---------------------------------------------------------------------------------


def _barriers(w: _Work) -> list[tuple[Barrier, _Held | None]]:
    made: list[tuple[Barrier, _Held | None]] = []
    for p in PILOTS:
        first = len(made)
        for spec in p.barriers:
            dup = made[first + spec.duplicate_of][0] if spec.duplicate_of is not None else None
            made.append(_barrier(w, spec, p, dup))
            w.session.flush()  # a later duplicate needs this one's id
    for spec in texts.PROGRAMME_BARRIERS:
        made.append(_barrier(w, spec, None, None))
    w.session.flush()
    for barrier, _ in made:
        if barrier.duplicate_of_id is None and barrier.resolution == texts.DUPLICATE_RESOLUTION:
            raise RuntimeError("duplicate barrier lost its original")
    return made


def _barrier(
    w: _Work, spec: BarrierSpec, p: PilotSpec | None, dup: Barrier | None
) -> tuple[Barrier, _Held | None]:
    d, rng = w.d, w.d.rng
    meetings = [h for h in w.held if h.pilot is p]
    held = rng.choice(meetings) if meetings and rng.random() < 0.5 else None
    raised = held.meeting.held_at.date() if held else weekday(days_before(rng.randint(5, 360)))
    if dup is not None:
        raised = max(raised, dup.raised_on + timedelta(days=14))
    age = (SAMPLE_ANCHOR - raised).days
    if dup is not None:
        status = BarrierStatus.RESOLVED
    elif age < 25:
        status = BarrierStatus(_pick(w, (("new", 60), ("triaged", 40))))
    elif age < 130:
        status = BarrierStatus(
            _pick(w, (("new", 5), ("triaged", 35), ("escalated", 40), ("resolved", 12),
                      ("accepted", 8)))
        )  # fmt: skip
    else:
        status = BarrierStatus(
            _pick(w, (("triaged", 15), ("escalated", 25), ("resolved", 35), ("accepted", 25)))
        )
    owner = rng.choice([d.leads[p.key], d.buddies[p.key]]) if p else rng.choice(d.active(PFPP_TEAM))
    team_key = spec.escalate_to or rng.choice(texts.ESCALATION_ROUTES[spec.category])
    team_spec = d.team_specs[team_key]
    dept = d.short(team_spec.org)
    touched = min(SAMPLE_ANCHOR - timedelta(days=1), raised + timedelta(days=rng.randint(5, 60)))
    barrier = Barrier(
        pilot_id=row_id(d.pilots[p.key]) if p else None, category=spec.category,
        title=spec.title, detail=spec.detail, severity=Severity(_pick(w, _SEVERITY_WEIGHTS)),
        status=status, owner_id=row_id(owner), raised_on=raised,
        meeting_id=row_id(held.meeting) if held else None,
        duplicate_of_id=row_id(dup) if dup else None,
        created_at=at(raised, 11), updated_at=at(raised, 11),
    )  # fmt: skip
    escalated = status is BarrierStatus.ESCALATED or (
        status is BarrierStatus.RESOLVED and dup is None and rng.random() < 0.6
    )
    if escalated:
        barrier.escalated_to_organisation_id = row_id(d.orgs[team_spec.org])
        barrier.escalated_to_team_id = row_id(d.teams[team_key])
        barrier.escalation_note = texts.ESCALATION_NOTE.format(
            team=team_spec.name, dept=dept, day=_day(weekday(touched)),
            ask=texts.ESCALATION_ASKS[spec.category],
        )  # fmt: skip
    if dup is not None:
        barrier.resolution = texts.DUPLICATE_RESOLUTION
    elif status is BarrierStatus.RESOLVED:
        barrier.resolution = texts.RESOLUTIONS[spec.category].format(dept=dept)
    elif status is BarrierStatus.ACCEPTED:
        barrier.resolution = texts.ACCEPTANCES[spec.category]
    if status is BarrierStatus.TRIAGED and rng.random() < 0.3:
        barrier.snoozed_until = SAMPLE_ANCHOR + timedelta(days=rng.randint(-10, 60))
    if status is not BarrierStatus.NEW:
        barrier.updated_at = at(weekday(touched), 15)
    w.session.add(barrier)
    return barrier, held


# Actions ----------------------------------------------------------------------------------


def _action_status(w: _Work, due: date | None) -> ActionStatus:
    age = (SAMPLE_ANCHOR - due).days if due else 0
    weights: tuple[tuple[str, int], ...]
    if age > 45:
        weights = (("done", 72), ("dropped", 12), ("open", 4), ("in_progress", 5),
                   ("waiting", 4), ("blocked", 3))  # fmt: skip
    elif age > 0:
        weights = (("done", 40), ("dropped", 5), ("open", 17), ("in_progress", 16),
                   ("waiting", 12), ("blocked", 10))  # fmt: skip
    else:
        weights = (("done", 10), ("open", 38), ("in_progress", 30), ("waiting", 12),
                   ("blocked", 10))  # fmt: skip
    return ActionStatus(_pick(w, weights))


def _title(w: _Work, held: _Held, pilot_titles: dict[str, list[str]]) -> str:
    rng = w.d.rng
    if held.pilot is None:
        options = [t for t in texts.PROGRAMME_ACTIONS if t not in w.used_titles]
    else:
        own = pilot_titles[held.pilot.key]
        if own and rng.random() < 0.75:
            return own.pop(0)
        fields = {"place": held.pilot.name, "topic": held.topic, "dept": held.dept}
        options = [t.format(**fields) for t in texts.GENERIC_ACTIONS]
        options = [t for t in options if t not in w.used_titles] or own
    return rng.choice(options)


def _actions(w: _Work, barriers: list[tuple[Barrier, _Held | None]]) -> None:
    rng = w.d.rng
    pilot_titles = {p.key: list(p.actions) for p in PILOTS}
    for held in w.held:
        if held.pilot is None or held.meeting.kind is MeetingKind.THEORY_OF_CHANGE_WORKSHOP:
            count = rng.randint(1, 2)
        elif (SAMPLE_ANCHOR - held.meeting.held_at.date()).days < 30:
            count = rng.randint(3, 4)  # the latest check-in drives what is due now
        else:
            count = rng.randint(2, 3)
        for _ in range(count):
            title = _title(w, held, pilot_titles)
            w.used_titles.add(title)
            start = held.meeting.held_at.date()
            due = weekday(start + timedelta(days=rng.randint(10, 60)))
            detail = rng.choice(texts.ACTION_DETAILS).format(
                meeting=held.meeting.title, day=_day(start)
            )
            owner = rng.choice(held.attendees[:4])
            _add_action(w, title, detail, owner, held, None, start, due)
    w.session.flush()
    _barrier_actions(w, barriers)


def _barrier_actions(w: _Work, barriers: list[tuple[Barrier, _Held | None]]) -> None:
    """Follow-ups on open barriers: chasing the department, gathering evidence, workarounds."""
    d, rng = w.d, w.d.rng
    org_keys = {row_id(org): key for key, org in d.orgs.items()}
    for barrier, raised_at in barriers:
        if barrier.status not in (BarrierStatus.TRIAGED, BarrierStatus.ESCALATED):
            continue
        if rng.random() >= 0.45:
            continue
        target = barrier.escalated_to_organisation_id or row_id(d.orgs["mhclg"])
        dept = d.short(org_keys[target])
        title = rng.choice(texts.BARRIER_ACTIONS).format(dept=dept, barrier=barrier.title)
        start = min(
            barrier.raised_on + timedelta(days=rng.randint(1, 14)),
            SAMPLE_ANCHOR - timedelta(days=1),
        )
        due: date | None = None
        if rng.random() >= 0.2:
            due = weekday(start + timedelta(days=rng.randint(14, 70)))
        owner = next(c for c in d.contacts if c.id == barrier.owner_id)
        detail = f"Follow-up on barrier: {barrier.title}."
        _add_action(w, title, detail, owner, raised_at, barrier, start, due)
    w.session.flush()


def _add_action(
    w: _Work, title: str, detail: str, owner: Contact, held: _Held | None,
    barrier: Barrier | None, start: date, due: date | None,
) -> None:  # fmt: skip
    rng = w.d.rng
    status = _action_status(w, due)
    created = at(start, 16, 30)
    updated = created
    completed: date | None = None
    if status is ActionStatus.DONE:
        latest = min(SAMPLE_ANCHOR - timedelta(days=1), (due or start) + timedelta(days=14))
        completed = weekday(start + timedelta(days=rng.randint(2, max(2, (latest - start).days))))
        completed = max(completed, start)
        updated = at(completed, 17)
    elif status is not ActionStatus.OPEN:
        span = max(1, (SAMPLE_ANCHOR - start).days - 1)
        updated = at(weekday(start + timedelta(days=rng.randint(1, span))), 12)
        updated = max(updated, created)
    pilot_id = barrier.pilot_id if barrier else (
        row_id(w.d.pilots[held.pilot.key]) if held and held.pilot else None
    )  # fmt: skip
    w.session.add(
        Action(
            title=title, detail=detail, owner_id=row_id(owner), pilot_id=pilot_id,
            meeting_id=row_id(held.meeting) if held else None,
            barrier_id=row_id(barrier) if barrier else None, due_date=due, status=status,
            completed_on=completed, created_at=created, updated_at=updated,
        )
    )  # fmt: skip
