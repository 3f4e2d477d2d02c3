#!/usr/bin/env bash
# Re-estimates the telephone MLLR transform PocketSphinx decodes with
# (speech/src/main/resources/dev/ringback/speech/asr/pocketsphinx/telephone.mllr).
#
# Why: Debian's en-us acoustic model was trained on wide-band speech; calls reach it as 8 kHz G.711
# upsampled to 16 kHz. One global MLLR mean transform, estimated on corpus sentences spoken by synthetic
# voices through that same telephone path, moves the model towards the channel (AsrBenchmark: espeak-ng
# en-us 46 % -> 10 % WER on the held-in set; voices left out of the adaptation improve too).
#
# Needs (Debian): sphinxtrain pocketsphinx pocketsphinx-en-us flite espeak-ng sox python3-numpy.
# Usage: speech/tools/telephone-mllr.sh [WORK_DIR]    (takes about five minutes on two cores)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:-$(mktemp -d)}"
MODEL=/usr/share/pocketsphinx/model/en-us/en-us
DICT=/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict
ST=/usr/lib/sphinxtrain
OUT="$ROOT/speech/src/main/resources/dev/ringback/speech/asr/pocketsphinx/telephone.mllr"
CORPUS="$ROOT/speech/src/main/resources/dev/ringback/speech/asr/corpus"
# the voices the transform is estimated on; AsrBenchmark also reports voices that are not among them
VOICES=(rms slt awb kal espeak:en-us espeak:en-gb espeak:en-029 espeak:en-us+f3)
ITERATIONS=3
for tool in "$ST/bw" "$ST/mllr_solve" sphinx_fe pocketsphinx_mdef_convert flite espeak-ng sox python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install sphinxtrain pocketsphinx flite espeak-ng sox python3-numpy" >&2; exit 1; }
done
mkdir -p "$WORK/wav"
cd "$WORK"

# every 4th written (non-template) sentence of the corpus: the held-out sets are not in the corpus
cat "$CORPUS"/{open,when,yes-no,choice,anything-else}.txt | grep -v '^#' | grep -v '{' | grep -v '^[[:space:]]*$' | awk 'NR % 4 == 1' > sentences.txt
echo "$(wc -l < sentences.txt) sentences x ${#VOICES[@]} voices" >&2

: > adapt.fileids; : > adapt.transcription
for v in "${VOICES[@]}"; do
  i=0
  while read -r s; do
    i=$((i + 1)); id="${v//[:+]/_}_$i"
    if [ ! -f "wav/$id.wav" ]; then
      case $v in
        espeak:*) espeak-ng -v "${v#espeak:}" -s 150 -w raw.wav "$s" ;;
        *) flite -voice "$v" -t "$s" -o raw.wav ;;
      esac
      sox -R raw.wav -r 8000 -c 1 -e mu-law ul.wav 2>/dev/null
      sox -R ul.wav -r 16000 -c 1 -b 16 -e signed-integer "wav/$id.wav" 2>/dev/null
    fi
    echo "wav/$id" >> adapt.fileids
    echo "<s> $(echo "$s" | tr 'A-Z' 'a-z' | sed "s/[^a-z' ]//g") </s> ($id)" >> adapt.transcription
  done < sentences.txt
done
sphinx_fe -argfile "$MODEL/feat.params" -samprate 16000 -c adapt.fileids -di . -do . -ei wav -eo mfc -mswav yes > fe.log 2>&1

# bw wants text mdef and plain mixture weights; the Debian model ships binary mdef and quantised "sendump"
pocketsphinx_mdef_convert -text "$MODEL/mdef" mdef.txt > /dev/null 2>&1
python3 - "$MODEL/sendump" mixture_weights <<'PY'
import struct, sys
import numpy
src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as fh:
    fmt = "<I" if struct.unpack("<I", fh.read(4))[0] <= 65536 else ">I"
    fh.seek(0)
    def text():
        n = struct.unpack(fmt, fh.read(4))[0]
        return None if n == 0 else fh.read(n)[:-1].decode()
    text()  # title
    header = {}
    while (line := text()) is not None:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            header[parts[0]] = int(parts[1])
    shift, features = header.get("mixw_shift", 10), header["feature_count"]
    senones, densities = header.get("mixture_count", 0), header.get("model_count", 0)
    if header.get("cluster_count", 0) == 0:
        densities = struct.unpack(fmt, fh.read(4))[0]
        senones = struct.unpack(fmt, fh.read(4))[0]
    weights = numpy.empty((senones, features, densities))
    for f in range(features):
        for d in range(densities):
            quantised = numpy.fromfile(fh, "B", senones).astype("i") << shift
            weights[:, f, d] = numpy.power(1.0001, -quantised)
with open(dst, "wb") as out:
    head = b"s3\nversion 1.0\n"
    pad = (len(head) + len(b"endhdr\n")) & 3
    out.write(head + (b" " * (4 - pad) if pad else b"") + b"endhdr\n" + struct.pack("=i", 0x11223344))
    out.write(struct.pack("=IIII", senones, features, densities, senones * features * densities))
    weights.ravel().astype("<f4").tofile(out)
PY

cat "$DICT" "$ROOT/speech/src/main/resources/dev/ringback/speech/asr/domain-pronunciations.dict" > full.dict
previous=""
for it in $(seq 1 $ITERATIONS); do
  mkdir -p "accum$it"
  "$ST/bw" -hmmdir "$MODEL" -moddeffn mdef.txt -ts2cbfn .ptm. -feat 1s_c_d_dd -svspec 0-12/13-25/26-38 -cmn current -agc none \
    -dictfn full.dict -fdictfn "$MODEL/noisedict" -ctlfn adapt.fileids -lsnfn adapt.transcription -accumdir "accum$it" \
    -mixwfn mixture_weights ${previous:+-mllrmat "$previous"} > "bw$it.log" 2>&1
  "$ST/mllr_solve" -meanfn "$MODEL/means" -varfn "$MODEL/variances" -outmllrfn "mllr$it" -accumdir "accum$it" > "mllr$it.log" 2>&1
  previous="mllr$it"
  echo "iteration $it: $(grep -c 'ignored' "bw$it.log" || true) utterances could not be aligned" >&2
done
mkdir -p "$(dirname "$OUT")"
cp "$previous" "$OUT"
echo "wrote $OUT (work files in $WORK)" >&2
