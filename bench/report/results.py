"""The sub-benches' RESULTS files: which bench wrote what, and whether it has the agreed shape.

The shape is bench/run.sh's contract (bench/README.md, "The report"). A file that is not JSON, or that
lacks a required key, makes its bench "failed": the report must not quietly show a hole as a figure.
"""
import json
import math

# bench -> (list key, required keys of each entry) for each list the bench must hold.
REQUIRED = {
    "transfer": {"runs": ["pair", "seconds", "bytes_per_s", "sha256_ok", "peak_rss_bytes", "rss_samples"]},
    "swarm": {"runs": ["client", "leechers", "size_bytes", "cap_bytes_per_s", "ideal_s", "last_completion_s",
                       "efficiency", "seeder_uploaded_bytes", "seeder_upload_ratio", "completion_s"]},
    "simulation": {"runs": ["seed", "leechers", "size_bytes", "ideal_s", "last_completion_s", "ratio",
                            "real_seconds", "completion_s"]},
    "tracker": {"load": ["tracker", "transport", "rate", "p50_ms", "p99_ms", "cpu_us_per_announce", "hashes"],
                "fill": ["tracker", "seconds", "rss_before_bytes", "rss_after_bytes"]},
    "create": {"runs": ["what", "shoal_s", "reference_s", "ratio"]},
    "startup": {"runs": ["what", "shoal_s", "reference_s", "ratio"]},
}
TOP_LEVEL = {"transfer": ["size_bytes"]}


class ShapeError(Exception):
    """A RESULTS file that breaks the contract; the message says where."""


def _reject_constant(name):
    raise ShapeError(f"{name} is not a JSON number")


def load(path, bench):
    """The RESULTS file of BENCH, checked against its required keys; raises ShapeError."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f, parse_constant=_reject_constant)
    except FileNotFoundError:
        raise ShapeError("wrote no RESULTS file") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ShapeError(f"RESULTS is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ShapeError("RESULTS is not a JSON object")
    for key in TOP_LEVEL.get(bench, []):
        if key not in data:
            raise ShapeError(f"no '{key}'")
    for list_key, keys in REQUIRED[bench].items():
        entries = data.get(list_key)
        if not isinstance(entries, list) or not entries:
            raise ShapeError(f"'{list_key}' is not a non-empty list")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ShapeError(f"{list_key}[{i}] is not an object")
            missing = [k for k in keys if k not in entry]
            if missing:
                raise ShapeError(f"{list_key}[{i}] lacks {', '.join(missing)}")
    return data


def finite(value):
    """The value as a float when it is a real number (not null, not a failed run's placeholder)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None
