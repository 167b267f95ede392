"""Naming sign-offs from the command line (both engines): who may sign off, what is recorded,
revocation; and the one naming function public outputs call."""

from __future__ import annotations

import getpass
from pathlib import Path

from typer.testing import CliRunner

from sijill.accountability.naming import Naming, public_name, victim_nameable
from sijill.cli.main import build_app
from tests.accountability.helpers import build_case, cli, refused

PASSWORD = "correct horse battery staple 9"


def _user(case_url: str, name: str, role: str) -> None:
    result = CliRunner().invoke(
        build_app(),
        ["users", "add", name, "--role", role, "--password-stdin", "--db", case_url],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output


def test_sign_off_by_another_investigator_recorded_and_revoked(
    case_url: str, tmp_path: Path
) -> None:
    db = ["--db", case_url]
    build_case(case_url, tmp_path)  # allegations entered from the CLI, as this login
    me = getpass.getuser()
    _user(case_url, me, "investigator")
    _user(case_url, "rana", "investigator")
    _user(case_url, "sami", "analyst")

    # The one who entered the allegation against p-1 may not sign off naming p-1.
    message = refused("naming", "sign-off", "p-1", "--why", "corroborated", "--by", me, *db)
    assert "entered an allegation" in message and "another investigator" in message
    # An analyst has no right to sign off; a reason is required; an unknown user is refused.
    assert "only an investigator or an admin" in refused(
        "naming", "sign-off", "p-1", "--why", "x", "--by", "sami", *db
    )
    assert "reason" in refused("naming", "sign-off", "p-1", "--why", " ", "--by", "rana", *db)
    assert "no user named" in refused(
        "naming", "sign-off", "p-1", "--why", "x", "--by", "nobody", *db
    )

    signed = cli("naming", "sign-off", "p-1", "--why", "two sources, legal review", "--by",
                 "rana", *db)  # fmt: skip
    assert signed["signed_by"] == "rana"
    assert "signed off already" in refused(
        "naming", "sign-off", "p-1", "--why", "again", "--by", "rana", *db
    )
    listed = cli("naming", "list", *db)
    assert [(r["person"]["external_id"], r["signed_by"], r["why"]) for r in listed] == [
        ("p-1", "rana", "two sources, legal review")
    ]
    assert listed[0]["signed_at"]

    cli("naming", "revoke", "p-1", "--why", "source withdrew", "--by", "rana", *db)
    assert cli("naming", "list", *db) == []
    history = cli("naming", "list", "--all", *db)
    assert history[0]["revoked_by"] == "rana" and history[0]["revoked_why"] == "source withdrew"
    assert "no sign-off in force" in refused(
        "naming", "revoke", "p-1", "--why", "x", "--by", "rana", *db
    )


def test_public_name_and_victim_rules() -> None:
    team = Naming(public=False)
    public = Naming(public=True, signed=frozenset({7}))
    assert public_name(team, 3, "Fictional Commander", "1st Brigade") == "Fictional Commander"
    assert public_name(public, 7, "Signed Commander", "1st Brigade") == "Signed Commander"
    assert (
        public_name(public, 3, "Fictional Commander", "1st Brigade")
        == "the commander of 1st Brigade (not named)"
    )
    assert public_name(public, 3, "Fictional Commander") == "(not named)"
    arabic = Naming(public=True, lang="ar")
    assert public_name(arabic, 3, "x", "اللواء الأول") == "قائد اللواء الأول (لم يُذكر اسمه)"

    assert victim_nameable([(30, 30)], public_record=True)
    assert not victim_nameable([(30, 30)], public_record=False)  # internal lists only
    assert not victim_nameable([(30, 30), (16, 16)], public_record=True)  # a record says 16
    assert not victim_nameable([(15, 20)], public_record=True)  # may have been a minor
    assert victim_nameable([(None, None)], public_record=True)
