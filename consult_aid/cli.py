"""Command line: no arguments opens the window; sub-commands do batch work.

Kept light on imports: the window path must start fast, so each branch
imports what it needs only once it is chosen.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from consult_aid import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="consult-aid",
        description="Consult Aid: the consent discussion before spinal surgery.",
        epilog=(
            "Environment: CONSULT_AID_DATA_DIR moves everything the app writes to one folder; "
            "CONSULT_AID_DATABASE_URL selects another database; CONSULT_AID_ENCRYPT_DATABASE=1 "
            "encrypts it, with the key from CONSULT_AID_DATABASE_KEY or the OS keyring."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open on a throwaway database with sample patients and a sample clinician",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    content = commands.add_parser("content", help="work with content packs")
    content_commands = content.add_subparsers(dest="content_command", metavar="ACTION")
    check = content_commands.add_parser(
        "check", help="validate content pack files; exits non-zero on any error"
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a pack (.yaml) file")
    leaflets = commands.add_parser(
        "leaflets",
        help="write a personalised pre-clinic leaflet (PDF) for every patient of a clinic list",
        description=(
            "Check the whole clinic list first (a bad row stops the run, naming its line and "
            "column, before anything is written), then write one PDF per patient into DIR "
            "and record each save. On any failure the files this run wrote are removed."
        ),
    )
    leaflets.add_argument(
        "--clinic-list", required=True, type=Path, metavar="FILE", help="the clinic list (CSV)"
    )
    leaflets.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder for the PDFs"
    )
    leaflets.add_argument(
        "--large-print", action="store_true", help="large print (16 pt) for every leaflet"
    )
    _user_argument(leaflets, "a secretary (or anyone allowed to import lists and print)")
    verify = commands.add_parser(
        "verify",
        help="check the audit trail and every finalised record; exits 1 naming the first mismatch",
        description=(
            "Recompute the signed chain of audit events with the audit key, and check the "
            "consultation logs, addenda and finalised records (each PDF's SHA-256 and "
            "fingerprint against its signed finalise event) against it. Large stores are "
            "checked on every core. Exits 0 when everything matches, 1 otherwise."
        ),
    )
    _user_argument(verify, "an auditor or an administrator")
    verify.add_argument(
        "--deep",
        action="store_true",
        help=(
            "also rebuild every finalised record's fingerprint from its change log and content "
            "pack (a few milliseconds per record: minutes for a large store)"
        ),
    )
    backup = commands.add_parser(
        "backup",
        help="copy the database, consistent and whole, to a new file (never overwrites one)",
        description=(
            "Copy the configured database to DEST while it may be in use. An encrypted "
            "database gives a backup encrypted with the same key. Exits 2 if DEST exists "
            "or cannot be written, 1 if the database cannot be opened."
        ),
    )
    backup.add_argument("destination", type=Path, metavar="DEST", help="the new backup file")
    return parser


def _user_argument(command: argparse.ArgumentParser, who: str) -> None:
    command.add_argument(
        "--user",
        required=True,
        metavar="NAME",
        help=(
            f"your user name ({who}); the password is asked for, or taken from CONSULT_AID_PASSWORD"
        ),
    )


def _password(command: str, username: str) -> str | None:
    from consult_aid.cli_sign_in import CredentialsError, read_password

    try:
        return read_password(username, os.environ)
    except CredentialsError as error:
        print(f"consult-aid {command}: {error}", file=sys.stderr)
        return None


def _backup(destination: Path) -> int:
    from consult_aid import paths
    from consult_aid.services.database_key import keyed_database_url
    from consult_aid.storage.backup import BackupError, backup_database
    from consult_aid.storage.database import DatabaseError

    try:
        written = backup_database(keyed_database_url(paths.database_url(), os.environ), destination)
    except BackupError as error:
        print(f"consult-aid backup: {error}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(f"consult-aid backup: {error}", file=sys.stderr)
        return 1
    print(f"Backed up the database to {written.resolve()}")
    return 0


def _verify(deep: bool, username: str) -> int:
    from consult_aid import paths
    from consult_aid.domain.errors import DomainError
    from consult_aid.services.audit_key import AuditKeyError, load_audit_key
    from consult_aid.services.bundle import open_services
    from consult_aid.services.database_key import keyed_database_url
    from consult_aid.storage.database import DatabaseError

    password = _password("verify", username)
    if password is None:
        return 2
    try:
        key = load_audit_key(os.environ, paths.audit_key_file(), create=False)
        url = keyed_database_url(paths.database_url(), os.environ)
        services = open_services(url, paths.procedures_dir(), audit_key=key)
    except (AuditKeyError, DatabaseError) as error:
        print(f"consult-aid verify: {error}", file=sys.stderr)
        return 1
    try:
        services.accounts.sign_in(username, password)
        report = services.audit.verify(deep=deep)
        services.accounts.sign_out()
    except DomainError as error:  # a refused sign-in, or a role that may not verify
        print(f"consult-aid verify: {error}", file=sys.stderr)
        return 1
    finally:
        services.close()
    print(report.text())
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = _parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "content":
        if args.content_command != "check":
            parser.error("content needs an action: consult-aid content check FILE")
        from consult_aid.content.check_command import run_check

        return run_check(list(args.files), sys.stdout)
    if args.command == "leaflets":
        from consult_aid.batch_leaflets import run_leaflets

        password = _password("leaflets", args.user)
        if password is None:
            return 2
        return run_leaflets(
            args.clinic_list,
            args.out,
            large_print=bool(args.large_print),
            user=args.user,
            password=password,
        )
    if args.command == "backup":
        return _backup(args.destination)
    if args.command == "verify":
        return _verify(deep=bool(args.deep), username=args.user)
    from consult_aid.app import run_window

    return run_window(demo=bool(args.demo))
