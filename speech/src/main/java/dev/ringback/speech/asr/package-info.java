/**
 * Speech recognition for phone calls: 16 kHz 16-bit mono in, lower-case words out.
 *
 * <p>{@link dev.ringback.speech.asr.AsrEngines#create} picks the engine: Vosk when a model is
 * installed ({@code models/fetch-vosk-model.sh}), otherwise the pure-Java Sphinx4 fallback with a
 * trigram language model of the committed domain corpus. Per utterance:
 * <pre>
 * Recognition r = asr.start(hints);   // never blocks
 * r.accept(pcm, 0, 320);              // every 20 ms frame; never blocks for long
 * r.partial();                        // best words so far
 * String text = r.finish();           // always call it: it releases the engine's resources
 * </pre>
 */
package dev.ringback.speech.asr;
