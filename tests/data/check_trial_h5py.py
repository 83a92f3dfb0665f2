#!/usr/bin/python3
"""Checks a trial file against docs/archive.md (schema version 1) using only h5py and numpy.

Usage: check_trial_h5py.py FILE two-plate|empty|imported|recovered
  two-plate: the trial built by h5py_check_trial() in trial_examples.cpp; its values are
             recomputed here from the same formulas.
  recovered: the same trial converted from a journal whose recording was interrupted after its
             last sample (test_journal.cpp): root attribute complete = 0, a recovered_from_journal note.
  empty:     empty_trial(): two plates of four cells, no samples, no gaps, no results.
  imported:  h5py_imported_trial(): two plates without cells (an imported trial), with the
             optional /samples/fx, /samples/fy and /import_notes.
Exit status: 0 if everything matches, 1 on any mismatch (each printed), 2 on bad usage,
3 if the file could not be read at all (traceback printed).
"""
import sys
import traceback

import h5py
import numpy as np

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def expect_equal(actual, expected, what):
    expect(actual == expected, f"{what}: got {actual!r}, expected {expected!r}")


def check_root(f, sample_rate_hz, cells_per_plate=4, adc_bits=24, complete=1):
    a = f.attrs
    integers = {"schema_version": 1, "cells_per_plate": cells_per_plate, "plate_count": 2, "adc_bits": adc_bits,
                "complete": complete}
    for name, value in integers.items():
        expect(name in a and isinstance(a[name], np.integer), f"root attribute {name} is not an integer")
        if name in a:
            expect_equal(int(a[name]), value, f"root attribute {name}")
    expect(isinstance(a.get("sample_rate_hz"), np.floating), "sample_rate_hz is not floating point")
    expect_equal(float(a.get("sample_rate_hz", -1)), sample_rate_hz, "sample_rate_hz")
    for name in ("software_version", "test_name", "start_time_utc", "analysis_version",
                 "device_serial", "firmware_version", "protocol_version", "description"):
        expect(isinstance(a.get(name), str), f"root attribute {name} is not read as str")
    if complete:
        expect("recovered_from_journal" not in a, "root attribute recovered_from_journal in a complete trial")
    else:
        note = a.get("recovered_from_journal")
        expect(isinstance(note, str) and "journal" in note, f"recovered_from_journal is {note!r}")
    if cells_per_plate > 0:
        expect_equal(a.get("test_name"), "quiet-stance", "test_name")
        expect_equal(a.get("start_time_utc"), "2026-11-22T10:00:00Z", "start_time_utc")
        expect_equal(a.get("protocol_version"), "1.3", "protocol_version")


def check_layout(f, n, cells_per_plate=4, horizontal=False):
    cells = 2 * cells_per_plate
    shapes = {
        "samples/sequence": ((n,), np.uint64, None),
        "samples/time": ((n,), np.float64, "s"),
        "samples/counts": ((n, cells), np.int32, "counts"),
        "samples/cell_force": ((n, cells), np.float64, "N"),
        "samples/fz": ((n, 2), np.float64, "N"),
        "samples/cop_x": ((n, 2), np.float64, "m"),
        "samples/cop_y": ((n, 2), np.float64, "m"),
    }
    if horizontal:
        shapes["samples/fx"] = ((n, 2), np.float64, "N")
        shapes["samples/fy"] = ((n, 2), np.float64, "N")
    else:
        for path in ("samples/fx", "samples/fy", "import_notes"):
            expect(path not in f, f"/{path} is present in a trial without it")
    for k in ("0", "1"):
        shapes[f"plates/{k}/cell_x"] = ((cells_per_plate,), np.float64, "m")
        shapes[f"plates/{k}/cell_y"] = ((cells_per_plate,), np.float64, "m")
        shapes[f"plates/{k}/gain"] = ((cells_per_plate,), np.float64, "N/count")
        shapes[f"plates/{k}/offset"] = ((cells_per_plate,), np.float64, "counts")
    for path, (shape, dtype, units) in shapes.items():
        if path not in f:
            problems.append(f"missing dataset /{path}")
            continue
        d = f[path]
        expect_equal(d.shape, shape, f"/{path} shape")
        expect_equal(d.dtype, np.dtype(dtype), f"/{path} dtype")
        expect_equal(d.attrs.get("units"), units, f"/{path} units")
        if path.startswith("samples/") and 0 not in shape[1:]:
            expect(d.chunks is not None and d.maxshape[0] is None, f"/{path} is not chunked and extendable")
            expect_equal(d.compression, "gzip", f"/{path} compression")
            expect(d.shuffle and d.compression == "gzip", f"/{path} lacks shuffle or gzip (deflate)")
        elif path.startswith("samples/"):
            expect(d.chunks is None, f"/{path} has no columns but is chunked (HDF5 cannot chunk them)")
        if path.startswith("samples/"):
            expect_equal(d[...].shape, shape, f"/{path} shape as read")
    for k in ("0", "1"):
        for name in ("width", "length"):
            expect(isinstance(f[f"plates/{k}"].attrs.get(name), np.floating), f"/plates/{k} {name} missing")

    def described(name, obj):
        if isinstance(obj, h5py.Dataset):
            text = obj.attrs.get("description")
            expect(isinstance(text, str) and text != "", f"/{name} has no description")
    f.visititems(described)


def strings(dataset):
    return list(dataset.asstr()[...])


def check_two_plate(f, complete=1):
    n = 250
    check_root(f, 500.0, complete=complete)
    check_layout(f, n)
    i = np.arange(n)
    sequence = (1000 + i + np.where(i >= 100, 5, 0)).astype(np.uint64)
    expect(np.array_equal(f["samples/sequence"][...], sequence), "/samples/sequence values")
    expect(np.array_equal(f["samples/time"][...], (sequence - 1000) / 500.0), "/samples/time values")
    c = np.arange(8)
    expect(np.array_equal(f["samples/counts"][...], 8000 + 10 * i[:, None] + c[None, :]), "/samples/counts values")
    expect(np.array_equal(f["samples/cell_force"][...], i[:, None] * 0.5 + c[None, :]), "/samples/cell_force values")
    k = np.arange(2)
    expect(np.array_equal(f["samples/fz"][...], 100.0 * (k[None, :] + 1) + i[:, None]), "/samples/fz values")
    unloaded = (k[None, :] == 1) & (i[:, None] % 50 == 0)
    cop_x = np.where(unloaded, np.nan, i[:, None] / 1024.0 - k[None, :] / 8.0)
    cop_y = np.where(unloaded, np.nan, -i[:, None] / 2048.0 + k[None, :] / 4.0)
    expect(np.array_equal(f["samples/cop_x"][...], cop_x, equal_nan=True), "/samples/cop_x values or NaNs")
    expect(np.array_equal(f["samples/cop_y"][...], cop_y, equal_nan=True), "/samples/cop_y values or NaNs")
    expect_equal(int(np.isnan(f["samples/cop_x"][:, 1]).sum()), 5, "NaN count in cop_x of plate 1")
    for plate in (0, 1):
        g = f[f"plates/{plate}"]
        expect_equal(float(g.attrs["width"]), 0.5, f"/plates/{plate} width")
        expect_equal(float(g.attrs["length"]), 0.625, f"/plates/{plate} length")
        expect_equal(list(g["cell_x"][...]), [-0.25, 0.25, -0.25, 0.25], f"/plates/{plate}/cell_x")
        expect_equal(list(g["cell_y"][...]), [0.3125, 0.3125, -0.3125, -0.3125], f"/plates/{plate}/cell_y")
        expect_equal(list(g["gain"][...]), [0.0125 * (j + 1) for j in range(4)], f"/plates/{plate}/gain")
        expect_equal(list(g["offset"][...]), [100.0 + j + 10 * plate for j in range(4)], f"/plates/{plate}/offset")
    expect_equal(f["gaps/first_missing_sequence"].dtype, np.dtype(np.uint64), "/gaps/first_missing_sequence dtype")
    expect_equal(list(f["gaps/first_missing_sequence"][...]), [1100, 1350], "/gaps/first_missing_sequence")
    expect_equal(list(f["gaps/count"][...]), [5, 1], "/gaps/count")
    expect_equal(strings(f["gaps/reason"]), ["sequence jump", "trame corrompue — CRC"], "/gaps/reason")
    expect_equal(strings(f["results/name"]), ["sway_path_length", "mean_velocity", "ellipse_area"], "/results/name")
    expect_equal(list(f["results/value"][...]), [123.25, 4.5, 87.5], "/results/value")
    expect_equal(strings(f["results/unit"]), ["mm", "mm/s", "mm²"], "/results/unit")
    h5py_string = h5py.check_string_dtype(f["results/unit"].dtype)
    expect(h5py_string is not None and h5py_string.encoding == "utf-8" and h5py_string.length is None,
           "/results/unit is not variable-length UTF-8")


def check_empty(f):
    check_root(f, 1000.0)
    check_layout(f, 0)
    for path in ("gaps/first_missing_sequence", "gaps/count", "gaps/reason",
                 "results/name", "results/value", "results/unit"):
        expect_equal(f[path].shape, (0,), f"/{path} shape")


def check_imported(f):
    n = 120
    check_root(f, 200.0, cells_per_plate=0, adc_bits=0)
    check_layout(f, n, cells_per_plate=0, horizontal=True)
    if problems:  # a missing or misshapen dataset: the values below cannot be compared
        return
    expect_equal(f.attrs.get("test_name"), "countermovement-jump", "test_name")
    expect_equal(f.attrs.get("start_time_utc"), "2021-01-05T09:47:06Z", "start_time_utc")
    i = np.arange(n)
    k = np.arange(2)
    expect(np.array_equal(f["samples/sequence"][...], i.astype(np.uint64)), "/samples/sequence values")
    expect(np.array_equal(f["samples/time"][...], i / 200.0), "/samples/time values")
    expect(np.array_equal(f["samples/fz"][...], 300.0 + i[:, None] + 50.0 * k[None, :]), "/samples/fz values")
    unloaded = (k[None, :] == 0) & (i[:, None] % 40 == 0)
    cop_x = np.where(unloaded, np.nan, i[:, None] / 512.0 - k[None, :] / 4.0)
    cop_y = np.where(unloaded, np.nan, -i[:, None] / 1024.0 + k[None, :] / 8.0)
    expect(np.array_equal(f["samples/cop_x"][...], cop_x, equal_nan=True), "/samples/cop_x values or NaNs")
    expect(np.array_equal(f["samples/cop_y"][...], cop_y, equal_nan=True), "/samples/cop_y values or NaNs")
    expect(np.array_equal(f["samples/fx"][...], i[:, None] * 0.25 - k[None, :]), "/samples/fx values")
    expect(np.array_equal(f["samples/fy"][...], -i[:, None] * 0.125 + k[None, :]), "/samples/fy values")
    for plate in (0, 1):
        expect_equal(float(f[f"plates/{plate}"].attrs["width"]), 0.5 + 0.125 * plate, f"/plates/{plate} width")
    expect_equal(f["import_notes"].shape, (3,), "/import_notes shape")
    expect_equal(strings(f["import_notes"]),
                 ["imported from 'jump.csv'", "layout generic, as chosen", "sample rate 200 Hz – given"],
                 "/import_notes")
    expect(isinstance(f["import_notes"].attrs.get("description"), str), "/import_notes has no description")
    # Clinical context, readable without this program.
    expect_equal(f.attrs.get("side"), "right", "side")
    expect_equal(f.attrs.get("invalid_reason"), "double contact at 1.2 s", "invalid_reason")
    expect_equal(list(f["runner_events/time"][...]), [0.5, 2.25], "/runner_events/time")
    expect_equal(strings(f["runner_events/state"]), ["recording", "result"], "/runner_events/state")
    expect_equal(strings(f["runner_events/message"]), ["started", "invalid: double contact"],
                 "/runner_events/message")
    expect_equal(strings(f["pain/when"]), ["after"], "/pain/when")
    expect_equal(list(f["pain/rating"][...]), [3], "/pain/rating")
    expect_equal(strings(f["results/processing"]), ["vertical force, no filtering"], "/results/processing")
    expect("notes" not in f.attrs, "notes written although empty")


def check_recovered(f):
    """The two-plate trial converted from a journal whose recording was interrupted after its last sample."""
    check_two_plate(f, complete=0)


def main():
    checks = {"two-plate": check_two_plate, "empty": check_empty, "imported": check_imported,
              "recovered": check_recovered}
    if len(sys.argv) != 3 or sys.argv[2] not in checks:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with h5py.File(sys.argv[1], "r") as f:
            checks[sys.argv[2]](f)
    except Exception:  # a missing group or attribute: distinct from a checked mismatch
        traceback.print_exc()
        return 3
    for problem in problems:
        print(f"check_trial_h5py: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
