"""Same barrier, many places: grouping open barriers and escalating a group in one go.

Owns: finding groups of open barriers that look like one problem met in several places, ranking
them by how many places share it, and ``escalate_group`` — one escalation to one organisation
(or team) covering every barrier of a group, in one transaction.

Two open barriers belong together when all of these hold:
- the same category;
- a department in common: each barrier's departments are the organisation it is escalated to
  plus its owner's organisation when that is a central department or arm's-length body; two
  barriers with no department at all also qualify (nobody has picked them up yet);
- similar words: rapidfuzz ``token_set_ratio`` of their titles without filler words is at least
  ``SIMILAR_AT``.
Groups are the connected sets of that relation (single linkage) spanning two places or more;
barriers marked as duplicates are left out (their original stands for them).

``escalate_group`` gives each barrier its own history entry whose reason names the shared
escalation (the write's batch id) and the other barriers in it, so each record still tells the
whole story and ``undo`` takes the whole escalation back. Must not import Textual.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select

from pfpp_tui.errors import NotFoundError, ValidationFailedError
from pfpp_tui.models import BarrierStatus, ChangeOp, ChangeSource, OrganisationKind
from pfpp_tui.shapes.insight import BarrierGroup, GroupEscalation, PatternBarrier
from pfpp_tui.store.db.changes import record_change
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import load_row, update_row
from pfpp_tui.store.directory.org_names import OrganisationNames
from pfpp_tui.store.insight.overview import OPEN_BARRIERS, table

SIMILAR_AT = 60.0
DEPARTMENT_KINDS = (
    str(OrganisationKind.CENTRAL_DEPARTMENT),
    str(OrganisationKind.ARMS_LENGTH_BODY),
)
# Words too common to say two barriers are about the same thing.
_FILLER = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by for from in into is it its no not of on or the their them"
        " they to too with without one single same",
    )
)


def words_of(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w for w in words if w not in _FILLER)


def similarity(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(words_of(a), words_of(b)))


@dataclass(slots=True)
class _Candidate:
    barrier: PatternBarrier
    category: str
    departments: frozenset[int]
    words: str


def _candidates(db: Database) -> tuple[list[_Candidate], OrganisationNames]:
    b, p, c, o = table("barrier"), table("pilot"), table("contact"), table("organisation")
    stmt = (
        select(
            b.c.id,
            b.c.pilot_id,
            p.c.name,
            b.c.title,
            b.c.status,
            b.c.severity,
            b.c.raised_on,
            b.c.category,
            b.c.escalated_to_organisation_id,
            o.c.id,
            o.c.kind,
        )
        .select_from(b)
        .outerjoin(p, p.c.id == b.c.pilot_id)
        .outerjoin(c, c.c.id == b.c.owner_id)
        .outerjoin(o, o.c.id == c.c.organisation_id)
        .where(b.c.status.in_(OPEN_BARRIERS), b.c.duplicate_of_id.is_(None))
        .order_by(b.c.raised_on, b.c.id)
    )
    with db.read() as session:
        names = OrganisationNames.load(session)
        rows = session.execute(stmt).all()
    out = []
    for bid, pid, pilot, title, status, sev, raised, cat, escalated, owner_org, owner_kind in rows:
        departments = {int(escalated)} if escalated is not None else set()
        if owner_org is not None and owner_kind in DEPARTMENT_KINDS:
            departments.add(int(owner_org))
        barrier = PatternBarrier(
            id=int(bid),
            pilot_id=pid,
            pilot=pilot or "programme-wide",
            title=str(title),
            status=str(status),
            severity=str(sev),
            raised_on=raised,
            escalated_to=names.at(int(escalated), raised).label if escalated is not None else "",
        )
        out.append(_Candidate(barrier, str(cat), frozenset(departments), words_of(str(title))))
    return out, names


def _together(a: _Candidate, b: _Candidate, similar_at: float) -> bool:
    if a.category != b.category:
        return False
    if (a.departments or b.departments) and not a.departments & b.departments:
        return False
    return fuzz.token_set_ratio(a.words, b.words) >= similar_at


def barrier_groups(
    db: Database, *, similar_at: float = SIMILAR_AT, min_places: int = 2
) -> list[BarrierGroup]:
    """Groups of open barriers shared by ``min_places`` places or more, most places first."""
    candidates, names = _candidates(db)
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(candidates):
        for j in range(i + 1, len(candidates)):
            if _together(a, candidates[j], similar_at):
                parent[root(j)] = root(i)
    members: dict[int, list[_Candidate]] = {}
    for i, cand in enumerate(candidates):
        members.setdefault(root(i), []).append(cand)
    groups = []
    for group in members.values():
        places = {cand.barrier.pilot_id for cand in group} - {None}
        if len(places) < min_places:
            continue
        shared = Counter(d for cand in group for d in cand.departments).most_common(1)
        dept_id = shared[0][0] if shared else None
        groups.append(
            BarrierGroup(
                category=group[0].category,
                department_id=dept_id,
                department=names.current(dept_id).short if dept_id is not None else "",
                barriers=tuple(cand.barrier for cand in group),
            )
        )
    groups.sort(key=lambda g: (-g.places, -len(g.barriers), g.category, g.barriers[0].raised_on))
    return groups


def escalate_group(
    db: Database,
    *,
    barrier_ids: Sequence[int],
    organisation_id: int,
    team_id: int | None = None,
    note: str,
    source: ChangeSource,
    actor: str | None = None,
) -> GroupEscalation:
    """Escalate every barrier in ``barrier_ids`` to one organisation (or team), all or none."""
    ids = tuple(dict.fromkeys(barrier_ids))
    if not ids:
        raise ValidationFailedError("escalate: no barriers chosen")
    note = note.strip()
    with db.write(source=source, actor=actor) as session:
        names = OrganisationNames.load(session)
        if organisation_id not in names:
            raise NotFoundError(f"organisation {organisation_id} does not exist")
        target = names.current(organisation_id).full_label
        if team_id is not None:
            team = load_row(session, "team", team_id)
            if getattr(team, "organisation_id", None) != organisation_id:
                raise ValidationFailedError("escalate: that team is not in that organisation")
            target = f"{getattr(team, 'name', '')}, {target}"
        escalation_id = str(session.info["pfpp_batch"])
        listed = ", ".join(f"#{i}" for i in ids)
        reason = f"group escalation {escalation_id} of barriers {listed} to {target}" + (
            f": {note}" if note else ""
        )
        for barrier_id in ids:
            row = load_row(session, "barrier", barrier_id)
            status = str(getattr(row, "status", ""))
            if status not in OPEN_BARRIERS:
                raise ValidationFailedError(
                    f"barrier {barrier_id} is {status}: only open barriers can be escalated"
                )
            changes: dict[str, Any] = {
                "status": BarrierStatus.ESCALATED,
                "escalated_to_organisation_id": organisation_id,
                "escalated_to_team_id": team_id,
                "escalation_note": note or f"group escalation with barriers {listed}",
                "snoozed_until": None,
            }
            before = int(getattr(row, "version", 0))
            updated = update_row(session, "barrier", barrier_id, changes, reason=reason)
            if int(getattr(updated, "version", 0)) == before:
                # Already escalated just so: still say it is part of this escalation.
                record_change(
                    session,
                    table="barrier",
                    row_id=barrier_id,
                    op=ChangeOp.UPDATE,
                    changes={},
                    reason=reason,
                )
    return GroupEscalation(escalation_id, ids, organisation_id, team_id, target)
