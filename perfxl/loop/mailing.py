"""Mail each unit its own return list (``perfxl mail-returns``).

One message per unit: its ``退回/<实施单位>.xlsx`` attached and its ``.txt``
as the body, to the address the roster gives for that unit and to no one
else. The pairing goes through the file name alone — the return file of unit
X is the one named after X — so no unit can receive another unit's problems.
A unit without an address is listed, never guessed (no near-name matching
here); a recipient the server refuses is reported and the others still go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfxl.loop.names import norm_name, safe_filename
from perfxl.loop.roster import RosterRow
from perfxl.loop.steps import RETURNS_DIR
from perfxl.loop.units import UNKNOWN_UNIT
from perfxl.write.mail import MailError, SmtpSettings, build_message, send, write_eml

SUBJECT = "退回修改通知：{unit}"


@dataclass(frozen=True)
class Letter:
    unit: str
    workbook: Path
    text: Path
    address: str  # '' when the roster has none


@dataclass
class MailOutcome:
    sent: list[Letter] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # --dry-run .eml files
    no_address: list[Letter] = field(default_factory=list)
    failed: list[tuple[Letter, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.no_address and not self.failed


def letters(outdir: Path, roster: list[RosterRow]) -> list[Letter]:
    """One letter per return workbook in ``outdir/退回``, with its unit's address."""
    folder = outdir / RETURNS_DIR
    if not folder.is_dir():
        return []
    by_stem: dict[str, RosterRow] = {}
    for r in roster:
        stem = norm_name(safe_filename(r.implementer, UNKNOWN_UNIT))
        if r.email and stem not in by_stem:
            by_stem[stem] = r
    out = []
    for xlsx in sorted(folder.glob("*.xlsx")):
        if xlsx.name.startswith((".", "~$")):
            continue
        row = by_stem.get(norm_name(xlsx.stem)) if xlsx.stem != UNKNOWN_UNIT else None
        unit = row.implementer if row else xlsx.stem
        out.append(Letter(unit, xlsx, xlsx.with_suffix(".txt"), row.email if row else ""))
    return out


def mail_returns(
    outdir: Path,
    roster: list[RosterRow],
    settings: SmtpSettings,
    *,
    eml_dir: Path | None = None,
    date: str | None = None,
) -> MailOutcome:
    """Send (or, with ``eml_dir``, write as .eml) every unit's letter."""
    outcome = MailOutcome()
    sender = settings.from_address or ("perfxl@localhost" if eml_dir else "")
    for letter in letters(outdir, roster):
        if not letter.address:
            outcome.no_address.append(letter)
            continue
        try:
            body = letter.text.read_text(encoding="utf-8-sig") if letter.text.exists() else ""
            message = build_message(
                letter.workbook,
                sender=sender,
                to=[letter.address],
                subject=SUBJECT.format(unit=letter.unit),
                body=body or f"附件为{letter.unit}的退回修改清单，请查收。\n",
                date=date,
            )
            if eml_dir is not None:
                path = eml_dir / f"{letter.workbook.stem}.eml"
                write_eml(message, path)
                outcome.written.append(path)
            else:
                send(message, settings)
                outcome.sent.append(letter)
        except MailError as exc:
            outcome.failed.append((letter, str(exc)))
    return outcome
