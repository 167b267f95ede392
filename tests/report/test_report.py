"""``sijill report`` on a small fictional case, on both engines: its figures are the commands'
own, its links resolve, and the public report leaves out what the public may not read and the
names the naming rules hold back."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.store.engine import transaction
from sijill.store.models import Source
from tests.accountability.helpers import build_case, cli
from tests.report.helpers import check_figures, check_links, report, run

PASSWORD = "correct horse battery staple 9"
ADULT = "Fictional Adult Victim Sample"
MINOR = "Fictional Child Victim Sample"
INTERNAL_ONLY = "Fictional Internal Listed Person"
RESTRICTED = "Fictional Restricted Witness Row"
VILLAGE = ("Fictional Villager One", "Fictional Villager Two")
BULLETIN = "Example Network bulletin (fictional)"


def _list(path: Path, rows: list[dict[str, str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def _case(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    build_case(case_url, tmp_path, other_access="restricted")
    cli("incidents", "add", "--title", "Shelling of Example Village (fictional)", "--start",
        "2025-03-08", "--id", "acc-1", "--access", "public", *db)  # fmt: skip
    row = {"date_of_death": "2025-03-08", "place_of_death": "Example Village", "sex": "M"}
    public = [
        {"record_id": "1", "full_name": ADULT, "age": "40", **row},
        {"record_id": "2", "full_name": MINOR, "age": "12", **row},
    ]
    cli("import", "records", _list(tmp_path / "a.csv", public), "--source", "List A (fictional)",
        "--access", "public", *db)  # fmt: skip
    internal = [{"record_id": "1", "full_name": INTERNAL_ONLY, "age": "30", **row}]
    cli("import", "records", _list(tmp_path / "b.csv", internal), "--source",
        "List B (fictional)", *db)  # fmt: skip
    # An internal list at a village of the (fictional) demo gazetteer, and another
    # organisation's published figure for it.
    cli("places", "load", "--demo", *db)
    at = {"date_of_death": "2025-03-07", "place_of_death": "Ain al-Khayal", "sex": "F"}
    village = [{"record_id": str(i), "full_name": name, "age": "35", **at}
               for i, name in enumerate(VILLAGE, start=1)]  # fmt: skip
    cli("import", "records", _list(tmp_path / "v.csv", village), "--source",
        "List C (fictional)", *db)  # fmt: skip
    cli("places", "match", *db)
    with transaction(case_url) as session:
        session.add(Source(name=BULLETIN, kind="report", access="public"))
    cli("figures", "add", "--organisation", "Example Network (fictional)", "--counts", "killed",
        "--total", "7", "--source", BULLETIN, "--place", "demo:v01=7", "--place", "demo:v02",
        "--start", "2025-03-07", "--end", "2025-03-09", "--access", "public", *db)  # fmt: skip
    restricted = [{"record_id": "w1", "full_name": RESTRICTED, "age": "50", **row}]
    cli("import", "records", _list(tmp_path / "c.csv", restricted), "--source",
        "Witness list (fictional, restricted)", "--access", "restricted", *db)  # fmt: skip
    result = CliRunner().invoke(
        build_app(),
        ["users", "add", "rana", "--role", "investigator", "--password-stdin", *db],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output


def test_report_figures_links_and_public_naming(case_url: str, tmp_path: Path) -> None:
    _case(case_url, tmp_path)
    team = report(tmp_path / "team", case_url, "--no-pdf")
    check_figures(team, case_url, "two-independent-sources")
    html = (tmp_path / "team" / "index.html").read_text("utf-8")
    assert check_links(html) > 10
    assert team["toll"]["estimate"]["included"] is False  # one list only: said, not guessed
    assert "no estimate" in team["toll"]["estimate"]["note"]
    for value in (ADULT, MINOR, INTERNAL_ONLY, RESTRICTED, "Fictional Colonel One"):
        assert value in html  # the team's report holds every name
    assert team["case"]["digest"] in html and len(team["case"]["digest"]) == 64
    [figure] = team["published"]
    assert figure["beside"]["ours"] == {"verified": 0, "reported": 2}  # one list: unverified
    village = figure["beside"]["by_place"][0]
    assert (village["theirs"], village["held"], len(village["units"])) == (7, True, 2)
    for anchor in village["units"]:  # each links to the person behind it in the appendix
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert "Published figures beside ours" in html and BULLETIN in html

    public = report(tmp_path / "public", case_url, "--public", "--no-pdf")
    page = (tmp_path / "public" / "index.html").read_text("utf-8")
    check_links(page)
    assert public["toll"]["documented"] == 2  # the public list's two records only
    place = public["counts"]["place"]["groups"][0]  # two deaths: too few to show
    assert (place["reported"], place["units"]) == ("<5", [])
    assert ADULT in page
    # A minor, an internal list, a restricted list and its source, a restricted incident:
    # nowhere in the public report; no alleged perpetrator or commander is signed off yet.
    held_back = [MINOR, INTERNAL_ONLY, RESTRICTED, "List B (fictional)", "Witness list", *VILLAGE,
                 "Other incident (fictional)", "Fictional Colonel One", "Fictional General Two",
                 "Fictional Deputy Four"]  # fmt: skip
    text = page + (tmp_path / "public" / "report.json").read_text("utf-8")
    assert [v for v in held_back if v in text] == []
    assert not re.search(r"\bp-[124]\b", text)  # nor their ids, which lead to the names
    assert "cli:" not in text  # nor who in the team entered or recorded anything
    assert "the commander of 72nd Brigade (example) (not named)" in page
    # The published figure is public; beside it, the public count (the internal list's
    # villagers are not public).
    assert [f["beside"]["ours"]["reported"] for f in public["published"]] == [0]
    assert "recorded_by" not in public["published"][0] and BULLETIN in page
    # Same case, same digest, whoever reads it.
    assert public["case"]["digest"] == team["case"]["digest"]

    cli("naming", "sign-off", "p-1", "--why", "two sources (fictional)", "--by", "rana",
        "--db", case_url)  # fmt: skip
    signed = report(tmp_path / "signed", case_url, "--public", "--no-pdf")
    page = (tmp_path / "signed" / "index.html").read_text("utf-8")
    assert "Fictional Colonel One" in page and "Fictional General Two" not in page
    assert signed["case"]["digest"] != public["case"]["digest"]  # the sign-off is case content
    careers = [c["person"]["id"] for i in signed["incidents"] for c in i["careers"]]
    assert careers and set(careers) == {"p-1"}


def test_report_refuses_unknown_language_and_policy(sqlite_case_url: str, tmp_path: Path) -> None:
    for args, said in ((["--lang", "fr"], "ar or en"), (["--policy", "nope"], "no policy")):
        result = CliRunner().invoke(
            build_app(),
            ["report", "--out", str(tmp_path), "--db", sqlite_case_url, "--no-pdf", *args],
        )
        assert result.exit_code == 1 and said in result.output, result.output
    result = CliRunner().invoke(
        build_app(), ["report", "--out", str(tmp_path), "--db", sqlite_case_url, "--no-pdf"]
    )
    assert result.exit_code == 1 and "nothing to report" in result.output
    assert run("count", "--by", "sex", "--db", sqlite_case_url)["total"] == 0


def test_as_of_gives_what_the_case_knew_then(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _case(case_url, tmp_path)
    with transaction(case_url) as session:
        then = max(session.scalars(select(Source.created_at))).isoformat()
    # Later: a corrected version of list A (one victim it had missed), a proceeding, a sign-off.
    row = {"date_of_death": "2025-03-08", "place_of_death": "Example Village", "sex": "M"}
    corrected = [
        {"record_id": "1", "full_name": ADULT, "age": "40", **row},
        {"record_id": "2", "full_name": MINOR, "age": "12", **row},
        {"record_id": "3", "full_name": "Fictional Victim Found Later", "age": "33", **row},
    ]
    cli("import", "records", _list(tmp_path / "a2.csv", corrected), "--source",
        "List A v2 (fictional)", "--version-of", "List A (fictional)", "--access", "public",
        *db)  # fmt: skip
    cli("link", *db)
    cli("proceedings", "add", "--kind", "charge", "--title", "p-1 charged (fictional)",
        "--start", "2026-01", "--incident", "acc-1", "--person", "p-1", "--access", "public",
        *db)  # fmt: skip
    cli("naming", "sign-off", "p-1", "--why", "two sources (fictional)", "--by", "rana", *db)

    before = report(tmp_path / "before", case_url, "--as-of", then, "--no-pdf", "--public")
    again = report(tmp_path / "again", case_url, "--as-of", then, "--no-pdf", "--public")
    now = report(tmp_path / "now", case_url, "--no-pdf", "--public")
    assert before["toll"]["documented"] == 2 and now["toll"]["documented"] == 3
    assert (before["toll"], before["counts"]) == (again["toll"], again["counts"])
    assert before["case"]["as_of"].startswith(then[:19]) and before["case"]["not_historised"]
    assert "List A v2 (fictional)" not in str(before["methods"]["sources"])
    page = (tmp_path / "before" / "index.html").read_text("utf-8")
    assert "Fictional Colonel One" not in page and "p-1 charged" not in page
    assert "Fictional Victim Found Later" not in page
    page = (tmp_path / "now" / "index.html").read_text("utf-8")
    assert "Fictional Colonel One" in page and "p-1 charged" in page
    assert "Fictional Victim Found Later" in page
    assert "cli:" not in page + (tmp_path / "now" / "report.json").read_text("utf-8")
    bad = CliRunner().invoke(
        build_app(), ["report", "--out", str(tmp_path), "--as-of", "yesterday", *db]
    )
    assert bad.exit_code == 1 and "--as-of takes" in bad.output


def test_estimate_signoff_is_refused_without_the_right(
    sqlite_case_url: str, tmp_path: Path
) -> None:
    from sijill.web.testing import add_user

    db = ["--db", sqlite_case_url]
    _case(sqlite_case_url, tmp_path)
    add_user(sqlite_case_url, "ana", "analyst")
    for args, said in (
        (["--why", "checked", "--by", "ana"], "only an investigator or an admin"),
        (["--why", " ", "--by", "rana"], "needs a reason"),
        (["--why", "checked", "--by", "rana"], "at least 2 are needed"),  # nothing to estimate
    ):
        result = CliRunner().invoke(build_app(), ["estimate-signoff", "add", *args, *db])
        assert result.exit_code == 1 and said in result.output, result.output
        assert "Traceback" not in result.output
    result = CliRunner().invoke(
        build_app(), ["estimate-signoff", "revoke", "--why", "x", "--by", "rana", *db]
    )
    assert result.exit_code == 1 and "no estimate is signed off" in result.output
    assert run("estimate-signoff", "list", *db) == []
