#!/usr/bin/python3
"""Checks a trial file of a research export against the archived original, using only h5py and numpy.

Usage: check_research_h5py.py EXPORTED ORIGINAL STUDY_CODE DAYS AGE
Checks: the documented schema (docs/archive.md: schema_version 1, the datasets and their shapes and
units), the de-identification (start_time_utc, device_serial empty, no /import_notes, the added root
attributes study_code, days_since_first_session, age_years, deidentified = 1) and that every sample
and result value equals the original's (NaN where the original has NaN).
Exit status: 0 if everything matches, 1 on any mismatch (each printed), 2 on bad usage,
3 if a file could not be read at all.
"""
import sys
import traceback

import h5py
import numpy as np

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    exported, original, code, days, age = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    try:
        e = h5py.File(exported, "r")
        o = h5py.File(original, "r")
    except Exception:
        traceback.print_exc()
        return 3
    with e, o:
        a = e.attrs
        expect(int(a.get("schema_version", -1)) == 1, f"schema_version is {a.get('schema_version')!r}")
        for name in ("software_version", "test_name", "start_time_utc", "analysis_version",
                     "device_serial", "firmware_version", "protocol_version", "description"):
            expect(isinstance(a.get(name), str), f"root attribute {name} is not read as str")
        expect(a.get("start_time_utc") == "", f"start_time_utc is {a.get('start_time_utc')!r}, expected empty")
        expect(a.get("device_serial") == "", f"device_serial is {a.get('device_serial')!r}, expected empty")
        expect(a.get("study_code") == code, f"study_code is {a.get('study_code')!r}, expected {code!r}")
        for name, value in (("days_since_first_session", days), ("age_years", age), ("deidentified", 1)):
            expect(isinstance(a.get(name), np.integer), f"root attribute {name} is not an integer")
            expect(int(a.get(name, -999)) == value, f"{name} is {a.get(name)!r}, expected {value}")
        expect("import_notes" not in e, "/import_notes is present")
        expect("recovered_from_journal" not in a, "recovered_from_journal is present")
        expect(a.get("test_name") == o.attrs.get("test_name"),
               f"test_name {a.get('test_name')!r} differs from the original {o.attrs.get('test_name')!r}")
        n = o["samples/sequence"].shape[0]
        plates = int(o.attrs["plate_count"])
        cells = plates * int(o.attrs["cells_per_plate"])
        shapes = {"samples/sequence": ((n,), None), "samples/time": ((n,), "s"),
                  "samples/counts": ((n, cells), "counts"), "samples/cell_force": ((n, cells), "N"),
                  "samples/fz": ((n, plates), "N"), "samples/cop_x": ((n, plates), "m"),
                  "samples/cop_y": ((n, plates), "m")}
        for path, (shape, units) in shapes.items():
            if path not in e:
                problems.append(f"/{path} is missing")
                continue
            d = e[path]
            expect(d.shape == shape, f"/{path} has shape {d.shape}, expected {shape}")
            if units is not None:
                expect(d.attrs.get("units") == units, f"/{path} units {d.attrs.get('units')!r}, expected {units!r}")
            expect(np.array_equal(d[...], o[path][...], equal_nan=d.dtype.kind == "f"),
                   f"/{path} values differ from the original")
        for k in range(plates):
            for item in ("cell_x", "cell_y", "gain", "offset"):
                path = f"plates/{k}/{item}"
                expect(path in e and np.array_equal(e[path][...], o[path][...]), f"/{path} differs")
        expect(np.array_equal(e["results/value"][...], o["results/value"][...]), "/results/value differs")
        expect(list(e["results/name"].asstr()[...]) == list(o["results/name"].asstr()[...]), "/results/name differs")
    for p in problems:
        print("check_research_h5py:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
