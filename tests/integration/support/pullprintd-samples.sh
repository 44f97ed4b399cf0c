# pullprintd-samples.sh: the sample documents ipptool's ipp-1.1/ipp-2.0/ipp-everywhere tests name
# (cups-ipp-utils ships none, and ipptool gives up on a .test file whose FILE is unreadable).

# pp_make_ipptool_samples DIR: copies the .test files into DIR and makes the documents beside
# them. PWG raster: one real 300 dpi page per supported type (black_1, sgray_8, srgb_8), linked
# under every resolution and document name the tests use (tests for resolutions and types the
# queue does not advertise are skipped by ipptool; the files only need to be readable).
pp_make_ipptool_samples() {
  local dir=$1 test paper
  for test in ipp-1.1.test ipp-2.0.test ipp-everywhere.test; do
    cp "/usr/share/cups/ipptool/$test" "$dir/"
  done
  local ps="$PULLPRINT_SOURCE_DIR/share/samples/sample.ps"
  for paper in a4 letter; do
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sPAPERSIZE=$paper -dFIXEDMEDIA \
      -sOutputFile="$dir/document-$paper.pdf" "$ps"
    cp "$ps" "$dir/document-$paper.ps"
  done
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeg -r30 -dFirstPage=2 -dLastPage=2 \
    -sOutputFile="$dir/color.jpg" "$dir/document-a4.pdf"
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=jpeggray -r30 -dLastPage=1 \
    -sOutputFile="$dir/gray.jpg" "$dir/document-a4.pdf"
  local spec type space bits
  for spec in black-1:3:1 sgray-8:18:8 srgb-8:19:8; do
    IFS=: read -r type space bits <<<"$spec"
    gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pwgraster -r300 -dFirstPage=2 -dLastPage=2 \
      -dcupsColorSpace=$space -dcupsBitsPerColor=$bits \
      -sOutputFile="$dir/$type.pwg" "$dir/document-a4.pdf" 2>/dev/null
  done
  local dpi doc source
  for dpi in 150 180 300 360 600 720; do
    for type in black-1 cmyk-8 sgray-8 srgb-8 srgb-16; do
      mkdir -p "$dir/pwg-raster-samples-${dpi}dpi/$type"
      source="$dir/$type.pwg"
      [[ -e "$source" ]] || source="$dir/sgray-8.pwg"  # unsupported type: skipped by ipptool
      for doc in color.jpg-4x6 document-a4 document-letter gray.jpg-4x6 onepage-a4 onepage-letter; do
        ln -f "$source" "$dir/pwg-raster-samples-${dpi}dpi/$type/$doc-$type-${dpi}dpi.pwg"
      done
    done
  done
}

# pp_drop_ipptool_tests FILE NAME...: removes the tests with these NAMEs from an ipptool file.
pp_drop_ipptool_tests() {
  local file=$1
  shift
  local names
  names=$(printf '%s\n' "$@")
  awk -v names="$names" '
    BEGIN { n = split(names, list, "\n"); for (i = 1; i <= n; i++) drop["\"" list[i] "\""] = 1 }
    /^{/ { block = $0 "\n"; inblock = 1; skip = 0; next }
    inblock { block = block $0 "\n"
              if ($1 == "NAME") { name = $0; sub(/^[ \t]*NAME[ \t]*/, "", name); if (name in drop) skip = 1 }
              if ($0 ~ /^}/) { inblock = 0; if (!skip) printf "%s", block }
              next }
    { print }' "$file" >"$file.new"
  mv "$file.new" "$file"
}
