"""Importing people from an HR spreadsheet (CSV) and exporting them in the same shape.

The columns ``manager`` (a username) and ``start_date`` (``YYYY-MM-DD``) are optional, so
files made before them still import; an empty cell in either keeps what the person has. A
manager may be someone further down the same file. Rows whose manager links would make a
cycle (with the file's other rows and the people already here) are rejected.

An import first checks every row against the file and the database without writing
anything, then writes the good rows; so an all-or-nothing import writes nothing when a row
is rejected, and ``--partial`` writes exactly the rows reported as good. Like every
service it only flushes; the caller commits.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import select

from intranet_social.accounts import organisation, service
from intranet_social.accounts.models import User
from intranet_social.accounts.validation import (
    clean_email,
    clean_name,
    clean_text,
    clean_username,
    parse_birthday,
)
from intranet_social.audit import service as audit
from intranet_social.core.errors import Invalid
from intranet_social.extensions import db

REQUIRED_COLUMNS = ("username", "email", "name", "department", "title", "birthday")
#: optional, after the others: an empty cell (or no column) keeps the field as it is
OPTIONAL_COLUMNS = ("manager", "start_date")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_FILE_BYTES = 10 * 1024 * 1024
# Spreadsheets run a cell starting with one of these as a formula; export guards such cells
# with a leading apostrophe and import takes it off again, so the round trip is exact.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass
class ImportRow:
    """What happened (or, when nothing was written, would happen) to one row of the file."""

    line: int
    username: str
    outcome: Outcome
    reason: str = ""
    field: str | None = None
    #: the fields an update changes, in column order
    changes: tuple[str, ...] = ()
    #: set for created accounts once written; there is no other way to hand it over
    one_time_password: str | None = None
    values: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)


@dataclass
class ImportReport:
    rows: list[ImportRow]
    written: bool
    dry_run: bool

    def with_outcome(self, outcome: Outcome) -> list[ImportRow]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def rejected(self) -> list[ImportRow]:
        return self.with_outcome(Outcome.REJECTED)


# ---------------------------------------------------------------- reading the file


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as ``(line number, {column: value})``; raises for a bad file."""
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", "file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read); "
            "save it as CSV in UTF-8.",
            "file",
        ) from None
    if not text.strip():
        raise Invalid(
            f"The file is empty; its first line must be {','.join(REQUIRED_COLUMNS)}.", "file"
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise Invalid(f"Line {line} is not valid CSV ({exc}).", "file") from None
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _check_header(cells)
            continue
        if len(cells) != len(header):
            rows.append((line, {"": f"{len(cells)} values where the header has {len(header)}"}))
            continue
        rows.append(
            (line, {name: _unguard(cell) for name, cell in zip(header, cells, strict=True)})
        )
    return rows


def _check_header(cells: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    repeated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append("is missing the column(s) " + ", ".join(missing))
    if unknown:
        problems.append("has unknown column(s) " + ", ".join(repr(name) for name in unknown))
    if repeated:
        problems.append("repeats the column(s) " + ", ".join(repeated))
    if problems:
        raise Invalid(
            f"The header {' and '.join(problems)}; the first line must be "
            f"{','.join(REQUIRED_COLUMNS)} (then manager,start_date if wanted).",
            "file",
        )
    return names


def _unguard(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


def _guard(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


# ---------------------------------------------------------------- importing


class _Plan:
    """Checks rows one by one against the database and the rows before them."""

    def __init__(self, records: list[tuple[int, dict[str, str]]]) -> None:
        self.accounts = {user.username: user for user in db.session.scalars(select(User))}
        self.email_owner = {user.email: user.username for user in self.accounts.values()}
        self.usernames: dict[str, int] = {}
        self.emails: dict[str, int] = {}
        names = {user.id: user.username for user in self.accounts.values()}
        #: each known person's manager, by username, as the file would leave it
        self.managers = {
            user.username: names.get(user.manager_id or 0) for user in self.accounts.values()
        }
        self.in_file = {
            record.get("username", "").strip().lower() for _, record in records if "" not in record
        }

    def check(self, line: int, record: dict[str, str]) -> ImportRow:
        if "" in record:
            return ImportRow(line, "", Outcome.REJECTED, f"The row has {record['']}.")
        given_name = record["username"].strip()
        try:
            if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in "".join(record.values())):
                raise Invalid("The row contains control characters.")
            username = clean_username(given_name)
            first = self.usernames.setdefault(username, line)
            if first != line:
                raise Invalid(f"The username also appears on line {first}.", "username")
            values = {
                "email": clean_email(record["email"]),
                "name": clean_name(record["name"]),
                "department": clean_text(record["department"], "department"),
                "title": clean_text(record["title"], "title"),
                "birthday": record["birthday"].strip(),
                "manager": record.get("manager", "").strip().lower(),
                "start_date": record.get("start_date", "").strip(),
            }
            born = parse_birthday(values["birthday"])
            started = organisation.parse_start_date(values["start_date"])
            self._check_manager(username, values["manager"])
            first = self.emails.setdefault(values["email"], line)
            if first != line:
                raise Invalid(f"The e-mail address also appears on line {first}.", "email")
            owner = self.email_owner.get(values["email"], username)
            if owner != username:
                raise Invalid(
                    f"The e-mail address {values['email']!r} belongs to the account {owner!r}.",
                    "email",
                )
        except Invalid as exc:
            return ImportRow(line, given_name, Outcome.REJECTED, exc.message, exc.field)
        user = self.accounts.get(username)
        if user is None:
            return ImportRow(line, username, Outcome.CREATED, values=values)
        changes = tuple(
            name
            for name in ("email", "name", "department", "title")
            if getattr(user, name) != values[name]
        )
        if _birthday_changes(user, born):
            changes += ("birthday",)
        if values["manager"] and values["manager"] != self.managers.get(username):
            changes += ("manager",)
        if started is not None and started != user.start_date:
            changes += ("start_date",)
        outcome = Outcome.UPDATED if changes else Outcome.UNCHANGED
        return ImportRow(line, username, outcome, changes=changes, values=values)

    def _check_manager(self, username: str, manager: str) -> None:
        if not manager:
            return
        if manager == username:
            raise Invalid("A person cannot be their own manager.", "manager")
        if manager not in self.accounts and manager not in self.in_file:
            raise Invalid(f"There is no one called {manager!r} to be the manager.", "manager")

    def refuse_cycles(self, rows: list[ImportRow]) -> None:
        """Reject the rows whose manager link closes a loop, once every row is known."""
        links = dict(self.managers)
        for row in rows:
            if row.outcome != Outcome.REJECTED and row.values.get("manager"):
                links[row.username] = row.values["manager"]
        for row in rows:
            if row.outcome == Outcome.REJECTED or not row.values.get("manager"):
                continue
            seen, above = {row.username}, links.get(row.username)
            while above is not None and above not in seen:
                seen.add(above)
                above = links.get(above)
            if above == row.username:
                links[row.username] = self.managers.get(row.username)
                row.outcome, row.field = Outcome.REJECTED, "manager"
                row.reason = (
                    f"{row.values['manager']} already reports to {row.username}, directly or "
                    "through others; choose a manager outside their team."
                )


def _birthday_changes(user: User, born: tuple[int, int, int | None] | None) -> bool:
    if born is None:
        return user.birthday_month is not None
    month, day, year = born
    if (month, day) != (user.birthday_month, user.birthday_day):
        return True
    # The same day without a year keeps the private year the person may have given.
    return year is not None and year != user.birth_year


def import_people(
    data: bytes,
    *,
    partial: bool = False,
    dry_run: bool = False,
    actor: User | None = None,
    actor_name: str | None = None,
) -> ImportReport:
    """Create new people and update known ones from CSV ``data``.

    All or nothing unless ``partial``: with any rejected row nothing is written. With
    ``dry_run`` nothing is written either; the report says what would happen.
    """
    records = read_rows(data)
    plan = _Plan(records)
    rows = [plan.check(line, record) for line, record in records]
    plan.refuse_cycles(rows)
    rejected = sum(row.outcome == Outcome.REJECTED for row in rows)
    if dry_run or (rejected and not partial):
        return ImportReport(rows, written=False, dry_run=dry_run)
    for row in rows:
        if row.outcome == Outcome.CREATED:
            # the manager may be created further down: linked once everyone exists
            fields = {k: v for k, v in row.values.items() if k != "manager"}
            account = service.create_user(
                row.username, **fields, actor=actor, actor_name=actor_name
            )
            plan.accounts[row.username] = account.user
            row.one_time_password = account.one_time_password
        elif row.outcome == Outcome.UPDATED:
            service.update_user(
                plan.accounts[row.username],
                **{name: row.values[name] for name in row.changes if name != "manager"},
            )
            audit.record(
                "user.update",
                actor=actor,
                actor_name=actor_name,
                target=row.username,
                fields=list(row.changes),
                source="import",
            )
    _link_managers(rows, plan.accounts, actor, actor_name)
    report = ImportReport(rows, written=True, dry_run=False)
    created = len(report.with_outcome(Outcome.CREATED))
    updated = len(report.with_outcome(Outcome.UPDATED))
    if created or updated:
        audit.record(
            "user.import",
            actor=actor,
            actor_name=actor_name,
            created=created,
            updated=updated,
            rejected=rejected,
        )
        db.session.flush()
    return report


def _link_managers(
    rows: list[ImportRow],
    accounts: dict[str, User],
    actor: User | None,
    actor_name: str | None,
) -> None:
    """Set the managers the written rows name. The links were checked as a whole (a file
    may turn a chain around), so they are set together rather than one by one."""
    for row in rows:
        manager = row.values.get("manager")
        wanted = row.outcome == Outcome.CREATED or "manager" in row.changes
        if row.outcome == Outcome.REJECTED or not manager or not wanted:
            continue
        accounts[row.username].manager_id = accounts[manager].id
        audit.record(
            "user.manager",
            actor=actor,
            actor_name=actor_name,
            target=row.username,
            manager=manager,
            source="import",
        )
    db.session.flush()


# ---------------------------------------------------------------- exporting


def export_people(out: TextIO) -> int:
    """Write everybody as CSV in the import's columns; returns how many people were written.

    The birthday goes out as ``MM-DD``: the year is private and never exported.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    names = {found: name for found, name in db.session.execute(select(User.id, User.username))}
    count = 0
    for user in db.session.scalars(select(User).order_by(User.username)):
        writer.writerow(_guard(value) for value in _export_values(user, names))
        count += 1
    return count


def _export_values(user: User, names: dict[int, str]) -> Iterable[str]:
    return (
        user.username,
        user.email,
        user.name,
        user.department,
        user.title,
        user.birthday or "",
        names.get(user.manager_id or 0, ""),
        user.start_date.isoformat() if user.start_date else "",
    )
