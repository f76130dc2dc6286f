"""``pfpp principles``: tag barriers and actions with the seven principles they bear on.

The tags feed ``principle:`` in the filter and ``pfpp report principles``; every change goes to
the history through ``store.insight.principle_tags.set_principles``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pfpp_tui.cli.common import PfppGroup, open_db_from_context
from pfpp_tui.vocabulary import PRINCIPLE_LABELS, ChangeSource, Principle

# Store modules are imported inside the commands, not at every ``pfpp`` start-up.

principles_app = typer.Typer(
    cls=PfppGroup,
    help="Tag barriers and actions with the principles of public service integration.",
    no_args_is_help=True,
)

KINDS = ("barrier", "action")
KindArgument = Annotated[str, typer.Argument(help="barrier or action.")]
IdArgument = Annotated[int, typer.Argument(help="The record's id.")]


def register(app: typer.Typer) -> None:
    app.add_typer(principles_app, name="principles")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise typer.BadParameter(f"{kind!r}: say barrier or action", param_hint="KIND")
    return kind


def _principle(text: str) -> Principle:
    """The filter's own reading of a principle, so the CLI and ``principle:`` agree."""
    from pfpp_tui.store.insight.principle_tags import parse_principle

    try:
        return parse_principle(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="PRINCIPLE") from None


def _print(kind: str, row_id: int, principles: list[Principle]) -> None:
    if not principles:
        typer.echo(f"{kind} {row_id}: no principles")
        return
    typer.echo(f"{kind} {row_id}:")
    for principle in principles:
        typer.echo(f"  {principle.value:<11} {PRINCIPLE_LABELS[principle]}")


@principles_app.command("list")
def list_principles() -> None:
    """The seven principles and their short keys."""
    for principle in Principle:
        typer.echo(f"{principle.value:<11} {PRINCIPLE_LABELS[principle]}")


@principles_app.command("show")
def show(ctx: typer.Context, kind: KindArgument, row_id: IdArgument) -> None:
    """The principles a barrier or action is tagged with."""
    from pfpp_tui.store.insight.principle_tags import principles_of

    db = open_db_from_context(ctx)
    try:
        _print(kind, row_id, principles_of(db, kind=_kind(kind), row_id=row_id))
    finally:
        db.dispose()


@principles_app.command("set")
def set_command(
    ctx: typer.Context,
    kind: KindArgument,
    row_id: IdArgument,
    principles: Annotated[
        list[str] | None,
        typer.Argument(help="Keys or unique starts (trust, data, prev…); none clears the tags."),
    ] = None,
) -> None:
    """Make a barrier's or action's tags exactly these principles."""
    from pfpp_tui.store.db.records import get_record
    from pfpp_tui.store.insight.principle_tags import set_principles

    chosen = [_principle(p) for p in principles or []]
    db = open_db_from_context(ctx)
    try:
        get_record(db, table=_kind(kind), row_id=row_id)  # a clear "does not exist" first
        saved = set_principles(
            db, kind=_kind(kind), row_id=row_id, principles=chosen, source=ChangeSource.CLI
        )
        _print(kind, row_id, saved)
    finally:
        db.dispose()
