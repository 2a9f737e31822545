"""Write the generated CSVs to S3 as a stream (multipart), so memory stays flat at any size."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from smart_open import open as open_uri

from recommender.clients import client


def write_csv(
    bucket: str, key: str, header: list[str], chunks: Iterable[list[Iterable[Any]]]
) -> int:
    """Stream row ``chunks`` under ``header`` to s3://bucket/key; return how many rows.

    The header is the schema's field names, unquoted, as Personalize's import requires.
    """
    count = 0
    uri = f"s3://{bucket}/{key}"
    with open_uri(uri, "wb", transport_params={"client": client("s3")}) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        for rows in chunks:
            writer.writerows(rows)
            count += len(rows)
        text.flush()
        text.detach()
    return count
