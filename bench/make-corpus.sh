#!/usr/bin/env bash
# make-corpus.sh: builds the benchmark corpus of real PDFs from Debian packages.
#
# Each package is fetched with `apt-get download` into a cache (nothing is installed system-wide),
# unpacked with `dpkg-deb -x` into a temporary folder, and the chosen PDFs (gunzipped when shipped
# as .pdf.gz) are copied into bench/corpus/. One more file concatenates two large real manuals with
# qpdf into a 2,500-page PDF for the memory target. Idempotent: files that exist are kept.
#
# Usage: bench/make-corpus.sh [CORPUS_DIR]      (default: bench/corpus next to this script)
# Download size: about 170 MB of .deb files, cached in CORPUS_DIR/.debs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
corpus="${1:-$here/corpus}"
debs="$corpus/.debs"

# package | path inside the package | name in the corpus. Producers noted for the reader.
entries=(
  "cups-filters|usr/share/cups/data/default-testpage.pdf|cups-testpage.pdf"             # cairo, colour
  "cups-filters|usr/share/cups/data/form_english.pdf|cups-form-english.pdf"            # LibreOffice Writer
  "asymptote-doc|usr/share/doc/asymptote/examples/pixel.pdf|asy-pixel.pdf"             # ImageMagick + GS 8.14
  "texlive-metapost-doc|usr/share/doc/texlive-doc/metapost/featpost/doc/otherinfo/BezierApprox.pdf|bezier-approx.pdf"  # Distiller 7
  "texlive-metapost-doc|usr/share/doc/texlive-doc/metapost/featpost/doc/otherinfo/Zpravodaj2009-4.pdf|zpravodaj.pdf"   # pyPdf
  "texlive-metapost-doc|usr/share/doc/texlive-doc/metapost/fiziko/fiziko.pdf|fiziko.pdf"                                # LuaTeX
  "texlive-metapost-doc|usr/share/doc/texlive-doc/metapost/featpost/doc/Exemplifier.pdf|featpost-exemplifier.pdf"      # dvips + GS 9.05
  "texlive-fonts-recommended-doc|usr/share/doc/texlive-doc/fonts/txfonts/txfontsdoc.pdf|txfontsdoc.pdf"                # dvips + Distiller 4
  "ghostscript-doc|usr/share/doc/ghostscript/GS9_Color_Management.pdf|gs-color-management.pdf"                          # MiKTeX pdfTeX, images
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/fontspec/fontspec.pdf|fontspec.pdf"                   # xdvipdfmx
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/xcolor/xcolor.pdf|xcolor.pdf"                         # pdfTeX, colour
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/xkeyval/xkeyval.pdf|xkeyval.pdf"                      # dvips + GS 9.25
  "bash-doc|usr/share/doc/bash/bash.pdf|bash.pdf"                                                                      # groff + GS 10
  "docbook-xsl-doc-pdf|usr/share/doc/docbook-xsl-doc-pdf/doc/reference.pdf.gz|docbook-xsl-reference.pdf"               # DBLaTeX
  "maxima-doc|usr/share/doc/maxima-doc/maximabook-19-Sept-2004.pdf.gz|maximabook.pdf"                                  # pdfTeX 1.10b (2004)
  "asymptote-doc|usr/share/doc/asymptote/asymptote.pdf|asymptote.pdf"                                                  # pdfTeX + asy figures
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/beamer/beameruserguide.pdf|beameruserguide.pdf"       # pdfTeX, colour
  "gnuplot-doc|usr/share/doc/gnuplot/gnuplot.pdf|gnuplot.pdf"                                                          # pdfTeX, plots
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/memoir/memman.pdf|memman.pdf"                         # pdfTeX
  "lilypond-doc-pdf|usr/share/doc/lilypond/html/Documentation/notation.pdf|lilypond-notation.pdf"                      # TeX + GS 10, music
  "octave-doc|usr/share/doc/octave/octave.pdf|octave.pdf"                                                              # pdfTeX (texinfo)
  "texlive-latex-recommended-doc|usr/share/doc/texlive-doc/latex/lwarp/lwarp.pdf|lwarp.pdf"                            # pdfTeX
  "r-doc-pdf|usr/share/R/doc/manual/fullrefman.pdf|r-fullrefman.pdf"                                                   # pdfTeX, 2,415 pages
)
# The concatenated file: output name, then its parts (corpus names).
concat_name="concat-octave-lwarp.pdf"
concat_parts=(octave.pdf lwarp.pdf)

# Installs the Debian packages that provide the given commands, when any is missing.
ensure_tools() {
  local missing=()
  command -v qpdf >/dev/null || missing+=(qpdf)
  command -v pdfinfo >/dev/null || missing+=(poppler-utils)
  command -v gs >/dev/null || missing+=(ghostscript)
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Prints the cached .deb of a package, downloading it first when the cache has none.
fetch_deb() {
  local pkg="$1" deb
  deb="$(find "$debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)"
  if [[ -z "$deb" ]]; then
    echo "downloading $pkg" >&2
    (cd "$debs" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
      (apt-get update -qq && cd "$debs" && apt-get download -q "$pkg" >/dev/null)
    }
    deb="$(find "$debs" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)"
  fi
  [[ -n "$deb" ]] || { echo "error: could not download $pkg" >&2; return 1; }
  echo "$deb"
}

# Prints the folder a package is unpacked in, unpacking it under $workdir on first use.
unpacked() {
  local pkg="$1" dir="$workdir/$1"
  if [[ ! -d "$dir" ]]; then
    mkdir -p "$dir"
    dpkg-deb -x "$(fetch_deb "$pkg")" "$dir"
  fi
  echo "$dir"
}

# Copies one entry's file into the corpus (gunzipping .pdf.gz), unless it is there already.
add_entry() {
  local pkg="$1" path="$2" name="$3" src dir
  [[ -s "$corpus/$name" ]] && return 0
  dir="$(unpacked "$pkg")"
  src="$dir/$path"
  [[ -f "$src" ]] || { echo "error: $pkg has no $path" >&2; return 1; }
  if [[ "$src" == *.gz ]]; then
    gunzip -c "$src" >"$corpus/$name.tmp"
  else
    cp "$src" "$corpus/$name.tmp"
  fi
  mv "$corpus/$name.tmp" "$corpus/$name"
}

# Builds the concatenated large PDF from corpus files with qpdf, unless it is there already.
add_concat() {
  [[ -s "$corpus/$concat_name" ]] && return 0
  local parts=()
  for p in "${concat_parts[@]}"; do parts+=("$corpus/$p"); done
  qpdf --empty --pages "${parts[@]}" -- "$corpus/$concat_name.tmp"
  mv "$corpus/$concat_name.tmp" "$corpus/$concat_name"
}

# Prints one pdfinfo field of a file ("" when absent).
info_field() {
  pdfinfo "$2" 2>/dev/null | sed -n "s/^$1: *//p" | head -n1
}

# Prints the corpus table: file, pages, size, producer.
print_table() {
  local f total_pages=0 total_bytes=0 pages bytes producer creator
  printf '%-28s %6s %9s  %s\n' file pages KiB "producer (creator)"
  for f in "$corpus"/*.pdf; do
    pages="$(info_field Pages "$f")"
    bytes="$(stat -c %s "$f")"
    producer="$(info_field Producer "$f")"
    creator="$(info_field Creator "$f")"
    [[ -n "$creator" ]] && producer="$producer ($creator)"
    [[ "$(basename "$f")" == "$concat_name" ]] && producer="qpdf --pages: ${concat_parts[*]}"
    printf '%-28s %6s %9s  %s\n' "$(basename "$f")" "$pages" "$((bytes / 1024))" "$producer"
    total_pages=$((total_pages + pages))
    total_bytes=$((total_bytes + bytes))
  done
  printf '%-28s %6s %9s\n' TOTAL "$total_pages" "$((total_bytes / 1024))"
}

# Builds the whole corpus, then prints it.
main() {
  ensure_tools
  mkdir -p "$corpus" "$debs"
  chmod 755 "$debs"  # apt-get download drops privileges to _apt when it can write there
  workdir="$(mktemp -d)"
  trap 'rm -rf "$workdir"' EXIT
  local e pkg path name
  for e in "${entries[@]}"; do
    IFS='|' read -r pkg path name <<<"$e"
    add_entry "$pkg" "$path" "$name"
  done
  add_concat
  print_table
}

main "$@"
