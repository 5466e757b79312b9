#!/usr/bin/env bash
# Declares public API changes in the PublicAPI files (see docs/versioning.md):
#  - every public symbol that is not declared yet (RS0016) is added to the project's PublicAPI.Unshipped.txt, by the
#    analyzers' own code fix through `dotnet format analyzers`;
#  - every declared symbol that no longer exists (RS0017) is dropped from PublicAPI.Unshipped.txt, or, when it had
#    shipped, recorded there as `*REMOVED*<symbol>` (a breaking change: see docs/versioning.md).
#
#   eng/update-public-api.sh                        # every packable project under src/
#   eng/update-public-api.sh src/ArxivRank          # some projects (folders or .csproj files)
#
# Review the diff of PublicAPI.*.txt afterwards: each added line is a promise to users.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
  set -- src/*/*.csproj
fi

projects=()
for project in "$@"; do
  if [ -d "$project" ]; then
    project=$(ls "$project"/*.csproj)
  fi
  projects+=("$project")
done

# 1. Removed symbols (RS0017). The code fix does not run on the text files, so read the build's errors.
for project in "${projects[@]}"; do
  echo "public API, removed symbols: $project"
  log=$(mktemp)
  dotnet build "$project" --no-incremental -nologo -v q -clp:NoSummary -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
  # (No RS0017 at all is the usual case: grep then finds nothing, which is not an error.)
  { grep -oE "[^ ]+PublicAPI\.(Shipped|Unshipped)\.txt\([0-9]+,[0-9]+\): (error|warning) RS0017: Symbol '.*' is part of the declared API" "$log" || true; } \
    | sed -E "s/^(.*PublicAPI\.(Shipped|Unshipped)\.txt)\([0-9]+,[0-9]+\): (error|warning) RS0017: Symbol '(.*)' is part of the declared API$/\1\t\4/" \
    | sort -u \
    | while IFS=$'\t' read -r file symbol; do
        unshipped="$(dirname "$file")/PublicAPI.Unshipped.txt"
        case "$file" in
          *Unshipped.txt) grep -vxF -- "$symbol" "$file" >"$file.tmp" || true; mv "$file.tmp" "$file"
                          echo "  dropped: $symbol" ;;
          *) echo "*REMOVED*$symbol" >>"$unshipped"; echo "  removed (was shipped): $symbol" ;;
        esac
      done
  rm -f "$log"
done

# 2. New symbols (RS0016), through the analyzers' code fix.
for project in "${projects[@]}"; do
  echo "public API, new symbols: $project"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn
done
