#!/usr/bin/env bash
# Make the sheets of ingest/testdata/offices in the formats county offices
# send: the sources (workbooks written by `go run ./scripts/officesheets`, a
# CSV) saved by LibreOffice as Excel 97-2003 .xls, one as WPS's .et, and one
# as OpenDocument .ods (which import refuses, with a message). The files it
# writes are committed as test fixtures: sheet's tests read them and need no
# LibreOffice. Run it again after changing the sources; README.md beside the
# files lists what they hold. Installs LibreOffice Calc (about 200 MB) with
# apt-get the first time, as `make check-print` does.
set -euo pipefail

cd "$(dirname "$0")/.."
out=ingest/testdata/offices
src=$out/src

command -v soffice >/dev/null 2>&1 || {
	if [ "$(id -u)" -eq 0 ]; then s=; else s=sudo; fi
	echo "office-sheets: installing LibreOffice Calc with apt-get (once)" >&2
	$s env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		$s env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
}

go run ./scripts/officesheets -o "$src"

# A profile of its own, so that a LibreOffice the user has open neither
# blocks the conversion nor has its settings changed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lo() { soffice -env:UserInstallation="file://$tmp/profile" --headless "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }; }

# The workbooks, as Excel 97-2003 saves them: BIFF8 records in an OLE2
# compound file. LibreOffice computes the formulas, which excelize leaves
# without cached values, and writes their results.
for f in bozhou-counties monthly-2024 date-cells empty; do
	lo --convert-to xls:"MS Excel 97" --outdir "$out" "$src/$f.xlsx"
done

# WPS Spreadsheets' .et is the same BIFF8 compound file as .xls under
# another name (WPS reads and writes it as it does .xls), so a BIFF8 file
# saved under the .et name is how an .et from WPS reads. The CSV is UTF-8
# (76), comma-separated (44), quoted with " (34); its columns are typed
# 1/standard 2/text 3/standard 4/standard, so that the 12-digit village
# codes stay text as offices type them. LibreOffice names the sheet after
# the file: "mengcheng-villages".
lo --infilter="CSV:44,34,76,1,1/1/2/2/3/1/4/1" --convert-to xls:"MS Excel 97" --outdir "$tmp" "$src/mengcheng-villages.csv"
mv "$tmp/mengcheng-villages.xls" "$out/mengcheng-villages.et"

# An OpenDocument spreadsheet, which import refuses with a message.
lo --convert-to ods --outdir "$out" "$src/bozhou-counties.xlsx"

# Each .xls and .et must be a compound file (magic D0 CF 11 E0 A1 B1 1A E1)
# and not, say, LibreOffice's HTML "xls".
for f in "$out"/*.xls "$out"/*.et; do
	magic=$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')
	[ "$magic" = d0cf11e0a1b11ae1 ] || { echo "office-sheets: $f is not an OLE2 compound file (starts $magic)" >&2; exit 1; }
done

# The tests read every file back: BIFF8 records, merged ranges, sheet names.
go test -count=1 -run 'Office' ./sheet
ls -l "$out"
