"""Command structure over time: units, posts, compositions, chains of command, careers.

Modules, each with one job:

* ``dates`` — partial ISO dates and the sure / possible day bounds of a fact (FORMATS.md §4);
* ``models`` — the tables (facts keep their dates as written beside four derived DATE bounds);
* ``fields`` — the keys of each kind of fact in the structure JSON (FORMATS.md §3);
* ``importer`` / ``exporter`` — the structure JSON in and out (lossless); ``spreadsheet`` —
  the XLSX / CSV template; ``popolo`` — Popolo JSON; ``sfm`` (columns and dates),
  ``sfm_import``, ``sfm_export``, ``sfm_files`` — Security Force Monitor's sheets in and out;
  ``graphml`` — a unit's ancestors and descendants as GraphML;
* ``traverse`` — the one recursive SQL statement (SQLite and PostgreSQL) behind every chain
  question; ``chain`` (chain above, units below), ``report`` (incident command report),
  ``career``, ``checks`` (consistency), ``merge`` and ``resolve`` (ids kept resolvable);
* ``generate`` — random synthetic structures for tests and benchmarks.

Choices where FORMATS.md is silent: a fact with no start date, no ``first_cited`` and no
``last_cited`` holds from the open past; with only ``last_cited`` on its start side, the
sight itself is its only sure day. Facts naming a unit or person the file does not declare
create it with its id alone (and say so). Perpetrator links are allegations with a status.
"""
