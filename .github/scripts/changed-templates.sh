#!/usr/bin/env bash
# Print the templates (producer_templates/NAME) that changed between BASE and HEAD, one a line.
#
# usage: changed-templates.sh [--with-shared] [BASE]
#   no BASE (a first release): every template.
#   --with-shared: a change outside producer_templates/ that is not documentation (the tool,
#     copier.yml, template/) can break any template, so every template is printed.
# Deleted templates are left out: there is nothing left to check or publish.
set -euo pipefail

with_shared=false
if [ "${1:-}" = --with-shared ]; then
    with_shared=true
    shift
fi
base=${1:-}

every_template() {
    for contract in producer_templates/*/contract.yaml; do
        [ -f "$contract" ] && basename "$(dirname "$contract")"
    done
    return 0
}

if [ -z "$base" ]; then
    every_template
    exit 0
fi
changed=$(git diff --name-only "$base" HEAD --)
if $with_shared && printf '%s\n' "$changed" | grep -v -E '^(producer_templates|docs)/|\.md$' | grep -q .; then
    every_template
    exit 0
fi
printf '%s\n' "$changed" | sed -n 's|^producer_templates/\([^/]*\)/.*|\1|p' | sort -u |
    while read -r name; do
        if [ -f "producer_templates/$name/contract.yaml" ]; then
            echo "$name"
        fi
    done
