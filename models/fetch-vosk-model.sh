#!/usr/bin/env bash
# Downloads a Vosk English model into models/ so `asr.engine: auto` picks Vosk over Sphinx4.
# Usage: models/fetch-vosk-model.sh [MODEL_NAME]   (default: vosk-model-small-en-us-0.15, 40 MB, Apache-2.0)
set -euo pipefail
cd "$(dirname "$0")"
name="${1:-vosk-model-small-en-us-0.15}"
url="https://alphacephei.com/vosk/models/${name}.zip"

if [ -d "$name" ]; then
  echo "models/$name is already installed."
  exit 0
fi
command -v unzip >/dev/null || { echo "fetch-vosk-model: 'unzip' is needed (apt-get install unzip)." >&2; exit 1; }

echo "Downloading $url ..."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if ! curl -fL --connect-timeout 15 --retry 2 -o "$tmp/model.zip" "$url"; then
  echo "fetch-vosk-model: could not download $url." >&2
  echo "This machine cannot reach the Vosk model server (no internet, or a proxy blocks it)." >&2
  echo "Ringback keeps working with its bundled Sphinx4 recogniser. To use Vosk, download" >&2
  echo "${name}.zip on another machine and unzip it into models/ here." >&2
  exit 1
fi
unzip -q "$tmp/model.zip" -d "$tmp"
mv "$tmp/$name" "./$name"
echo "Installed models/$name. Restart Ringback; with asr.engine: auto it now uses Vosk."
