"""Regenerate intake/reference/data/us_states.csv and us_counties.csv.

Origin: the U.S. Census Bureau's 2020 FIPS code lists for states and counties (and
county equivalents: parishes, boroughs, independent cities), as shipped by the
maintained PyPI package ``addfips`` (a dev dependency). Run this only when the Census
list changes; the app reads the generated CSV files, never the package.
"""

import csv
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "intake" / "reference" / "data"


def main() -> None:
    data = resources.files("addfips") / "data"
    states: dict[str, tuple[str, str]] = {}
    with (data / "states.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            # The package lists aliases ("D.C."); the first spelling is the official one.
            states.setdefault(row["fips"], (row["postal"], row["name"]))
    with (OUT / "us_states.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "fips", "name"])
        for fips, (postal, name) in sorted(states.items(), key=lambda kv: kv[1][1]):
            writer.writerow([postal, fips, name])
    with (data / "counties_2020.csv").open(encoding="utf-8") as fh:
        counties: dict[str, tuple[str, str, str]] = {}
        for row in csv.DictReader(fh):
            fips = row["statefp"] + row["countyfp"]
            if row["statefp"] in states:
                # Later rows for the same code are aliases (old or informal names).
                counties.setdefault(fips, (fips, states[row["statefp"]][0], row["name"]))
    with (OUT / "us_counties.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["fips", "state", "name"])
        writer.writerows(sorted(counties.values()))


if __name__ == "__main__":
    main()
