#!/usr/bin/env bash
# The student's launcher for a vwb exercise:
#   ./vwb exercise check    builds the project and runs the public tests (mvn -q test), then summarizes
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

usage() {
  echo "usage: ./vwb exercise check [MAVEN OPTIONS]   build and run the public tests (e.g. -o: offline)"
}

check() {
  command -v mvn >/dev/null || { echo "vwb: Maven is not installed (apt-get install -y maven)" >&2; exit 2; }
  rm -rf target/surefire-reports
  mvn -q -B "$@" test
  local status=$?
  local reports=(target/surefire-reports/TEST-*.xml)
  if [[ ! -e ${reports[0]} ]]; then
    echo "vwb: the project did not compile, or no test ran (messages above)" >&2
    exit 1
  fi
  local tests failed
  tests=$(cat "${reports[@]}" | grep -o '<testsuite [^>]*' | grep -o ' tests="[0-9]*"' | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}')
  failed=$(cat "${reports[@]}" | grep -o '<testsuite [^>]*' | grep -oE ' (failures|errors)="[0-9]*"' | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}')
  echo "public tests: $((tests - failed)) of $tests pass"
  if [[ $status -eq 0 ]]; then
    echo "all public tests pass; the graded tests check more - test your edge cases too"
  fi
  exit $status
}

case "${1:-} ${2:-}" in
  "exercise check") shift 2; check "$@" ;;
  "--help "*|"-h "*|"exercise --help"|"exercise -h") usage ;;
  *) usage >&2; exit 2 ;;
esac
