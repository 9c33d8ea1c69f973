#!/usr/bin/env bash
# Creates (or updates) the rule-bundle ConfigMaps and the Secret of deploy/kubernetes/certguard.yaml from files.
#   deploy/kubernetes/create-config.sh <credentials.json> <audit-signing-key.pem> <database-url>
# The signing key: openssl genpkey -algorithm ed25519 -out audit-signing-key.pem (docs/audit.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 3 ] || { echo "usage: $0 <credentials.json> <audit-signing-key.pem> <database-url>" >&2; exit 2; }
apply() { kubectl apply -f -; }
kubectl create configmap certguard-policies --from-file=policies/ --dry-run=client -o yaml | apply
kubectl create configmap certguard-policy-tests --from-file=policies/tests/ --dry-run=client -o yaml | apply
kubectl create secret generic certguard --from-file=credentials.json="$1" --from-file=audit-signing-key.pem="$2" \
  --from-literal=database-url="$3" --dry-run=client -o yaml | apply
