"""Write the generated CSVs to S3 as a stream (multipart), so memory stays flat at any size."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from smart_open import open as open_uri

from recommender.clients import client

# One multipart part is buffered in memory before it is sent. 8 MiB keeps that buffer small
# (the library's default is 50 MiB) while 10,000 parts still allow objects of 80 GiB.
PART_BYTES = 8 * 1024**2


def write_csv(
    bucket: str, key: str, header: list[str], chunks: Iterable[list[Iterable[Any]]]
) -> int:
    """Stream row ``chunks`` under ``header`` to s3://bucket/key; return how many rows.

    The header is the schema's field names, unquoted, as Personalize's import requires.
    """
    count = 0
    uri = f"s3://{bucket}/{key}"
    with open_uri(
        uri, "wb", transport_params={"client": client("s3"), "min_part_size": PART_BYTES}
    ) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        for rows in chunks:
            writer.writerows(rows)
            count += len(rows)
            # Let the chunk go before the next one is drawn: one chunk in memory, not two.
            del rows
        text.flush()
        text.detach()
    return count
