"""Verification policies: independence of sources, age groups, named policies from sijill.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from sijill.errors import ConfigError
from sijill.linkage.counts import age_group, load_policies, source_families
from sijill.store.models import Source


def test_versions_and_derived_lists_are_one_source_for_independence() -> None:
    sources = [
        Source(id=1, name="a", derived_from=[]),
        Source(id=2, name="b", derived_from=[1]),
        Source(id=3, name="c", derived_from=[], version_of_id=None),
        Source(id=4, name="c2", derived_from=[], version_of_id=3),
        Source(id=5, name="d", derived_from=[]),
    ]
    families = source_families(sources)
    assert families[1] == families[2]
    assert families[3] == families[4]
    assert len({families[i] for i in (1, 3, 5)}) == 3


def test_age_groups() -> None:
    assert age_group(7, 7, None) == "child (0-17)"
    assert age_group(30, 40, None) == "adult (18-59)"
    assert age_group(None, None, 1950, death_year=2024) == "elderly (60+)"
    assert age_group(None, None, 1950) == "unknown"  # no year of death: no age
    assert age_group(None, None, None) == "unknown"
    assert age_group(10, 30, None) == "unknown"  # a range across groups says too little


def test_named_policies_come_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "sijill.toml"
    config.write_text(
        '[policies.three-sources]\nmin_independent_sources = 3\nstatuses = ["killed", "missing"]\n',
        encoding="utf-8",
    )
    policies = load_policies(config)
    assert {"any-source", "two-independent-sources", "three-sources"} <= set(policies)
    assert policies["three-sources"].min_independent_sources == 3
    assert policies["three-sources"].statuses == ("killed", "missing")
    config.write_text("[policies.bad\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_policies(config)
