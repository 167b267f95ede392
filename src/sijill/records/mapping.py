"""Column mappings for lists in other shapes: a small YAML or JSON file, or ``--map`` flags.

```yaml
columns:            # the list's column -> a standard column (FORMATS.md §1)
  الاسم الكامل: full_name
  العمر: age
  ID: record_id
sensitive: [phone, witness_name]   # kept, but encrypted at rest
drop: [internal_remark]            # not imported at all
values:                            # optional value maps, applied before parsing
  sex: {"1": M, "2": F}
sheet: Sheet1                      # XLSX only
format: csv                        # when the file's suffix does not say
encoding: windows-1256             # CSV / JSON lines; detected when not given
```
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sijill.errors import ImportRejected
from sijill.records.columns import STANDARD_COLUMNS


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    sensitive: set[str] = field(default_factory=set)
    drop: set[str] = field(default_factory=set)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet: str | None = None
    format: str | None = None
    encoding: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "columns": dict(self.columns),
            "sensitive": sorted(self.sensitive),
            "drop": sorted(self.drop),
            "values": self.values,
            "sheet": self.sheet,
            "format": self.format,
            "encoding": self.encoding,
        }


def mapping_from_dict(data: dict[str, Any], origin: str = "mapping") -> Mapping:
    unknown = set(data) - {"columns", "sensitive", "drop", "values", "sheet", "format", "encoding"}
    if unknown:
        raise ImportRejected(origin, reason=f"unknown mapping keys: {sorted(unknown)}")
    columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    for source_column, standard in columns.items():
        if standard not in STANDARD_COLUMNS:
            raise ImportRejected(
                origin,
                reason=f"column {source_column!r} is mapped to {standard!r}, "
                f"which is not a standard column ({', '.join(STANDARD_COLUMNS)})",
            )
    values = {
        str(col): {str(a): str(b) for a, b in (table or {}).items()}
        for col, table in (data.get("values") or {}).items()
    }
    return Mapping(
        columns=columns,
        sensitive={str(c) for c in data.get("sensitive") or []},
        drop={str(c) for c in data.get("drop") or []},
        values=values,
        sheet=data.get("sheet"),
        format=data.get("format"),
        encoding=data.get("encoding"),
    )


def load_mapping(path: Path | None, flags: list[str] | None = None) -> Mapping:
    """Read a mapping file (YAML or JSON) and add ``SRC=DEST`` flags on top of it."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
            loaded = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ImportRejected(str(path), reason=f"cannot read the mapping: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ImportRejected(str(path), reason="a mapping must be a YAML/JSON object")
        data = loaded
    mapping = mapping_from_dict(data, str(path) if path else "--map")
    for flag in flags or []:
        if "=" not in flag:
            raise ImportRejected("--map", reason=f"{flag!r} is not SOURCE_COLUMN=STANDARD_COLUMN")
        source_column, standard = (part.strip() for part in flag.split("=", 1))
        if standard not in STANDARD_COLUMNS:
            raise ImportRejected("--map", reason=f"{standard!r} is not a standard column")
        mapping.columns[source_column] = standard
    return mapping
