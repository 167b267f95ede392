"""Engine adapters: a splink database API for DuckDB (default) or Spark local mode.

The model (`sijill.linkage.model`) is the same on both; only the connection differs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ENGINES = ("duckdb", "spark")


def _memory_limit() -> str:
    """DuckDB takes 80% of RAM unless told: a quarter of the machine's memory, at most 4 GB
    (it spills to disk past that), or $SIJILL_DUCKDB_MEMORY."""
    if os.environ.get("SIJILL_DUCKDB_MEMORY"):
        return os.environ["SIJILL_DUCKDB_MEMORY"]
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):  # pragma: no cover - non-POSIX
        return "2GB"
    return f"{max(1, min(4, total // 2**32))}GB"


@contextmanager
def duckdb_api() -> Iterator[Any]:
    """An in-memory DuckDB for splink, with a memory limit and a spill folder."""
    import duckdb
    from splink import DuckDBAPI

    with tempfile.TemporaryDirectory(prefix="sijill-duckdb-") as spill:
        con = duckdb.connect(":memory:")
        con.execute(f"SET memory_limit = '{_memory_limit()}'")
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute("SET preserve_insertion_order = false")
        try:
            yield DuckDBAPI(connection=con)
        finally:
            con.close()


@contextmanager
def spark_api() -> Iterator[Any]:
    """Spark in local mode with splink's similarity functions (needs pyspark and Java)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        from sijill.errors import ConfigError

        raise ConfigError("the Spark engine needs pyspark: pip install pyspark") from exc
    from splink.backends.spark import SparkAPI, similarity_jar_location

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with tempfile.TemporaryDirectory(prefix="sijill-spark-") as work:
        spark = (
            SparkSession.builder.master("local[2]")
            .appName("sijill-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.driver.memory", "4g")
            .config("spark.local.dir", work)
            .config("spark.sql.warehouse.dir", os.path.join(work, "warehouse"))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        spark.sparkContext.setCheckpointDir(os.path.join(work, "checkpoints"))
        try:
            yield SparkAPI(spark_session=spark, num_partitions_on_repartition=4)
        finally:
            spark.stop()


@contextmanager
def database_api(engine: str) -> Iterator[Any]:
    """The splink database API for an engine name (``duckdb`` or ``spark``)."""
    if engine == "duckdb":
        with duckdb_api() as api:
            yield api
    elif engine == "spark":
        with spark_api() as api:
            yield api
    else:
        from sijill.errors import SijillError

        raise SijillError(f"unknown linkage engine {engine!r} (use one of {', '.join(ENGINES)})")
