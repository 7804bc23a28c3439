// What the run page shows of an operation's result: an AI answer (streamed live, then the
// stored text), its tool calls and usage, artifact references as downloads, and large
// outputs cut short.

/** An artifact reference (docs/operations.md "The reference format"). */
export interface ArtifactRef {
  uri: string;
  key: string;
  size: number;
  content_type: string;
  sha256: string;
  name?: string;
}

export interface FoundArtifact {
  /** Where in the value: `output`, `output.body`, `output.items[2]`. */
  path: string;
  ref: ArtifactRef;
}

/** Usage as the API reports it (OperationUsage; fields default to 0). */
export interface UsageLike {
  calls?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
  total_tokens?: number;
  cost?: number | null;
  by_model?: Record<string, unknown>;
}

export interface ToolCall {
  step: number;
  name: string;
  arguments: unknown;
  ok: boolean;
  error?: string | null;
  result_chars?: number;
  duration_ms?: number;
}

/** The parts of an `ai.prompt` output (PromptOutput) the run page shows. */
export interface AiOutput {
  text: string;
  model: string;
  finishReason: string | null;
  toolCalls: ToolCall[];
  steps: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The reference when ``value`` is one (an object whose single key is `$artifact`). */
export function artifactRef(value: unknown): ArtifactRef | null {
  if (!isRecord(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== "$artifact") return null;
  const ref = value.$artifact;
  if (!isRecord(ref)) return null;
  const { uri, key, size, content_type, sha256, name } = ref;
  if (typeof key !== "string" || !key || typeof uri !== "string" || uri !== `artifact://${key}`) return null;
  if (typeof size !== "number" || typeof content_type !== "string" || typeof sha256 !== "string") return null;
  if (name !== undefined && typeof name !== "string") return null;
  return { uri, key, size, content_type, sha256, ...(name === undefined ? {} : { name }) };
}

/** Every artifact reference in ``value``, depth first, with where it is. */
export function findArtifacts(value: unknown, path = "output"): FoundArtifact[] {
  const ref = artifactRef(value);
  if (ref) return [{ path, ref }];
  if (Array.isArray(value)) return value.flatMap((item, index) => findArtifacts(item, `${path}[${index}]`));
  if (isRecord(value)) return Object.entries(value).flatMap(([key, item]) => findArtifacts(item, `${path}.${key}`));
  return [];
}

/** The API path that serves ``ref`` of run ``runId`` (GET /v1/runs/{id}/artifacts/{path}). */
export function artifactUrl(runId: string, ref: ArtifactRef): string {
  return `/v1/runs/${encodeURIComponent(runId)}/artifacts/${ref.key.split("/").map(encodeURIComponent).join("/")}`;
}

/** The file name a download of ``ref`` gets. */
export function artifactFileName(ref: ArtifactRef): string {
  return ref.name || ref.key.split("/").at(-1) || "artifact";
}

/** The AI answer in an operation's output, or null when it is not an `ai.prompt` output. */
export function aiOutput(output: unknown): AiOutput | null {
  if (!isRecord(output) || typeof output.text !== "string" || typeof output.model !== "string") return null;
  if (!isRecord(output.request)) return null;
  const calls = Array.isArray(output.tool_calls) ? output.tool_calls.filter(isToolCall) : [];
  return {
    text: output.text,
    model: output.model,
    finishReason: typeof output.finish_reason === "string" ? output.finish_reason : null,
    toolCalls: calls,
    steps: typeof output.steps === "number" ? output.steps : 0,
  };
}

function isToolCall(value: unknown): value is ToolCall {
  return isRecord(value) && typeof value.name === "string" && typeof value.ok === "boolean" && typeof value.step === "number";
}

const number = new Intl.NumberFormat("en-US");

/** `3 calls, 1,204 tokens (1,100 prompt of which 512 cached, 104 completion), $0.0021`:
 * the same figures as `raikoo run --watch` prints. */
export function describeUsage(usage: UsageLike): string {
  const calls = usage.calls ?? 0;
  let prompt = `${number.format(usage.prompt_tokens ?? 0)} prompt`;
  if (usage.cached_tokens) prompt += ` of which ${number.format(usage.cached_tokens)} cached`;
  let completion = `${number.format(usage.completion_tokens ?? 0)} completion`;
  if (usage.reasoning_tokens) completion += ` of which ${number.format(usage.reasoning_tokens)} reasoning`;
  const line = `${calls} call${calls === 1 ? "" : "s"}, ${number.format(usage.total_tokens ?? 0)} tokens (${prompt}, ${completion})`;
  const cost = usage.cost;
  return `${line}, ${cost === null || cost === undefined ? "cost unknown (no price)" : `$${cost.toFixed(4)}`}`;
}

/** Whether ``usage`` records anything spent (non-AI operations report none). */
export function hasUsage(usage: UsageLike | null | undefined): usage is UsageLike {
  return !!usage && ((usage.calls ?? 0) > 0 || (usage.total_tokens ?? 0) > 0);
}

/** Above this many characters of JSON an output is shown cut short, and offered whole as a
 * download (the panel would otherwise lay out megabytes of text). */
export const SHOWN_OUTPUT_CHARS = 20_000;

export interface ShownOutput {
  text: string;
  /** The whole JSON when ``text`` is cut short of it. */
  whole: string | null;
}

export function shownOutput(output: unknown, limit = SHOWN_OUTPUT_CHARS): ShownOutput {
  const whole = JSON.stringify(output, null, 2) ?? "null";
  if (whole.length <= limit) return { text: whole, whole: null };
  return { text: `${whole.slice(0, limit)}\n…`, whole };
}

// --- the answer as it is written -------------------------------------------------------

/** One `operation.output_delta` event's data (OperationOutputDelta). */
export interface OutputDelta {
  op_run_id?: string;
  op_key?: string;
  attempt?: number;
  index?: number;
  text?: string;
}

export interface LiveText {
  opKey: string;
  attempt: number;
  text: string;
  /** The next index expected: a delta elsewhere means some were missed (joined late, or a
   * reconnect: deltas are not replayed). */
  next: number;
  /** Whether deltas were missed: the text shown is not the whole answer yet. */
  gap: boolean;
}

/** ``live`` with one delta applied (by operation run): a later attempt starts over, an
 * earlier one or a repeated index changes nothing. Returns ``live`` itself when unchanged. */
export function applyDelta(live: ReadonlyMap<string, LiveText>, delta: OutputDelta): ReadonlyMap<string, LiveText> {
  const { op_run_id: id, op_key: opKey = "", attempt, index, text } = delta;
  if (!id || typeof attempt !== "number" || typeof index !== "number" || typeof text !== "string") return live;
  const current = live.get(id);
  let base: LiveText;
  if (!current || attempt > current.attempt) base = { opKey, attempt, text: "", next: 0, gap: false };
  else if (attempt < current.attempt || index < current.next) return live;
  else base = current;
  const next = new Map(live);
  next.set(id, { opKey, attempt, text: base.text + text, next: index + 1, gap: base.gap || index !== base.next });
  return next;
}
